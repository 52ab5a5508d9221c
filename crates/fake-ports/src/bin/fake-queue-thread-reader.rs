//! A Queue port whose writer is a child process but whose reader is a thread of the parent
//! (a socket pair for the queue).

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::process::ExitCode;

use fake_ports::say;
use multitask::Process;

fn main() -> ExitCode {
    demo_cli::run_main(|| {
        let (writer_end, reader_end) = UnixStream::pair().map_err(|e| e.to_string())?;
        let mut pw = Process::new(|| {
            let mut w = &writer_end;
            for value in ["A", "B", "C"] {
                say(&format!("Put {value} to queue..."));
                if writeln!(w, "{value}").is_err() {
                    return;
                }
                multitask::sleep(multitask::random());
            }
        });
        pw.start().map_err(|e| e.to_string())?;
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(reader_end).lines().take(3) {
                let Ok(value) = line else { return };
                say(&format!("Get {value} from queue."));
            }
        });
        let _ = reader.join();
        pw.join().map_err(|e| e.to_string())?;
        Ok::<(), String>(())
    })
}
