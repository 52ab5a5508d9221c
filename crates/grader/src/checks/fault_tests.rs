//! A check's fault is typed: which lines, which defect (the catalogue's id) and its data; its
//! words are rendered from it, in any language, and a failure keeps it beside its message.

use i18n::Lang;

use super::testing::fault_scaled;
use crate::spec::fault::{Arg, Fault};
use crate::verdict::failure::{Failure, Replay, RunNotes};

const COUNT: &str = r#"
name = "t"
[[line]]
name = "task"
pattern = 'Task (?<i>\d+)'
[[check]]
name = "c"
type = "count"
line = "task"
exactly = 1
"#;

fn count_fault() -> Fault {
    let stdout = ["Task 1", "x", "Task 2", "Task 3", "Task 4", "Task 5"];
    fault_scaled(COUNT, &stdout, 1.0).expect_err("five lines is not exactly one")
}

#[test]
fn a_fault_names_its_defect_and_the_lines_it_quotes() {
    let f = count_fault();
    assert_eq!(f.problems.len(), 1, "{f:?}");
    assert_eq!(f.problems[0].id, "count-expected");
    // The first few lines are quoted, the rest counted.
    assert_eq!(f.lines, [1, 3, 4], "{f:?}");
    let found = f.problems[0].args.iter().find(|(n, _)| n == "found");
    let Some((_, Arg::Said(found))) = found else {
        panic!("no found: {f:?}");
    };
    assert_eq!(found.id, "count-found");
    assert_eq!(
        f.words(Lang::En),
        "expected exactly 1 'task' line(s), found 5: line 1 \"Task 1\", line 3 \"Task 2\", \
         line 4 \"Task 3\" and 2 more"
    );
}

#[test]
fn a_fault_is_worded_in_any_language_after_the_fact() {
    let zh = count_fault().words(Lang::Zh);
    assert!(zh.contains("实际有 5 行"), "{zh}");
}

#[test]
fn a_failure_renders_its_fault_and_notes_once_and_keeps_them_typed() {
    let notes = RunNotes {
        shaken: Some(Replay { seed: 7, pct: None }),
        explored: Some("3:x".into()),
        ..RunNotes::default()
    };
    let f = Failure::new(2, count_fault(), notes.clone());
    let (fault, hints) = f
        .message
        .split_once('\n')
        .expect("notes on their own lines");
    assert_eq!(fault, count_fault().words(Lang::En));
    assert!(hints.contains("--seed 7"), "{hints}");
    assert!(hints.contains("3:x"), "{hints}");
    let json = serde_json::to_value(&f).expect("json");
    assert_eq!(json["message"], f.message.as_str());
    assert_eq!(json["fault"]["lines"], serde_json::json!([1, 3, 4]));
    assert_eq!(json["notes"]["shaken"]["seed"], 7);
    let back: Failure = serde_json::from_value(json).expect("read back");
    assert_eq!(back, f);
    assert_eq!(back.notes, notes);
}
