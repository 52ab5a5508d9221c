//! The Python originals under `tests/reference/` (one per example: `workspace_tests::examples`),
//! graded with the very specs the Rust ports are graded with: a spec that fails its original is
//! a wrong spec. python3 is a prerequisite of these tests (`.ci/run` installs it): without it
//! they fail, never pass unrun.

use std::ffi::OsString;
use std::process::Command;

use workspace_tests::{assert_example_passes, assert_passes, for_each_example, repo_path};

/// Each original's runs (an example's own count where its `example.toml` sets one);
/// `scripts/false-fail-loop.sh` grades the originals of fork, process, pool and queue 20 times
/// in a row.
const RUNS: usize = 3;

fn python_present() {
    let present = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        present,
        "python3 is not installed: the originals cannot be graded"
    );
}

#[test]
fn every_original_passes_its_spec() {
    python_present();
    for_each_example(|ex| assert_example_passes(ex, true, RUNS));
}

#[test]
fn ref_pool_5() {
    python_present();
    let command = [
        OsString::from("python3"),
        repo_path("tests/reference/ref_pool.py").into_os_string(),
        OsString::from("5"),
    ];
    assert_passes("pool", &[("processes", "5")], RUNS, 0.01, &command);
}
