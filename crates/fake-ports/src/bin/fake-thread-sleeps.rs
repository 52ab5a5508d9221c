//! A thread port whose MainThread sleeps 0.2 s (x time scale) longer than LoopThread's own
//! sleeps instead of joining it.

use std::process::ExitCode;

use fake_ports::say;

fn main() -> ExitCode {
    demo_cli::run_main(|| {
        say("thread MainThread is running...");
        // Detached: never joined.
        std::thread::Builder::new()
            .name("LoopThread".into())
            .spawn(|| {
                say("thread LoopThread is running...");
                for n in 1..=5 {
                    say(&format!("thread LoopThread >>> {n}"));
                    multitask::sleep(1.0);
                }
                say("thread LoopThread ended.");
            })
            .map_err(|e| format!("cannot start LoopThread: {e}"))?;
        multitask::sleep(5.2);
        say("thread MainThread ended.");
        Ok::<(), String>(())
    })
}
