//! The grading options `grade class` and `grade gradescope` share with `grade` itself
//! (`--runs`, `--timeout`, `--time-scale`, `--param`, `--spec`, `--reference`, the fence's
//! `--no-fence`, `--max-procs`, `--max-memory`, `--max-disk`, `--allow-read`, `--no-trace`,
//! `--shake`, `--seed`, `--stdout`, `--all-runs`), parsed by clap; `grade` itself flattens the
//! same [`GradingArgs`].

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use crate::cli::values::{
    CommandWords, ScheduleArg, command_line, env_var, fraction, key_value, positive, runs,
    schedule, size,
};
use crate::grade::GradeOptions;
use crate::grade::fencing::GradeFence;
use crate::run::StdoutKind;

/// The grading options of one port, as on `grade`'s command line.
#[derive(Debug, Clone, clap::Args)]
pub struct GradingArgs {
    /// How many times to run each port (at most; see --all-runs)
    /// [default: 10; with --confidence, the ceiling, default 500]
    #[arg(long, value_parser = runs, allow_negative_numbers = true)]
    pub(crate) runs: Option<u32>,

    /// Make every run even once the verdict is settled (by default the grading stops once a
    /// guaranteed check has failed in two runs)
    #[arg(long)]
    pub(crate) all_runs: bool,

    /// Limit per run in seconds; the whole process tree is killed past it
    #[arg(long, default_value_t = 30.0, value_parser = positive, allow_negative_numbers = true)]
    pub(crate) timeout: f64,

    /// Sets MULTITASK_TIME_SCALE for each port and scales the spec's time ranges
    #[arg(long, value_parser = positive, allow_negative_numbers = true)]
    pub(crate) time_scale: Option<f64>,

    /// A spec parameter, e.g. processes=5 for Pool(5) (repeatable)
    #[arg(long = "param", value_name = "K=V", value_parser = key_value)]
    pub(crate) params: Vec<(String, String)>,

    /// A spec file instead of the built-in one
    #[arg(long, value_name = "FILE")]
    pub(crate) spec: Option<PathBuf>,

    /// Pass this variable of grade's environment to the ports, or set it with NAME=VALUE
    /// (repeatable): a port gets only PATH, HOME, TMPDIR, the locale, TZ, TERM and the
    /// grader's own MULTITASK_* and GRADE* of it otherwise
    #[arg(long = "env", value_name = "NAME", value_parser = env_var)]
    pub(crate) env: Vec<crate::run::PassEnv>,

    /// A correct program (a command line, split as a shell would: quote a path with spaces),
    /// run once: the first failing run is shown beside its run
    #[arg(long, value_name = "COMMAND", value_parser = command_line)]
    pub(crate) reference: Option<CommandWords>,

    /// Run the ports without the fence (namespaces, Landlock, seccomp, rlimits); the reports say
    /// so (builds stay fenced)
    #[arg(long)]
    pub(crate) no_fence: bool,

    /// Processes and threads per run (a fork bomb stops there)
    #[arg(long, value_name = "N", default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) max_procs: u64,

    /// Data memory per process, in bytes or with a K, M or G suffix
    #[arg(long, value_name = "SIZE", default_value = "1G", value_parser = size)]
    pub(crate) max_memory: u64,

