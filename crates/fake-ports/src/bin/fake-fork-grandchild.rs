//! A "child" that is a grandchild (issue 18): the forked child calls setsid, forks again and
//! exits; the parent prints the grandchild's pid as the child it just created, and the
//! grandchild prints the parent's pid as its own parent, which it is not.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::process::ExitCode;

use fake_ports::say;
use multitask::{current_pid, fork};

fn main() -> ExitCode {
    demo_cli::run_main(|| {
        let parent = current_pid();
        say(&format!("Process ({parent}) start..."));
        let (mut theirs, mut ours) = UnixStream::pair()?;
        if fork()? == 0 {
            drop(ours);
            // SAFETY: setsid takes no arguments; it only fails for a group leader (not us).
            unsafe { libc::setsid() };
            let grandchild = fork()?;
            if grandchild == 0 {
                say(&format!(
                    "I am child process ({}) and my parent is {parent}.",
                    current_pid()
                ));
            } else {
                theirs.write_all(grandchild.to_string().as_bytes())?;
            }
            return Ok(());
        }
        drop(theirs);
        let mut pid = String::new();
        ours.read_to_string(&mut pid)?;
        say(&format!(
            "I ({parent}) just created a child process ({pid})."
        ));
        Ok::<(), Box<dyn std::error::Error>>(())
    })
}
