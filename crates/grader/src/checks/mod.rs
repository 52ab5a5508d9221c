//! The check types, one file each: how the type reads and validates its fields from a
//! `[[check]]` table, how it judges one run, and its unit tests.
//!
//! Adding a check type is a new file here that defines the struct of the fields it takes,
//! `TYPES` (its [`CheckType`]s: name, that struct's field names, build function) and a rule
//! implementing [`Rule`](crate::spec::rule::Rule), plus one line in the `check_types!` list
//! below (the order there is the order messages list types in) and a row in SPEC.md's table.

pub(crate) mod joins;
pub(crate) mod load;
mod values;

use crate::spec::rule::CheckType;

macro_rules! check_types {
    ($($file:ident),* $(,)?) => {
        $(mod $file;)*

        /// Every check type, in the order of the list.
        pub(crate) fn all() -> Vec<CheckType> {
            let mut types = Vec::new();
            $(types.extend_from_slice($file::TYPES);)*
            types
        }
    };
}

check_types! {
    count,
    order,
    first_last,
    sequence,
    relation,
    open,
    distinct,
    range,
    writer,
    tasks,
    duration,
    exit_status,
    parent_pid,
    direct_child,
    cpu_time,
    quotient,
    cores_busy,
    came_through,
    terminated_after,
}

#[cfg(test)]
mod fault_tests;
#[cfg(test)]
mod fields_tests;

#[cfg(test)]
mod testing {
    //! Judging one run of made-up lines against a spec written in the test.

    use std::time::Duration;

    use crate::outcome::{Exit, Line, RunOutcome};
    use crate::spec::Spec;
    use crate::spec::build::build;
    use crate::spec::params::Params;
    use crate::spec::rule::{Ctx, classify};

    /// The main process's pid in [`judge`]'s runs.
    pub(crate) const MAIN_PID: i32 = 100;
    /// The adopter's pid in [`judge`]'s runs.
    pub(crate) const ADOPTER_PID: i32 = 1;

    /// A spec from `text`, or its error's message.
    pub(crate) fn spec(text: &str) -> Result<Spec, String> {
        build(text, "test.toml", &super::all()).map_err(|e| e.to_string())
    }

    /// The first check of spec `text` on `run` (its lines as they are, writers included), at
    /// time scale 1.
    pub(crate) fn judge_run(text: &str, run: &RunOutcome) -> Result<(), String> {
        let spec = spec(text).unwrap_or_else(|e| panic!("spec: {e}"));
        let params = Params::resolve(&spec, &[], 1.0).expect("params");
        let classified = classify(&spec.lines, &run.lines);
        let ctx = Ctx {
            kinds: &spec.lines,
            params: &params,
            run,
            lines: &classified,
        };
        spec.checks[0]
            .rule
            .judge(&ctx)
            .map_err(|f| f.words(i18n::Lang::En))
    }

    /// The first check of spec `text` on one run whose stdout is `stdout`, at time scale 1.
    pub(crate) fn judge(text: &str, stdout: &[&str]) -> Result<(), String> {
        judge_scaled(text, stdout, 1.0)
    }

    /// As [`judge`], at `time_scale`.
    pub(crate) fn judge_scaled(text: &str, stdout: &[&str], time_scale: f64) -> Result<(), String> {
        fault_scaled(text, stdout, time_scale).map_err(|f| f.words(i18n::Lang::En))
    }

    /// As [`judge_scaled`], the fault typed.
    pub(crate) fn fault_scaled(
        text: &str,
        stdout: &[&str],
        time_scale: f64,
    ) -> Result<(), crate::spec::fault::Fault> {
        let spec = spec(text).unwrap_or_else(|e| panic!("spec: {e}"));
        let params = Params::resolve(&spec, &[], time_scale).expect("params");
        let run = RunOutcome {
            run: 1,
            main_pid: MAIN_PID,
            adopter_pid: ADOPTER_PID,
            lines: stdout
                .iter()
                .map(|t| Line {
                    text: t.to_string(),
                    utf8: true,
                    at: Duration::ZERO,
                    writer: None,
                })
                .collect(),
            stderr_tail: String::new(),
            exit: Some(Exit::Code(0)),
            timed_out: false,
            output_limit_hit: false,
            left_behind: Vec::new(),
            elapsed: Duration::ZERO,
            ..RunOutcome::default()
        };
        let classified = classify(&spec.lines, &run.lines);
        let ctx = Ctx {
            kinds: &spec.lines,
            params: &params,
            run: &run,
            lines: &classified,
        };
        spec.checks[0].rule.judge(&ctx)
    }
}