    /// Scratch disk per run and largest file, in bytes or with a K, M or G suffix
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = size)]
    pub(crate) max_disk: u64,

    /// A path the ports may also read; their own folders are readable anyway (repeatable)
    #[arg(long, value_name = "PATH")]
    pub(crate) allow_read: Vec<PathBuf>,

    /// Do not trace the runs (checks that need the trace are then "not checked")
    #[arg(long)]
    pub(crate) no_trace: bool,

    /// The share of runs whose schedule is shaken: tasks held at random at their writes and
    /// forks (0 to 1)
    #[arg(long, value_name = "FRACTION", default_value_t = 0.5, value_parser = fraction)]
    pub(crate) shake: f64,

    /// Shake every run, run k with seed S+k-1: `--seed S --runs 1` replays a failing shaken run
    #[arg(long, value_name = "S")]
    pub(crate) seed: Option<u64>,

    /// Order every run's stop points by a schedule `grade explore` printed (DECISION:TASK
    /// pairs, e.g. 3:1,7:0): `--schedule S --runs 1` replays an explored order
    #[arg(long, value_name = "SCHEDULE", value_parser = schedule, conflicts_with = "seed")]
    pub(crate) schedule: Option<ScheduleArg>,

    /// How shaken runs are scheduled: pct (random priorities, a task parked while one of higher
    /// priority can go on; sleeps order nothing) or random (holds of a random, scaled length)
    #[arg(long, value_enum, default_value_t = SchedulerArg::Pct)]
    pub(crate) scheduler: SchedulerArg,

    /// PCT's depth d: each shaken run shows a bug needing d orderings with probability at least
    /// 1/(n*k^(d-1)) for n tasks and k stop points
    #[arg(long, value_name = "D", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=8))]
    pub(crate) depth: u32,

    /// PCT's k (stop points per run) instead of learning it from the runs (a replay's)
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) points: Option<u64>,

    /// PCT's lead (the task, numbered from 0 in the order tasks first stop, that starts above
    /// the others) instead of moving it from run to run (a replay's)
    #[arg(long, value_name = "N")]
    pub(crate) lead: Option<u32>,

    /// PCT's last (the task, numbered as for --lead, that starts below the others) instead of
    /// moving it with the lead (a replay's)
    #[arg(long, value_name = "N")]
    pub(crate) last: Option<u32>,

    /// Run until PCT's bound says a bug of depth <= d would have shown with this probability
    /// (e.g. 0.99); --runs is then the ceiling (default 500)
    #[arg(long, value_name = "P", value_parser = fraction)]
    pub(crate) confidence: Option<f64>,

    /// What each port's stdout is: a terminal (pseudo-terminal, lines flushed as printed) or a
    /// pipe (output buffered as when redirected)
    #[arg(long, value_enum, default_value_t = StdoutArg::Terminal)]
    pub(crate) stdout: StdoutArg,
}

/// `--scheduler`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SchedulerArg {
    /// PCT (Burckhardt et al., ASPLOS 2010), with a stated bound (the default)
    Pct,
    /// Random holds of a bounded length (the grader's scheduler before PCT)
    Random,
}

/// With `--confidence` and no `--runs`: the most runs made.
const CONFIDENCE_RUNS_MAX: usize = 500;

/// `--stdout`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum StdoutArg {
    /// A pseudo-terminal, as at a terminal (the default)
    #[value(alias = "pty")]
    Terminal,
    /// A pipe, as when redirected
    Pipe,
}

impl GradingArgs {
    /// The spec file of `--spec`, if given (it replaces the built-in spec of the example).
    pub fn spec(&self) -> Option<&std::path::Path> {
        self.spec.as_deref()
    }

    /// The options [`grade`](crate::grade) takes.
    #[allow(
        clippy::needless_update,
        reason = "options GradeOptions gains that these commands do not set keep their defaults"
    )]
    pub fn options(&self) -> GradeOptions {
        GradeOptions {
            runs: match (self.confidence, self.runs) {
                (Some(_), None) => CONFIDENCE_RUNS_MAX,
                (_, r) => r.unwrap_or(10) as usize,
            },
            // Too large for a Duration is refused as too long by the grading's own check.
            timeout: Duration::try_from_secs_f64(self.timeout).unwrap_or(Duration::MAX),
            time_scale: self.time_scale,
            params: self.params.clone(),
            reference: self
                .reference
                .as_ref()
                .map(|r| r.0.iter().map(OsString::from).collect()),
            all_runs: self.all_runs,
            fence: (!self.no_fence).then(|| GradeFence {
                max_procs: self.max_procs,
                max_memory: self.max_memory,
                max_disk: self.max_disk,
                allow_read: self.allow_read.clone(),
            }),
            trace: !self.no_trace,
            shake: self.shake,
            seed: self.seed,
            scheduler: match self.scheduler {
                SchedulerArg::Pct => crate::Scheduler::Pct,
                SchedulerArg::Random => crate::Scheduler::Random,
            },
            depth: self.depth,
            points: self.points,
            lead: self.lead,
            last: self.last,
            schedule: self.schedule.as_ref().map(|s| s.0.clone()),
            confidence: self.confidence,
            stdout: match self.stdout {
                StdoutArg::Terminal => StdoutKind::Pty,
                StdoutArg::Pipe => StdoutKind::Pipe,
            },
            env: self.env.iter().filter_map(|e| e.resolve()).collect(),
            ..GradeOptions::default()
        }
    }

    /// The same options as `grade` arguments, but `--spec` (for a script that runs `grade`
    /// elsewhere, where the spec file has another path).
    pub fn to_args(&self) -> Vec<OsString> {
        let mut args: Vec<String> = vec![
            "--timeout".into(),
            self.timeout.to_string(),
            "--shake".into(),
            self.shake.to_string(),
            "--max-procs".into(),
            self.max_procs.to_string(),
            "--max-memory".into(),
            self.max_memory.to_string(),
            "--max-disk".into(),
            self.max_disk.to_string(),
            "--stdout".into(),
            match self.stdout {
                StdoutArg::Terminal => "terminal".into(),
                StdoutArg::Pipe => "pipe".into(),
            },
            "--scheduler".into(),
            match self.scheduler {
                SchedulerArg::Pct => "pct".into(),
                SchedulerArg::Random => "random".into(),
            },
            "--depth".into(),
            self.depth.to_string(),
        ];
        if let Some(runs) = self.runs {
            args.extend(["--runs".into(), runs.to_string()]);
        }
        if let Some(points) = self.points {
            args.extend(["--points".into(), points.to_string()]);
        }
        if let Some(lead) = self.lead {
            args.extend(["--lead".into(), lead.to_string()]);
        }
        if let Some(last) = self.last {
            args.extend(["--last".into(), last.to_string()]);
        }
        if let Some(confidence) = self.confidence {
            args.extend(["--confidence".into(), confidence.to_string()]);
        }
        if let Some(s) = self.time_scale {
            args.extend(["--time-scale".into(), s.to_string()]);
        }
        for (k, v) in &self.params {
            args.extend(["--param".into(), format!("{k}={v}")]);
        }
        for e in &self.env {
            args.extend(["--env".into(), e.to_arg().to_string_lossy().into_owned()]);
        }
        if let Some(r) = &self.reference {
            let words = r.0.iter().map(String::as_str);
            let joined = shlex::try_join(words).unwrap_or_else(|_| r.0.join(" "));
            args.extend(["--reference".into(), joined]);
        }
        if self.all_runs {
            args.push("--all-runs".into());
        }
        if self.no_fence {
            args.push("--no-fence".into());
        }
        for path in &self.allow_read {
            args.extend(["--allow-read".into(), path.display().to_string()]);
        }
        if self.no_trace {
            args.push("--no-trace".into());
        }
        if let Some(seed) = self.seed {
            args.extend(["--seed".into(), seed.to_string()]);
        }
        if let Some(s) = &self.schedule {
            args.extend(["--schedule".into(), crate::run::schedule_string(&s.0)]);
        }
        args.into_iter().map(OsString::from).collect()
    }
}

