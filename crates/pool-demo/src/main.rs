//! ### Pool: five tasks on a pool of worker processes, `Pool()` sized by the CPU count, or
//! `pool-demo 5` for the notes' `Pool(5)`.

// The book (crates/book) pairs each statement tagged `// [N]` with the Python line tagged `# [N]`:
// [book] order = 30, part = "notes", section = "多进程 › Pool", python = "tests/reference/unmodified/orig_pool.py", spec = "pool"
// [book] run = "cargo run -p pool-demo -- 4"

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use multitask::{Pool, current_pid};

/// Runs five tasks of random length on a pool of worker processes.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Worker processes (default: one per CPU core, like Python's Pool()).
    #[arg(value_parser = clap::value_parser!(u16).range(1..=256))]
    processes: Option<u16>,
}

fn long_time_task(name: u32) {
    // [1]
    println!("Run task {} ({})...", name, current_pid()); // [2]
    let start = Instant::now(); // [3]
    multitask::sleep(multitask::random() * 3.0); // [4]
    let end = Instant::now(); // [5]
    println!(
        // [6]
        "Task {} runs {:.2} seconds.",
        name,
        (end - start).as_secs_f64()
    );
}

fn main() -> ExitCode {
    demo_cli::main(|args: Args| run(args.processes.map(usize::from)))
}

fn run(processes: Option<usize>) -> multitask::Result<()> {
    // [7]
    println!("Parent process {}.", current_pid()); // [8]
    let p = Pool::new(processes)?; // [9]
    for i in 0..5 {
        // [10]
        p.apply_async(long_time_task, i)?; // [11]
    }
    println!("Waiting for all subprocesses done..."); // [12]
    p.close()?; // [13]
    p.join()?; // [14]
    println!("All subprocesses done."); // [15]
    Ok(())
}
