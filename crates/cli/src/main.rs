//! `iamproof`: prove facts about AWS IAM policies, offline. A thin wrapper over the library's
//! `run` with the process's standard streams, the watchdog of check commands, and the counting
//! allocator the watchdog's memory limit reads.

use std::io::IsTerminal;

/// Counts live heap bytes for the watchdog's memory limit.
#[global_allocator]
static ALLOCATOR: iamproof_cli::CountingAllocator = iamproof_cli::CountingAllocator;

fn main() {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let mut stdin = std::io::stdin();
    let mut stdout = std::io::stdout();
    let mut stderr = std::io::stderr();
    let stdout_color = !no_color && stdout.is_terminal();
    let stderr_color = !no_color && stderr.is_terminal();
    let mut io = iamproof_cli::Io {
        stdin: &mut stdin,
        stdout: &mut stdout,
        stderr: &mut stderr,
        stdout_color,
        stderr_color,
    };
    let options = iamproof_cli::Options { watchdog: true };
    let code = iamproof_cli::run(std::env::args_os(), &mut io, options);
    // `exit`, not a return: the watchdog thread may still be running.
    std::process::exit(code.code());
}
