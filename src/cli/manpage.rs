//! `akspol manpage`: the man page of akspol on standard output, or with
//! `--dir DIR` one page per command (`akspol.1`, `akspol-check.1`,
//! `akspol-catalog-show.1`, ...), each with its options (clap_mangen), its
//! exit statuses and examples.

use std::io::{self, Write};
use std::path::Path;

use clap::CommandFactory;

use super::args::Cli;
use super::exit::{Failure, EXIT_OK};
use super::output::{check_links, print, write_file};

pub fn run(dir: Option<&Path>) -> Result<u8, Failure> {
    let mut cli = Cli::command().disable_help_subcommand(true);
    cli.build();
    let Some(dir) = dir else {
        return print(|out| page(&cli, &[], out));
    };
    // A link another user planted in a shared directory is not followed
    // (see `output::check_links`); each page is checked again as written.
    check_links(dir)
        .and_then(|()| std::fs::create_dir_all(dir))
        .map_err(|source| Failure::Output {
            path: dir.display().to_string(),
            source,
        })?;
    let mut pages = Vec::new();
    collect(&cli, &mut Vec::new(), &mut pages);
    for (command, path) in pages {
        let man = clap_mangen::Man::new(command.clone());
        let file = dir.join(man.get_filename());
        write_file(&file, |out| page(&command, &path, out)).map_err(|source| Failure::Output {
            path: file.display().to_string(),
            source,
        })?;
        println!("{}", file.display());
    }
    Ok(EXIT_OK)
}

/// Every command that has a page, with the subcommand names leading to it.
fn collect(
    command: &clap::Command,
    path: &mut Vec<String>,
    pages: &mut Vec<(clap::Command, Vec<String>)>,
) {
    pages.push((command.clone(), path.clone()));
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        path.push(sub.get_name().to_string());
        collect(sub, path, pages);
        path.pop();
    }
}

/// One page: clap_mangen's sections, then EXIT STATUS and EXAMPLES.
fn page(command: &clap::Command, path: &[String], out: &mut dyn Write) -> io::Result<()> {
    // Rendered into memory: clap_mangen's writer may stop halfway on a closed pipe.
    let mut roff = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut roff)?;
    out.write_all(&roff)?;
    let words: Vec<&str> = path.iter().map(String::as_str).collect();
    section(out, "EXIT STATUS", &exit_status(&words))?;
    let examples = examples(&words);
    if !examples.is_empty() {
        writeln!(out, ".SH EXAMPLES")?;
        for (what, line) in examples {
            writeln!(out, ".TP")?;
            writeln!(out, "{}", escape(what))?;
            writeln!(out, "\\fB{}\\fR", escape(line))?;
        }
    }
    Ok(())
}

fn section(out: &mut dyn Write, title: &str, lines: &[&str]) -> io::Result<()> {
    writeln!(out, ".SH \"{title}\"")?;
    for line in lines {
        writeln!(out, ".TP")?;
        let (code, meaning) = line.split_once(' ').unwrap_or((line, ""));
        writeln!(out, "\\fB{}\\fR", escape(code))?;
        writeln!(out, "{}", escape(meaning))?;
    }
    Ok(())
}

/// Text as roff: backslashes escaped, no line starting with a control character.
fn escape(text: &str) -> String {
    let text = text.replace('\\', "\\e").replace('-', "\\-");
    if text.starts_with('.') || text.starts_with('\'') {
        format!("\\&{text}")
    } else {
        text
    }
}

fn exit_status(path: &[&str]) -> Vec<&'static str> {
    match path {
        [] | ["check"] => vec![
            "0 nothing at or above --fail-on (default fail), and no deadline within --fail-within",
            "1 the state is not acceptable: standard error ends with one `exit 1:` line per reason",
            "2 akspol could not judge: bad usage, or an unreadable or invalid inventory, catalog, policy or waiver file",
        ],
        ["plan"] => vec![
            "0 a plan was made (even one with steps or blockers)",
            "2 the inventory, catalog or policy cannot be read, or bad usage",
        ],
        ["explain"] => vec!["0 the rule was explained", "2 no such rule, or bad usage"],
        ["catalog", "update"] => vec![
            "0 the catalog was refreshed (or was already current) and cached",
            "2 the fetch failed; the cache is left as it was",
        ],
        _ => vec!["0 success", "2 bad usage, or the output could not be written"],
    }
}

fn examples(path: &[&str]) -> Vec<(&'static str, &'static str)> {
    match path {
        [] => vec![
            ("Judge the bundled example (it exits 1 on purpose: the example is out of support):", "akspol check --as-of 2026-11-23 fixtures/examples/contoso.json"),
            ("The rules, and one of them in full:", "akspol rules; akspol explain V003"),
        ],
        ["check"] => vec![
            ("Judge an inventory today:", "akspol check inventory.json"),
            ("Every finding, passing and skipped ones too:", "akspol check --show all inventory.json"),
            ("In CI: annotations, SARIF for code scanning, fail two weeks before a deadline:", "akspol check --format github --report sarif=akspol.sarif --fail-within 14 inventories/"),
            ("A ticket for support:", "akspol check --format markdown --output ticket.md customer.json"),
        ],
        ["plan"] => vec![("The upgrade steps and the calendar of deadlines:", "akspol plan inventory.json")],
        ["rules"] => vec![("Every rule, as JSON:", "akspol rules --format json")],
        ["explain"] => vec![("What S001 checks, why, and how to fix it:", "akspol explain S001")],
        ["catalog"] | ["catalog", "show"] => vec![("The catalog check would use now:", "akspol catalog show")],
        ["catalog", "update"] => vec![("Refresh the catalog from GitHub:", "akspol catalog update")],
        ["catalog", "path"] => vec![("Where the cached catalog is:", "akspol catalog path")],
        ["schema"] => vec![("Validate inventories in an editor:", "akspol schema > inventory.schema.json")],
        ["completions"] => vec![
            ("bash:", "akspol completions bash > ~/.local/share/bash-completion/completions/akspol"),
            ("PowerShell, every session:", "akspol completions powershell >> $PROFILE"),
        ],
        ["manpage"] => vec![("Every page, for man:", "akspol manpage --dir /usr/local/share/man/man1")],
        _ => Vec::new(),
    }
}
