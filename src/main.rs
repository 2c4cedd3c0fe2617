use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

// A fleet run allocates millions of small strings on every worker; glibc's
// per-thread arenas spend more time growing and freeing than mimalloc does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // A panic is a bug: say so and exit 2 (could not judge), never a backtrace.
    // The message may quote input, so it is sanitized like everything else.
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let _ = writeln!(
            std::io::stderr(),
            "error: akspol hit an internal error{at}: {}\n\
             This is a bug in akspol, not a verdict on your input: please report it with the command line and, if you can share it, the input that caused it.",
            akspol::base::sanitize::clean(&what)
        );
    }));
    let cli = akspol::cli::Cli::parse();
    match std::panic::catch_unwind(|| {
        test_panic();
        akspol::cli::run(cli)
    }) {
        Ok(code) => ExitCode::from(code),
        Err(_) => ExitCode::from(akspol::cli::exit::EXIT_ERROR),
    }
}

/// `AKSPOL_TEST_PANIC=1` panics on purpose, so a test can prove the hook above
/// (tests/terminal_safety.rs). Undocumented in `--help`: it is for tests only.
#[allow(clippy::panic)]
fn test_panic() {
    if std::env::var_os("AKSPOL_TEST_PANIC").is_some_and(|v| v == "1") {
        panic!("AKSPOL_TEST_PANIC=1 \u{1b}[2J asked for a panic");
    }
}
