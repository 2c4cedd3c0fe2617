//! Command dispatch and what the commands share: choosing the catalog and
//! policy, writing output, and mapping failures to exit status 2.

pub mod args;
pub mod check;
pub mod plan;

use std::io::{self, BufWriter, Write};
use std::path::Path;

use clap::CommandFactory;

use crate::catalog::{Catalog, CatalogSource};
use crate::cli::args::{CatalogArgs, CatalogCommand, CatalogFormat, Cli, Command};
use crate::cli::check::{EXIT_ERROR, EXIT_OK};
use crate::input::{self, InputError};
use crate::policy::Policy;
use crate::rules::registry;

/// Why a command could not do its job: exit status 2.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("{0}")]
    Input(#[from] InputError),
    #[error("{0}")]
    Usage(String),
    #[error("cannot write {path}: {source}")]
    Output { path: String, source: io::Error },
    #[error("{0}")]
    Update(#[from] crate::catalog::update::UpdateError),
}

/// Runs a parsed command line; returns the exit status.
pub fn run(cli: Cli) -> u8 {
    let result = match &cli.command {
        Command::Check(args) => crate::cli::check::run(args),
        Command::Plan(args) => crate::cli::plan::run(args),
        Command::Rules(args) => rules(args.format),
        Command::Explain { code } => explain(code),
        Command::Catalog(CatalogCommand::Show { source, format }) => catalog_show(source, *format),
        Command::Catalog(CatalogCommand::Update(args)) => crate::catalog::update::run(args),
        Command::Catalog(CatalogCommand::Path { cache_dir }) => {
            crate::catalog::update::path(cache_dir.as_deref())
        }
        Command::Schema => print(|out| out.write_all(crate::INVENTORY_SCHEMA.as_bytes())),
        Command::Completions { shell } => print(|out| {
            // clap_complete panics on a write error: generate into memory, so a
            // closed pipe (`akspol completions bash | head`) stays harmless.
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "akspol", &mut script);
            out.write_all(&script)
        }),
        Command::Manpage => print(|out| clap_mangen::Man::new(Cli::command()).render(out)),
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("error: {failure}");
            EXIT_ERROR
        }
    }
}

fn print(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<u8, Failure> {
    write_output(None, write).map(|()| EXIT_OK)
}

/// The width a table may take: the terminal's on a terminal, else `off_terminal`
/// (fixed, so files and CI logs are the same bytes wherever they are made).
pub fn table_width(to_terminal: bool, off_terminal: u16) -> u16 {
    if to_terminal {
        comfy_table::Table::new().width().unwrap_or(off_terminal)
    } else {
        off_terminal
    }
}

/// Writes to `path` atomically (a temporary file renamed over it), or to
/// standard output, where a closed pipe (`akspol check ... | head`) is not an error.
pub fn write_output(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Failure> {
    match path {
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            match write(&mut out).and_then(|()| out.flush()) {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                other => other.map_err(|source| Failure::Output {
                    path: "standard output".into(),
                    source,
                }),
            }
        }
        Some(path) => write_atomically(path, write).map_err(|source| Failure::Output {
            path: path.display().to_string(),
            source,
        }),
    }
}

pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let file_name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(file_name);
    temp_name.push(format!(".{}.tmp", std::process::id()));
    let temp = path.with_file_name(temp_name);
    let result = (|| {
        let mut out = BufWriter::new(std::fs::File::create(&temp)?);
        write(&mut out)?;
        out.into_inner()
            .map_err(io::IntoInnerError::into_error)?
            .sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// `--catalog FILE`, else the cached catalog when it is valid and no older
/// than the embedded one (not with `--offline`), else the embedded catalog.
pub fn load_catalog(args: &CatalogArgs) -> Result<Catalog, Failure> {
    if let Some(path) = &args.catalog {
        let origin = path.display().to_string();
        let text = input::read_text(path, input::DEFAULT_MAX_INPUT_BYTES)?;
        return Ok(Catalog::from_text(
            &origin,
            &text,
            CatalogSource::File(origin.clone()),
        )?);
    }
    let embedded = Catalog::embedded()?;
    if args.offline {
        return Ok(embedded);
    }
    let dir = crate::catalog::cache::cache_dir(args.cache_dir.as_deref());
    Ok(crate::catalog::cache::prefer_cached(
        embedded,
        dir.as_deref(),
        &mut |warning| eprintln!("warning: {warning}"),
    ))
}

/// The embedded policy, with `--policy FILE` over it.
pub fn load_policy(path: Option<&Path>) -> Result<Policy, Failure> {
    let embedded = Policy::embedded()?;
    match path {
        None => Ok(embedded),
        Some(path) => {
            let text = input::read_text(path, input::DEFAULT_MAX_INPUT_BYTES)?;
            Ok(Policy::from_text(
                &path.display().to_string(),
                &text,
                Some(&embedded),
            )?)
        }
    }
}

fn rules(format: CatalogFormat) -> Result<u8, Failure> {
    print(|out| match format {
        CatalogFormat::Json => {
            let list: Vec<_> = registry::RULES
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "code": r.code, "name": r.name, "scope": r.scope.as_str(),
                        "section": r.section.title, "url": r.section.url(), "summary": r.summary(),
                    })
                })
                .collect();
            crate::report::json::write_pretty(&list, out)
        }
        CatalogFormat::Table => {
            let mut table = comfy_table::Table::new();
            table
                .load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
                .set_header(["code", "name", "scope", "policy section"]);
            for r in registry::RULES {
                table.add_row([r.code, r.name, r.scope.as_str(), r.section.title]);
            }
            writeln!(out, "{table}")
        }
    })
}

fn explain(code: &str) -> Result<u8, Failure> {
    let Some(rule) = registry::find(code) else {
        let codes: Vec<&str> = registry::RULES.iter().map(|r| r.code).collect();
        return Err(Failure::Usage(format!(
            "no rule `{}`; the rules are {}",
            crate::base::sanitize::clean(code),
            codes.join(", ")
        )));
    };
    print(|out| {
        writeln!(out, "{} {}", rule.code, rule.name)?;
        writeln!(out, "scope: {}", rule.scope.as_str())?;
        writeln!(
            out,
            "policy: {} <{}>",
            rule.section.title,
            rule.section.url()
        )?;
        writeln!(out)?;
        writeln!(out, "{}", rule.explanation())
    })
}

fn catalog_show(args: &CatalogArgs, format: CatalogFormat) -> Result<u8, Failure> {
    let catalog = load_catalog(args)?;
    print(|out| match format {
        CatalogFormat::Json => crate::report::json::write_pretty(&catalog.to_file(), out),
        CatalogFormat::Table => crate::catalog::show::render(&catalog, out),
    })
}
