//! The face: the command line ([`args`]), one file per command, exit
//! statuses ([`exit`]) and writing output ([`output`]). Everything below it
//! returns values; only this room prints, writes files and picks exit codes.

pub mod args;
pub mod catalog;
pub mod check;
pub mod collect;
mod collect_fleet;
pub mod exit;
pub mod info;
mod inputs;
pub mod load;
pub mod manpage;
pub mod output;
pub mod plan;
pub mod progress;
pub mod rule_docs;

use clap::CommandFactory;

use args::CatalogCommand;
pub use args::{Cli, Command};
use exit::EXIT_ERROR;
use output::print;

/// Runs a parsed command line; returns the exit status.
pub fn run(cli: Cli) -> u8 {
    output::guard_standard_streams();
    let result = match &cli.command {
        Command::Check(args) => check::run(args),
        Command::Plan(args) => plan::run(args),
        Command::Collect(args) => collect::run(args),
        Command::Rules(args) => info::rules(args.format, args.dir.as_deref()),
        Command::Explain {
            code,
            policy_edition,
        } => match policy_edition {
            Some(edition) => info::explain_under(code, edition),
            None => info::explain(code),
        },
        Command::Catalog(CatalogCommand::Show {
            source,
            format,
            product,
        }) => catalog::show(source, *format, *product),
        Command::Catalog(CatalogCommand::Update(args)) => catalog::update(args),
        Command::Catalog(CatalogCommand::Path { cache_dir }) => catalog::path(cache_dir.as_deref()),
        Command::Schema { kind } => {
            let schema = match kind {
                args::SchemaKind::Inventory => crate::INVENTORY_SCHEMA,
                args::SchemaKind::Report => crate::report::json::REPORT_SCHEMA,
                args::SchemaKind::Plan => crate::plan::PLAN_SCHEMA,
            };
            print(|out| out.write_all(schema.as_bytes()))
        }
        Command::Completions { shell } => print(|out| {
            // clap_complete panics on a write error: generate into memory, so a
            // closed pipe (`akspol completions bash | head`) stays harmless.
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "akspol", &mut script);
            out.write_all(&script)
        }),
        Command::Manpage { dir } => manpage::run(dir.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("error: {failure}");
            EXIT_ERROR
        }
    }
}
