//! The house rules (`docs/architecture.md`), checked on the source itself:
//! every room imports only the rooms below it, the network code is reached
//! from the `catalog update` command alone, and only the face prints, writes
//! files, reads the clock or knows exit statuses.
//!
//! The check reads `crate::ROOM` paths (and `use crate::{...}` groups) as
//! text, outside comments and inline test modules. A new room must be added
//! to [`ROOMS`] before it builds a test that passes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each room, top floor first, with the rooms it may import.
const ROOMS: &[(&str, &[&str])] = &[
    (
        "cli",
        &[
            "judge",
            "plan",
            "report",
            "rules",
            "collect",
            "findings",
            "inventory",
            "catalog",
            "policy",
            "input",
            "base",
        ],
    ),
    (
        "judge",
        &[
            "plan",
            "rules",
            "findings",
            "inventory",
            "catalog",
            "policy",
            "input",
            "base",
        ],
    ),
    (
        "plan",
        &[
            "rules",
            "findings",
            "inventory",
            "catalog",
            "policy",
            "base",
        ],
    ),
    ("report", &["findings", "base"]),
    // Above the rules: a gap names the rules the missing field silences.
    ("collect", &["rules", "inventory", "input", "base"]),
    (
        "rules",
        &["findings", "inventory", "catalog", "policy", "base"],
    ),
    ("catalog", &["inventory", "input", "base"]),
    ("policy", &["input", "base"]),
    ("inventory", &["input", "base"]),
    ("findings", &["base"]),
    ("input", &["base"]),
    ("base", &[]),
];

/// The one file allowed to use the network code.
const FETCH_CALLER: &str = "src/cli/catalog.rs";

/// The one file that starts programs (`akspol collect`'s runner).
const PROCESS_RUNNER: &str = "src/collect/run.rs";

