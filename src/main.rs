//! The binary: parse arguments, run, print, exit. The only place that touches stdout and stderr.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use resume_lint::cli::{Cli, run};

/// mimalloc: a run makes many small short-lived allocations (a block's scan, a finding's
/// strings), and glibc's malloc and free cost 7% of a bulk run's instructions (callgrind).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // clap prints help and version to stdout (exit 0) and usage errors to stderr (exit 2).
        Err(e) => e.exit(),
    };
    let outcome = run(cli);
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`resume-lint ... | head`) is not an error worth a message.
    let _ = stdout.write_all(outcome.stdout.as_bytes());
    let _ = stdout.flush();
    let mut stderr = std::io::stderr().lock();
    for line in &outcome.errors {
        let _ = writeln!(stderr, "error: {line}");
    }
    ExitCode::from(outcome.code)
}
