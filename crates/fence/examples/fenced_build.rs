//! Builds a Cargo project under the build fence: `fenced_build PROJECT TARGET_DIR`
//! (CARGO_HOME and RUSTUP_HOME from the environment or ~/.cargo, ~/.rustup). Prints the
//! fence's status on stderr and exits with cargo's status.

use std::path::PathBuf;
use std::process::Command;

use fence::{BuildPaths, Fence, FenceOptions};

fn main() {
    let mut args = std::env::args_os().skip(1);
    let (Some(project), Some(target)) = (args.next(), args.next()) else {
        eprintln!("usage: fenced_build PROJECT TARGET_DIR");
        std::process::exit(2);
    };
    let home = PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| "/root".into()));
    let cargo_home =
        std::env::var_os("CARGO_HOME").map_or_else(|| home.join(".cargo"), PathBuf::from);
    let rustup_home =
        std::env::var_os("RUSTUP_HOME").map_or_else(|| home.join(".rustup"), PathBuf::from);
    let paths = BuildPaths {
        project: PathBuf::from(&project),
        target_dir: PathBuf::from(target),
        cargo_home: cargo_home.clone(),
        rustup_home: rustup_home.is_dir().then_some(rustup_home),
    };
    let fence = match Fence::prepare(&FenceOptions::for_build(&paths)) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("fenced_build: {e}");
            std::process::exit(2);
        }
    };
    eprintln!("fence: {}", fence.status());
    let mut command = Command::new(cargo_home.join("bin").join("cargo"));
    command.args(["build", "--offline"]).current_dir(&project);
    if let Err(e) = fence.apply(&mut command) {
        eprintln!("fenced_build: {e}");
        std::process::exit(2);
    }
    let code = match command.status() {
        Ok(status) => status.code().unwrap_or(1),
        Err(e) => {
            eprintln!("fenced_build: {e}");
            2
        }
    };
    // exit() runs no destructor: the scratch directory goes first.
    drop(fence);
    std::process::exit(code);
}
