use std::process::ExitCode;

use clap::Parser;

// A fleet run allocates millions of small strings on every worker; glibc's
// per-thread arenas spend more time growing and freeing than mimalloc does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // A panic is a bug: say so and exit 2 (could not judge), never a backtrace.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("error: akspol hit an internal error ({info}); please report it with the input that caused it");
    }));
    let cli = akspol::cli::Cli::parse();
    match std::panic::catch_unwind(|| akspol::app::run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(_) => ExitCode::from(akspol::check::EXIT_ERROR),
    }
}
