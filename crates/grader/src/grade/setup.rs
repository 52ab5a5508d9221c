//! A grading's steps before its first run: the command (a pair's two programs made one), the
//! configuration every run shares (the fence, the program found), the reference run.

use std::ffi::OsString;

use super::options::{GradeOptions, TIME_SCALE_ENV};
use crate::grade::error::GradeError;
use crate::grade::pair::pair_command;
use crate::outcome::RunOutcome;
use crate::run::{RunConfig, command_dirs, preflight, run_once};
use crate::words::say::say;

/// The command as run: the one given, or a pair's launcher with the pair's two programs.
pub(super) fn command(
    opts: &GradeOptions,
    given: &[OsString],
) -> Result<Vec<OsString>, GradeError> {
    let command = if opts.pair {
        pair_command(given, opts.pair_after.is_some())?
    } else {
        given.to_vec()
    };
    if command.is_empty() {
        return Err(GradeError::Option(say!("opt-no-command")));
    }
    if opts.pair_after.is_some() && !opts.pair {
        return Err(GradeError::Option(say!("opt-pair-after")));
    }
    Ok(command)
}

/// What every run of `command` (as run; `given` as given) shares: the fence, the limits, the
/// environment; its programs found before any run.
pub(super) fn run_config(
    opts: &GradeOptions,
    given: &[OsString],
    command: &[OsString],
) -> Result<RunConfig, GradeError> {
    let Some((program, args)) = command.split_first() else {
        return Err(GradeError::Option(say!("opt-no-command")));
    };
    let mut cfg = RunConfig::new(program.clone(), args.to_vec());
    cfg.timeout = opts.timeout;
    cfg.fence = fence_options(opts, given)?;
    cfg.pair_after = opts.pair_after.clone();
    if opts.pair {
        for part in given.split(|a| a == "--") {
            if let Some(program) = part.first() {
                check_program(program, cfg.fence.as_ref())?;
            }
        }
    } else {
        check_program(program, cfg.fence.as_ref())?;
    }
    preflight(&cfg)?;
    cfg.trace = opts.trace;
    cfg.stdout = opts.stdout;
    if let Some(s) = opts.time_scale {
        cfg.env
            .push((TIME_SCALE_ENV.into(), OsString::from(s.to_string())));
    }
    cfg.env.extend(opts.env.iter().cloned());
    Ok(cfg)
}

/// The correct program's one run (`--reference`), made as the graded runs are.
pub(super) fn reference_run(
    opts: &GradeOptions,
    cfg: &RunConfig,
) -> Result<Option<RunOutcome>, GradeError> {
    match opts.reference.as_deref() {
        Some([program, args @ ..]) => {
            let mut rcfg = cfg.clone();
            rcfg.program = program.clone();
            rcfg.args = args.to_vec();
            Ok(Some(run_once(&rcfg, 0)?))
        }
        _ => Ok(None),
    }
}

/// Fails with "command not found" before any run when `program` names no file: a path that
/// does not exist, or a name in none of the run's PATH folders (the fence's PATH when fenced).
fn check_program(
    program: &OsString,
    fence: Option<&fence::FenceOptions>,
) -> Result<(), GradeError> {
    use std::path::Path;
    let found = if Path::new(program).components().count() > 1 {
        Path::new(program).exists()
    } else {
        let path = match fence {
            Some(f) => Some(f.path.clone()),
            None => std::env::var_os("PATH"),
        };
        path.is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
    };
    if found && !Path::new(program).is_dir() {
        Ok(())
    } else {
        // spawn's message says which: not found, or a directory.
        Err(crate::run::RunError::spawn(
            program,
            std::io::Error::from(std::io::ErrorKind::NotFound),
        )
        .into())
    }
}

/// The fence options of every run: the grading's limits and readable paths, plus the folders
/// of a pair's two programs (a single command's are found per run). A pair needs the fence's
/// network namespace: it is what gives the run a port 5000 of its own.
fn fence_options(
    opts: &GradeOptions,
    original: &[OsString],
) -> Result<Option<fence::FenceOptions>, GradeError> {
    let Some(fence) = &opts.fence else {
        if opts.pair {
            return Err(GradeError::Option(say!("opt-pair-fence")));
        }
        return Ok(None);
    };
    let mut options = fence.options()?;
    // CPU time per process: no more than the run may last (a spinning process is stopped by
    // the kernel even where the grader's clock is late).
    options.cpu_time = Some(opts.timeout);
    if opts.pair {
        if let Err(why) = fence::probe().namespaces {
            return Err(GradeError::Option(say!(
                "opt-pair-namespace",
                why = why.to_string()
            )));
        }
        for part in original.split(|a| a == "--") {
            if let Some((program, args)) = part.split_first() {
                for dir in command_dirs(program, args.iter().map(|a| a.as_os_str())) {
                    if !options.read_only.contains(&dir) {
                        options.read_only.push(dir);
                    }
                }
            }
        }
    }
    Ok(Some(options))
}
