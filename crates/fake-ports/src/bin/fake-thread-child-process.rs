//! A thread port whose LoopThread is really a child process, printing as the thread would.

use std::process::ExitCode;

use fake_ports::say;
use multitask::Process;

fn main() -> ExitCode {
    demo_cli::run_main(|| {
        say("thread MainThread is running...");
        let mut t = Process::new(|| {
            say("thread LoopThread is running...");
            for n in 1..=5 {
                say(&format!("thread LoopThread >>> {n}"));
                multitask::sleep(1.0);
            }
            say("thread LoopThread ended.");
        });
        t.start()?;
        t.join()?;
        say("thread MainThread ended.");
        Ok::<(), multitask::Error>(())
    })
}
