//! Runs neither uname nor sh: copies `/bin/echo` into its scratch folder (`TMPDIR`) under the
//! names `uname` and `sh` and runs the copies. The program exec'd has the right name; it is not
//! the system's uname or sh (another file: device and inode).

use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};

use fake_ports::say;

fn main() -> ExitCode {
    demo_cli::run_main(|| {
        let dir = std::env::temp_dir().join(format!("fake-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let copy = |name: &str| -> std::io::Result<PathBuf> {
            let to = dir.join(name);
            std::fs::copy("/bin/echo", &to)?;
            Ok(to)
        };
        let (uname, sh) = (copy("uname")?, copy("sh")?);
        say("$ uname -s");
        let status = Command::new(&uname).arg("Linux").status()?;
        say(&format!("Exit code: {}", status.code().unwrap_or(-1)));
        say("$ sh");
        let out = Command::new(&sh)
            .arg("42")
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()?;
        say(&String::from_utf8_lossy(&out.stdout));
        say(&format!("Exit code: {}", out.status.code().unwrap_or(-1)));
        let _ = std::fs::remove_dir_all(&dir);
        Ok::<(), std::io::Error>(())
    })
}