/// What only the face does, as it reads in code.
const FACE_ONLY: &[&str] = &[
    "EXIT_OK",
    "EXIT_FINDINGS",
    "EXIT_ERROR",
    "process::exit",
    "File::create",
    "OpenOptions",
    "fs::write",
    "fs::rename",
    "fs::remove_file",
    "create_dir",
    "println!",
    "print!(",
    "eprintln!",
    "eprint!(",
    "io::stdout",
    "io::stderr",
    "today_utc(",
    "Utc::now",
    "Local::now",
    "SystemTime::now",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source without comments and without the inline `mod tests` at its end.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if trimmed.starts_with("//") {
                ""
            } else {
                // A trailing comment; `://` in a string is not one.
                match line.find(" // ") {
                    Some(at) => &line[..at],
                    None => line,
                }
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The rooms a file's code names through `crate::`.
fn imported_rooms(code: &str) -> BTreeSet<String> {
    let mut rooms = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{a::X, b};`: the first name of each top-level item.
            let mut depth = 0;
            let mut item_start = true;
            let mut name = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        if !name.is_empty() {
                            rooms.insert(std::mem::take(&mut name));
                        }
                        item_start = true;
                        continue;
                    }
                    _ => {}
                }
                if item_start && depth == 0 {
                    if c.is_alphanumeric() || c == '_' {
                        name.push(c);
                        continue;
                    }
                    if !name.is_empty() {
                        rooms.insert(std::mem::take(&mut name));
                        item_start = false;
                    }
                }
            }
            if !name.is_empty() {
                rooms.insert(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            rooms.insert(name);
        }
    }
    rooms
}

/// `src/rules/v003.rs` is in room `rules`; `src/lib.rs` and `src/main.rs` in none.
fn room_of(relative: &Path) -> Option<String> {
    let mut parts = relative.components().skip(1);
    let first = parts.next()?.as_os_str().to_str()?.to_string();
    parts.next()?;
    Some(first)
}

struct File {
    relative: String,
    room: Option<String>,
    code: String,
}

fn files() -> Vec<File> {
    let root = common::repo();
    let mut paths = Vec::new();
    rust_files(&root.join("src"), &mut paths);
    paths.sort();
    // Files declared under `#[cfg(test)]` (a rule-test helper) are tests.
    let mut test_only = BTreeSet::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        for (i, _) in text.match_indices("#[cfg(test)]\nmod ") {
            let name: String = text[i + "#[cfg(test)]\nmod ".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if text[i..].contains(&format!("mod {name};")) {
                test_only.insert(path.with_file_name(format!("{name}.rs")));
            }
        }
    }
    paths
        .into_iter()
        .filter(|p| !test_only.contains(p))
        .map(|path| {
            let relative = path.strip_prefix(&root).unwrap().to_path_buf();
            File {
                room: room_of(&relative),
                relative: relative.display().to_string(),
                code: code_of(&std::fs::read_to_string(&path).unwrap()),
            }
        })
        .collect()
}

fn allowed() -> BTreeMap<&'static str, BTreeSet<&'static str>> {
    ROOMS
        .iter()
        .map(|(room, below)| (*room, below.iter().copied().collect()))
        .collect()
}

#[test]
fn every_room_is_listed_and_the_list_only_points_down() {
    let allowed = allowed();
    let rank: BTreeMap<&str, usize> = ROOMS
        .iter()
        .enumerate()
        .map(|(i, (r, _))| (*r, i))
        .collect();
    for (room, below) in ROOMS {
        for other in *below {
            assert!(
                rank[other] > rank[room],
                "{room} may import {other}, which is not below it in ROOMS"
            );
        }
    }
    for file in files() {
        if let Some(room) = &file.room {
            assert!(
                allowed.contains_key(room.as_str()),
                "{}: room `{room}` is not in ROOMS (tests/architecture.rs)",
                file.relative
            );
        }
    }
}

#[test]
fn no_room_imports_a_room_above_it_or_beside_it() {
    let allowed = allowed();
    let mut wrong = Vec::new();
    for file in files() {
        let Some(room) = &file.room else {
            continue;
        };
        let Some(may) = allowed.get(room.as_str()) else {
            continue;
        };
        for target in imported_rooms(&file.code) {
            // The crate root holds only the room list and the schema text.
            if target == *room || target == "INVENTORY_SCHEMA" {
                continue;
            }
            if !may.contains(target.as_str()) {
                wrong.push(format!("{} ({room}) imports {target}", file.relative));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "arrows that do not point down:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_network_code_is_reached_from_the_update_command_only() {
    let mut wrong = Vec::new();
    for file in files() {
        let names_fetch = file.code.contains("catalog::fetch")
            || (file.relative.starts_with("src/catalog/")
                && !file.relative.ends_with("fetch.rs")
                && file.code.lines().any(|l| {
                    l.contains("fetch::")
                        || (l.contains("mod fetch") && !l.trim().starts_with("pub mod fetch;"))
                }));
        if names_fetch && file.relative != FETCH_CALLER {
            wrong.push(file.relative.clone());
        }
    }
    assert!(
        wrong.is_empty(),
        "catalog::fetch is reached from outside {FETCH_CALLER}: {wrong:?}"
    );
    // And the HTTP client lives there alone.
    for file in files() {
        if file.code.contains("reqwest::") && !file.relative.ends_with("catalog/fetch.rs") {
            assert_eq!(
                file.relative, FETCH_CALLER,
                "{} uses reqwest outside catalog/fetch.rs",
                file.relative
            );
        }
    }
}

#[test]
fn only_the_face_prints_writes_files_reads_the_clock_or_knows_exit_codes() {
    let mut wrong = Vec::new();
    for file in files() {
        let face = file.room.as_deref() == Some("cli") || file.room.is_none();
        if face {
            continue;
        }
        for pattern in FACE_ONLY {
            // base/dates.rs defines `today_utc`; only the face calls it.
            let clock = matches!(*pattern, "today_utc(" | "Utc::now");
            if clock && file.relative.ends_with("base/dates.rs") {
                continue;
            }
            if file.code.contains(pattern) {
                wrong.push(format!("{}: {pattern}", file.relative));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "face-only code below the face:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn programs_are_started_by_the_collect_runner_only() {
    let wrong: Vec<String> = files()
        .into_iter()
        .filter(|f| f.code.contains("process::Command") || f.code.contains("Command::new("))
        .filter(|f| f.relative != PROCESS_RUNNER)
        .map(|f| f.relative)
        .collect();
    assert!(
        wrong.is_empty(),
        "programs started outside {PROCESS_RUNNER}: {wrong:?}"
    );
}

#[test]
fn the_checker_sees_what_it_must() {
    let rooms =
        imported_rooms("use crate::{a::X, b, c::{d, e}};\nlet x = crate::f::g();\n$crate::h::I");
    let rooms: Vec<&str> = rooms.iter().map(String::as_str).collect();
    assert_eq!(rooms, ["a", "b", "c", "f", "h"]);
    assert_eq!(
        code_of("let a = 1; // crate::x\n// crate::y\n"),
        "let a = 1;\n"
    );
    assert_eq!(
        room_of(Path::new("src/rules/v003.rs")).as_deref(),
        Some("rules")
    );
    assert_eq!(room_of(Path::new("src/lib.rs")), None);
}

/// The string literals of `code` that are a rule's code (`"V003"`).
fn rule_code_literals(code: &str) -> Vec<String> {
    let bytes = code.as_bytes();
    let mut found = Vec::new();
    for (at, _) in code.match_indices('"') {
        let Some(literal) = bytes.get(at..at + 6) else {
            continue;
        };
        if literal[5] == b'"'
            && b"VSMFC".contains(&literal[1])
            && literal[2..5].iter().all(u8::is_ascii_digit)
        {
            found.push(String::from_utf8_lossy(literal).into_owned());
        }
    }
    found
}

/// Issue 24: a rule's code is written in `src/rules/` only (and in tests
/// and data); every other part names it as `RuleCode::V003`, or asks the
/// rule (its needs, its remedy), so adding or renaming a rule is done in
/// one place.
#[test]
fn no_rule_code_is_written_outside_the_rules() {
    assert_eq!(
        rule_code_literals("x == \"V008\" || f(\"S001\", \"v001\", \"S0011\", \"Z001\")"),
        ["\"V008\"", "\"S001\""]
    );
    let mut written = Vec::new();
    for file in files() {
        if file.room.as_deref() == Some("rules") {
            continue;
        }
        for (number, line) in file.code.lines().enumerate() {
            for literal in rule_code_literals(line) {
                written.push(format!("{}:{}: {literal}", file.relative, number + 1));
            }
        }
    }
    assert!(
        written.is_empty(),
        "rule codes written outside src/rules/ (name them as RuleCode::...):\n{}",
        written.join("\n")
    );
}

/// The integration tests are one binary (`autotests = false`): a file under
/// `tests/` that `tests/integration.rs` does not declare would never run,
/// and nothing would say so.
#[test]
fn every_test_file_is_a_module_of_the_one_test_binary() {
    let tests = common::repo().join("tests");
    let root = std::fs::read_to_string(tests.join("integration.rs")).unwrap();
    let declared: BTreeSet<&str> = root
        .lines()
        .filter_map(|l| l.strip_prefix("mod ")?.strip_suffix(';'))
        .collect();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&tests).unwrap() {
        let path = entry.unwrap().path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let module = match name.strip_suffix(".rs") {
            Some("integration") => continue,
            Some(module) => module,
            None if path.join("mod.rs").is_file() => name,
            None => continue,
        };
        if !declared.contains(module) {
            missing.push(module.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "tests/integration.rs does not declare {missing:?}: add `mod NAME;` for each"
    );
}
