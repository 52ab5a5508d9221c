//! ### Pool: five tasks on a pool of worker processes, `Pool()` sized by the CPU count, or
//! `pool-demo 5` for the notes' `Pool(5)`.

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
    println!("Run task {} ({})...", name, current_pid());
    let start = Instant::now();
    multitask::sleep(multitask::random() * 3.0);
    let end = Instant::now();
    println!(
        "Task {} runs {:.2} seconds.",
        name,
        (end - start).as_secs_f64()
    );
}

fn main() -> ExitCode {
    demo_cli::main(|args: Args| run(args.processes.map(usize::from)))
}

fn run(processes: Option<usize>) -> multitask::Result<()> {
    println!("Parent process {}.", current_pid());
    let p = Pool::new(processes)?;
    for i in 0..5 {
        p.apply_async(long_time_task, i)?;
    }
    println!("Waiting for all subprocesses done...");
    p.close()?;
    p.join()?;
    println!("All subprocesses done.");
    Ok(())
}
