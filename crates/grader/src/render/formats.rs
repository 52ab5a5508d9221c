//! The report's renderings for machines: JSON for tools, JUnit for CI, a Gradescope
//! `results.json` body, and the words the last two give each check.

use std::fmt::Write as _;

use super::markup::xml_escape;
use crate::verdict::report::{CheckKind, CheckReport, CheckStatus, Report};

impl Report {
    /// For tools: the report as JSON, with `score` (checks passed) and `max_score` (checks
    /// passed or failed, see [`Report::max_score`]).
    pub fn json(&self) -> String {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        if let Some(map) = v.as_object_mut() {
            map.insert("score".into(), self.score().into());
            map.insert("max_score".into(), self.max_score().into());
        }
        let mut s = crate::render::markup::json_safe(
            serde_json::to_string_pretty(&v).unwrap_or_else(|_| "{}".into()),
        );
        s.push('\n');
        s
    }

    /// For CI: one testsuite for the example, one testcase per check.
    pub fn junit(&self) -> String {
        let failed = self.checks.iter().filter(|c| !c.passed).count();
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            "<testsuites name=\"grade\" tests=\"{}\" failures=\"{failed}\">",
            self.checks.len()
        );
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\">",
            xml_escape(&self.example),
            self.checks.len()
        );
        // JUnit wants a suite's properties before its test cases.
        super::fence::junit_properties(self, &mut out);
        for c in &self.checks {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"grade.{}\"",
                xml_escape(&c.name),
                xml_escape(&self.example)
            );
            match c.failures.first() {
                None if c.passed => out.push_str("/>\n"),
                None if c.status == CheckStatus::NotReached => {
                    let said = i18n::tr(i18n::Lang::current(), "report-not-reached");
                    let _ = writeln!(
                        out,
                        ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                        xml_escape(&said)
                    );
                }
                None if c.status == CheckStatus::NotChecked => {
                    let said = i18n::tr(i18n::Lang::current(), "report-not-checked");
                    let _ = writeln!(
                        out,
                        ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                        xml_escape(&said)
                    );
                }
                first => {
                    let message = match first {
                        Some(f) => i18n::tr!(
                            i18n::Lang::current(),
                            "note-run",
                            run = f.run,
                            note = f.message.as_str()
                        ),
                        None => self.check_output(c),
                    };
                    let _ = writeln!(
                        out,
                        ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                        xml_escape(&message),
                        match c.kind {
                            CheckKind::Guaranteed => "guaranteed",
                            CheckKind::Likely => "likely",
                        },
                        xml_escape(&self.check_output(c))
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n</testsuites>\n");
        out
    }

    /// For Gradescope: a `results.json` body, one test per check worth one point.
    pub fn gradescope(&self) -> String {
        let tests: Vec<serde_json::Value> = self
            .checks
            .iter()
            .map(|c| {
                let mut test = serde_json::json!({
                    "name": c.shown(),
                    "score": if c.status == CheckStatus::Passed { 1.0 } else { 0.0 },
                    "max_score": if c.status.counts() { 1.0 } else { 0.0 },
                    "status": if c.status == CheckStatus::Passed { "passed" } else { "failed" },
                    "output": self.check_output(c),
                });
                // Gradescope knows passed and failed only: a check not reached, not checked or
                // undecided is neither, and is worth no point.
                if !c.status.counts()
                    && let Some(t) = test.as_object_mut()
                {
                    t.remove("status");
                }
                test
            })
            .collect();
        let body = serde_json::json!({
            "output": format!(
                "{}{}",
                i18n::tr!(
                    i18n::Lang::current(),
                    "gradescope-summary",
                    example = self.example.as_str(),
                    passed = self.score(),
                    total = self.max_score(),
                    runs = self.runs
                ),
                super::fence::gradescope_suffix(self)
            ),
            "tests": tests,
        });
        let mut s = crate::render::markup::json_safe(
            serde_json::to_string_pretty(&body).unwrap_or_else(|_| "{}".into()),
        );
        s.push('\n');
        s
    }

    /// A check's verdict in words: how many runs held, and every failing run's message.
    fn check_output(&self, c: &CheckReport) -> String {
        let lang = i18n::Lang::current();
        if c.status == CheckStatus::NotChecked {
            let tracing = self.facts.tracing_said(lang);
            return i18n::tr!(
                lang,
                "output-not-checked",
                runs = self.runs,
                tracing = tracing
            );
        }
        if c.status == CheckStatus::NotReached {
            return i18n::tr!(lang, "output-not-reached", runs = self.runs);
        }
        let judged = c.runs_judged(self.runs);
        let mut s = i18n::tr!(lang, "output-held", held = c.runs_passed, runs = judged);
        if c.runs_shaken > 0 {
            let _ = write!(s, "{}", i18n::tr(lang, "output-shaken"));
        }
        if let Some(t) = c.threshold {
            let percent = (t * 100.0).round();
            let _ = write!(s, "{}", i18n::tr!(lang, "output-likely", percent = percent));
            if let Some([low, high]) = c.interval {
                let (low, high) = ((low * 100.0).round(), (high * 100.0).round());
                let _ = write!(
                    s,
                    "{}",
                    i18n::tr!(lang, "output-interval", low = low, high = high)
                );
            }
            if let Some(more) = c.more_runs {
                let _ = write!(s, "{}", i18n::tr!(lang, "output-undecided", more = more));
            }
        }
        for f in &c.failures {
            let run = i18n::tr!(lang, "output-run", run = f.run);
            let _ = write!(s, "\n{run}: {}", f.message);
        }
        s
    }
}
