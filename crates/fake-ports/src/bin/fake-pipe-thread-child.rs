//! A Pipe port whose "child" is a thread of the parent (a channel for the pipe).

use std::process::ExitCode;
use std::sync::mpsc;

use fake_ports::say;

fn main() -> ExitCode {
    demo_cli::run_main(|| {
        let (to_child, from_parent) = mpsc::channel::<String>();
        let (to_parent, from_child) = mpsc::channel::<String>();
        let child = std::thread::spawn(move || {
            while let Ok(message) = from_parent.recv() {
                say(&format!("Child got: {message}"));
                let answer = message.replace("ping", "pong");
                say(&format!("Child sent: {answer}"));
                if to_parent.send(answer).is_err() {
                    break;
                }
            }
            say("Child: pipe closed, exit.");
        });
        for n in 1..=3 {
            let message = format!("ping {n}");
            say(&format!("Parent sent: {message}"));
            if to_child.send(message).is_err() {
                break;
            }
            if let Ok(answer) = from_child.recv() {
                say(&format!("Parent got: {answer}"));
            }
        }
        drop(to_child);
        let _ = child.join();
        say("Parent: child exited.");
        Ok::<(), multitask::Error>(())
    })
}
