//! Shell completions and the man page, generated from the clap definition so they can never
//! drift from the options the binary really takes.

use clap::CommandFactory;

use super::Cli;

/// The completion script for `shell`.
pub(super) fn completions(shell: clap_complete::Shell) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "resume-lint", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The man page, in roff, with the subcommands listed.
pub(super) fn man_page() -> String {
    let mut out = Vec::new();
    // Rendering into memory cannot fail for I/O reasons.
    let _ = clap_mangen::Man::new(Cli::command()).render(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}
