//! The notes' programs still run under the fence, as root and as nobody: the Rust demos and
//! the Python original of the Pool example, at time scale 0.01.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{SEATS, fenced_with_env};

const DEMOS: [&str; 6] = [
    "fork-demo",
    "process-demo",
    "pool-demo",
    "queue-demo",
    "pipe-demo",
    "thread-demo",
];

/// Builds the demos into this test's target folder and returns that folder.
fn demos_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current_exe");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>")
        .to_path_buf();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut build = Command::new(cargo);
    build
        .args(["build", "--quiet", "--bins"])
        .arg("--target-dir")
        .arg(dir.parent().expect("target"))
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    for demo in DEMOS {
        build.args(["-p", demo]);
    }
    assert!(
        build.status().expect("cargo").success(),
        "building the demos"
    );
    dir
}

#[test]
fn the_demos_and_the_python_pool_run_fenced() {
    let dir = demos_dir();
    let dir_str = dir.to_str().expect("utf-8");
    let reference = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/reference");
    let reference = reference.canonicalize().expect("tests/reference");
    let ref_pool = reference.join("ref_pool.py");
    // The scale is read by every demo and by the Python originals.
    let scale = [("MULTITASK_TIME_SCALE", "0.01")];
    for seat in SEATS {
        for demo in DEMOS {
            let path = dir.join(demo);
            let out = fenced_with_env(
                seat,
                &scale,
                &["--ro", dir_str],
                &[path.to_str().expect("utf-8")],
            );
            assert!(!out.stdout.is_empty(), "{demo} {seat:?}: {out:#?}");
            out.assert_clean_success();
        }
        let out = fenced_with_env(
            seat,
            &scale,
            &["--ro", reference.to_str().expect("utf-8")],
            &["/usr/bin/python3", ref_pool.to_str().expect("utf-8")],
        );
        assert!(!out.stdout.is_empty(), "ref_pool {seat:?}: {out:#?}");
        out.assert_clean_success();
    }
}
