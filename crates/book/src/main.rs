//! `book --out DIR`: writes the chapter's side-by-side pages into DIR (see the crate's docs).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Write the chapter as static HTML pages: Python and Rust side by side, in English and Chinese.
#[derive(Debug, Parser)]
#[command(name = "book", version)]
struct Args {
    /// The folder to write into (created if missing; its index is DIR/index.html).
    #[arg(long, value_name = "DIR", required_unless_present = "missing_words")]
    out: Option<PathBuf>,
    /// Write nothing: list the catalogue messages the book lacks (a new or renamed check's
    /// words, a new example's summary), as `id = English` lines to add to both book.ftl files.
    #[arg(long)]
    missing_words: bool,
    /// The repository to read (default: the one this program was built from).
    #[arg(long, value_name = "DIR", hide_default_value = true,
        default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))]
    root: PathBuf,
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(err) if !err.use_stderr() => {
            // --help and --version: clap's text on stdout, status 0.
            print!("{err}");
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            let text = err.to_string();
            let first = text.lines().next().unwrap_or("bad arguments");
            eprintln!("book: {}", first.trim_start_matches("error: "));
            return ExitCode::from(2);
        }
    };
    if args.missing_words {
        return match book::site::missing_words(&args.root) {
            Ok(lines) => {
                lines.iter().for_each(|l| println!("{l}"));
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("book: {err}");
                ExitCode::from(2)
            }
        };
    }
    let Some(out) = args.out else {
        eprintln!("book: --out DIR is required");
        return ExitCode::from(2);
    };
    match book::site::build(&args.root, &out) {
        Ok(pages) => {
            let index = out.join("index.html");
            println!("{} files written; open {}", pages.len(), index.display());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("book: {err}");
            ExitCode::from(2)
        }
    }
}
