//! Each check type's fields, as its struct declares them: refused on every other type, and
//! listed the same in SPEC.md's tables of check types.

use std::collections::{BTreeMap, BTreeSet};

use super::all;
use super::testing::spec;

/// Every field any type takes.
fn every_field() -> BTreeSet<&'static str> {
    all().iter().flat_map(|t| (t.fields)()).copied().collect()
}

/// A spec whose one check is of type `kind` and has field `field`, then the line it is on.
fn with_field(kind: &str, field: &str) -> (String, usize) {
    let text = format!(
        "name = \"t\"\n[[line]]\nname = \"a\"\npattern = 'a'\n[[check]]\nname = \"c\"\ntype = \"{kind}\"\n{field} = 1\n"
    );
    (text, 8)
}

#[test]
fn every_field_is_refused_on_a_type_it_does_not_apply_to() {
    let fields = every_field();
    let mut tried = 0;
    for ty in all() {
        let own = (ty.fields)();
        for field in fields.iter().filter(|f| !own.contains(f)) {
            let (text, line) = with_field(ty.name, field);
            let e = spec(&text).expect_err(&format!("`{field}` on a `{}` check", ty.name));
            let want = format!(
                "test.toml:{line}: check 'c': field `{field}` does not apply to a `{}` check",
                ty.name
            );
            assert!(e.starts_with(&want), "{e}\nwanted: {want}");
            tried += 1;
        }
    }
    // Ten files of types, so some pairs: a list of types that lost its fields would try none.
    assert!(tried > 50, "{tried}");
}

#[test]
fn every_field_of_a_type_is_taken_by_it() {
    for ty in all() {
        for field in (ty.fields)() {
            let (text, _) = with_field(ty.name, field);
            // The value (1) may be wrong for the field, or others may be missing: not refused.
            if let Err(e) = spec(&text) {
                assert!(!e.contains("does not apply"), "{e}");
            }
        }
    }
}

#[test]
fn capacity_does_not_apply_to_a_count() {
    let text = "name = \"t\"\n[[line]]\nname = \"a\"\npattern = 'a'\n[[check]]\nname = \"c\"\ntype = \"count\"\nline = \"a\"\nmin = 1\ncapacity = \"processes\"\n";
    let e = spec(text).expect_err("capacity on a count");
    assert!(
        e.starts_with(
            "test.toml:10: check 'c': field `capacity` does not apply to a `count` check"
        ),
        "{e}"
    );
}

/// SPEC.md's rows `| \`TYPE\` | FIELDS | ... |` (several types per row as `` `a` / `b` ``): each
/// type with the backquoted words of its fields column.
fn spec_md_types() -> BTreeMap<String, BTreeSet<String>> {
    let quoted = |cell: &str| -> Vec<String> {
        cell.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    let mut out = BTreeMap::new();
    let mut in_table = false;
    for line in include_str!("../../SPEC.md").lines() {
        if line.starts_with("| type | fields |") {
            in_table = true;
            continue;
        }
        if !line.starts_with('|') {
            in_table = false;
        }
        let cells: Vec<&str> = line.split('|').collect();
        if !in_table || cells.len() < 3 || cells[1].starts_with("---") {
            continue;
        }
        for ty in quoted(cells[1]) {
            out.insert(ty, quoted(cells[2]).into_iter().collect());
        }
    }
    out
}

#[test]
fn spec_md_lists_every_type_with_its_fields() {
    let documented = spec_md_types();
    let code: BTreeMap<String, BTreeSet<String>> = all()
        .iter()
        .map(|t| {
            let fields = (t.fields)().iter().map(|f| f.to_string()).collect();
            (t.name.to_string(), fields)
        })
        .collect();
    assert_eq!(
        documented, code,
        "SPEC.md's tables of check types against the code"
    );
}
