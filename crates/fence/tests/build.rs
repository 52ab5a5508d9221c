//! Builds of submissions: `cargo fetch` outside, then `cargo build --offline --locked` inside
//! the build fence. A clean crate builds; a `build.rs` that writes outside its target
//! directory, reads /etc/shadow or connects to a listener gets nowhere.
//!
//! Root only: the toolchain lives under /root (mode 0700), which no other uid can enter, so a
//! build as `nobody` cannot start here with or without the fence.

mod common;

use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use fence::{BuildPaths, Fence, FenceOptions};

/// A build script that tries to escape and writes what happened to OUT_DIR/attempts.txt.
const HOSTILE_BUILD_RS: &str = r#"
use std::io::Write;
fn main() {
    let port = env!("FENCE_TEST_PORT");
    let mut log = String::new();
    for path in [concat!(env!("CARGO_MANIFEST_DIR"), "/escaped.txt"), env!("FENCE_TEST_ESCAPE")] {
        match std::fs::write(path, "escaped") {
            Ok(()) => log.push_str(&format!("wrote {path}\n")),
            Err(e) => log.push_str(&format!("refused {path} {:?}\n", e.raw_os_error())),
        }
    }
    match std::fs::read_to_string("/etc/shadow") {
        Ok(_) => log.push_str("read shadow\n"),
        Err(e) => log.push_str(&format!("refused shadow {:?}\n", e.raw_os_error())),
    }
    match std::net::TcpStream::connect(format!("127.0.0.1:{port}")) {
        Ok(mut s) => { let _ = s.write_all(b"stolen"); log.push_str("connected\n"); }
        Err(e) => log.push_str(&format!("refused connect {:?}\n", e.raw_os_error())),
    }
    let out = std::env::var("OUT_DIR").unwrap();
    std::fs::write(format!("{out}/attempts.txt"), log).unwrap();
}
"#;

/// Makes a crate in a fresh folder, runs `cargo fetch` for it (outside any fence).
fn make_crate(dir: &Path, build_rs: Option<&str>) {
    std::fs::create_dir_all(dir.join("src")).expect("src");
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"tiny\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[workspace]\n",
    )
    .expect("toml");
    std::fs::write(dir.join("src/main.rs"), "fn main() { println!(\"hi\"); }\n").expect("main");
    if let Some(script) = build_rs {
        std::fs::write(dir.join("build.rs"), script).expect("build.rs");
    }
    let status = Command::new(cargo_home().join("bin/cargo"))
        .args(["fetch", "--quiet"])
        .current_dir(dir)
        .status()
        .expect("cargo fetch");
    assert!(status.success());
}

fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME").map_or_else(|| home().join(".cargo"), PathBuf::from)
}

fn home() -> PathBuf {
    PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| "/root".into()))
}

/// Builds `project` under the build fence with `env`; returns cargo's output.
fn fenced_build(project: &Path, target: &Path, env: &[(&str, String)]) -> common::Outcome {
    let rustup =
        std::env::var_os("RUSTUP_HOME").map_or_else(|| home().join(".rustup"), PathBuf::from);
    std::fs::create_dir_all(target).expect("target dir");
    let paths = BuildPaths {
        project: project.to_path_buf(),
        target_dir: target.to_path_buf(),
        cargo_home: cargo_home(),
        rustup_home: rustup.is_dir().then_some(rustup),
    };
    let fence = Fence::prepare(&FenceOptions::for_build(&paths)).expect("prepare");
    assert!(
        fence
            .status()
            .to_string()
            .contains("uid 0 without capabilities")
    );
    let mut command = Command::new(cargo_home().join("bin/cargo"));
    command
        .args(["build", "--offline", "--locked"])
        .current_dir(project);
    for (k, v) in env {
        command.env(k, v);
    }
    fence.apply(&mut command).expect("apply");
    command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    common::finish(
        command.spawn().expect("cargo starts"),
        Duration::from_secs(300),
    )
}

#[test]
fn a_clean_crate_builds_and_a_hostile_build_script_gets_nowhere() {
    // SAFETY: geteuid cannot fail.
    assert_eq!(unsafe { libc::geteuid() }, 0, "sessions and CI run as root");
    let work = common::WorkDir::new("build");
    let clean = work.0.join("clean");
    make_crate(&clean, None);
    let out = fenced_build(&clean, &work.0.join("clean-target"), &[]);
    assert!(out.status.success(), "{out:#?}");
    assert!(work.0.join("clean-target/debug/tiny").is_file());

    let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let escape = format!("/tmp/fence-build-escape-{}", std::process::id());
    let hostile = work.0.join("hostile");
    make_crate(&hostile, Some(HOSTILE_BUILD_RS));
    let target = work.0.join("hostile-target");
    let env = [
        (
            "FENCE_TEST_PORT",
            listener.local_addr().expect("addr").port().to_string(),
        ),
        ("FENCE_TEST_ESCAPE", escape.clone()),
    ];
    let out = fenced_build(&hostile, &target, &env);
    assert!(out.status.success(), "{out:#?}");
    let attempts = std::fs::read_dir(target.join("debug/build"))
        .expect("build dir")
        .flatten()
        .find_map(|e| std::fs::read_to_string(e.path().join("out/attempts.txt")).ok())
        .expect("the build script ran and logged");
    assert!(!attempts.contains("wrote"), "{attempts}");
    assert!(!attempts.contains("read shadow"), "{attempts}");
    assert!(!attempts.contains("connected"), "{attempts}");
    assert_eq!(attempts.matches("refused").count(), 4, "{attempts}");
    assert!(!Path::new(&escape).exists());
    assert!(!hostile.join("escaped.txt").exists());
    let mut got = Vec::new();
    match listener.accept() {
        Ok((mut s, _)) => {
            let _ = s.read_to_end(&mut got);
            panic!("the listener got a connection: {got:?}");
        }
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::WouldBlock),
    }
}