/// clap's error as one line (its own rendering is several lines with usage), or `None` for
/// `--help` and `--version`, which it prints itself.
pub fn one_line(e: clap::Error, command: &str) -> Option<String> {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return None;
    }
    let text = e.to_string();
    let mut lines = text.lines();
    lines.next();
    let mut first = clap_line(&e);
    // "the following required arguments were not provided:" names them on the next lines.
    if first.ends_with(':') {
        let named: Vec<&str> = lines.map(str::trim).take_while(|l| !l.is_empty()).collect();
        first = format!("{first} {}", named.join(", "));
    }
    let help = format!("{command} --help");
    Some(i18n::tr!(
        i18n::Lang::current(),
        "grade-bad-arguments",
        error = first,
        help = help
    ))
}

/// clap's complaint in one line of the reader's language: clap's own words in English, ours
/// for the common kinds in another language (clap speaks English only).
pub fn clap_line(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let text = e.to_string();
    let first = text
        .lines()
        .next()
        .unwrap_or("bad arguments")
        .trim_start_matches("error: ")
        .to_string();
    let lang = i18n::Lang::current();
    if lang == i18n::Lang::En {
        return first;
    }
    let get = |k| match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        _ => None,
    };
    let said = match e.kind() {
        ErrorKind::UnknownArgument => get(ContextKind::InvalidArg)
            .map(|arg| i18n::tr!(lang, "cli-unknown-argument", arg = arg)),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            match (get(ContextKind::InvalidArg), get(ContextKind::InvalidValue)) {
                (Some(arg), Some(value)) => {
                    let why = std::error::Error::source(e)
                        .map(|s| format!("：{s}"))
                        .unwrap_or_default();
                    Some(i18n::tr!(
                        lang,
                        "cli-invalid-value",
                        arg = arg,
                        value = value,
                        why = why
                    ))
                }
                _ => None,
            }
        }
        ErrorKind::ArgumentConflict => {
            match (get(ContextKind::InvalidArg), get(ContextKind::PriorArg)) {
                (Some(arg), Some(other)) if arg == other => {
                    Some(i18n::tr!(lang, "cli-used-twice", arg = arg))
                }
                (Some(arg), Some(other)) => {
                    Some(i18n::tr!(lang, "cli-conflict", arg = arg, other = other))
                }
                _ => None,
            }
        }
        ErrorKind::MissingRequiredArgument => {
            get(ContextKind::InvalidArg).map(|args| i18n::tr!(lang, "cli-missing", args = args))
        }
        _ => None,
    };
    said.unwrap_or(first)
}
