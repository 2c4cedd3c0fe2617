//! Writing outputs without destroying files (issue 12, items 1-4 and 16),
//! through the built binary: special files, clashes between outputs and
//! inputs, permissions and symbolic links kept, a closed standard output,
//! and reports of an earlier run when nothing could be judged.
#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::{self, Run};

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;

const CONTOSO: &str = "fixtures/examples/contoso.json";
const AS_OF: &str = "2026-11-23";

fn check(args: &[&str]) -> Run {
    common::check(AS_OF, args)
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// Item 1: `-o /dev/null` replaced the device node with a regular file when
/// run as root; `-o /dev/full` did the same and reported success.
#[test]
fn special_files_are_written_in_place() {
    let run = check(&[CONTOSO, "--format", "json", "-o", "/dev/null"]);
    assert_eq!(run.code, 1, "the verdict's status: {}", run.stderr);
    // Only why exit 1 (and how old the catalog is): no error.
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    let null = std::fs::metadata("/dev/null").unwrap();
    assert!(null.file_type().is_char_device(), "/dev/null was replaced");

    if Path::new("/dev/full").exists() {
        let run = check(&[CONTOSO, "-o", "/dev/full"]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(
            run.stderr
                .contains("cannot write /dev/full: No space left on device"),
            "{}",
            run.stderr
        );
        let full = std::fs::metadata("/dev/full").unwrap();
        assert!(full.file_type().is_char_device(), "/dev/full was replaced");
    }

    // /dev/stdout and `-` are standard output.
    for stdout in ["/dev/stdout", "-"] {
        let run = check(&[CONTOSO, "--format", "json", "-o", stdout]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stdout.contains("\"reportVersion\": 1"), "{stdout}");
    }

    // A directory is refused, and so is a block device or a socket.
    let dir = tempfile::tempdir().unwrap();
    let run = check(&[CONTOSO, "-o", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("it is a directory"), "{}", run.stderr);
    let socket_path = dir.path().join("s.sock");
    let _socket = std::os::unix::net::UnixListener::bind(&socket_path).unwrap();
    let run = check(&[CONTOSO, "-o", socket_path.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("neither a regular file nor a character device"),
        "{}",
        run.stderr
    );
    assert!(std::fs::symlink_metadata(&socket_path)
        .unwrap()
        .file_type()
        .is_socket());
}

/// A FIFO (a pipe with a name) is written in place, as `tee` would.
#[test]
fn a_fifo_is_written_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("report.pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        return; // no mkfifo on this system
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let run = check(&[CONTOSO, "--format", "json", "-o", fifo.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = reader.join().unwrap();
    assert!(text.contains("\"reportVersion\": 1"));
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
}

/// Item 3: `-o inv.json` replaced the inventory; two outputs to one file kept
/// only the last. Both are usage errors now, before anything is written.
#[test]
fn outputs_that_clash_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("inv.json");
    std::fs::copy(common::repo().join(CONTOSO), &inventory).unwrap();
    let original = std::fs::read(&inventory).unwrap();
    let inv = inventory.to_str().unwrap();
    let a = dir.path().join("a");
    let a = a.to_str().unwrap();
    let alias = dir.path().join("alias.json");
    std::os::unix::fs::symlink(&inventory, &alias).unwrap();
    let waivers = dir.path().join("waivers.json");
    std::fs::write(&waivers, "[]").unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![inv.into(), "-o".into(), inv.into()],
            "--output {inv} is also an input (INVENTORY {inv}): refusing to overwrite it",
        ),
        (
            vec![inv.into(), "--report".into(), format!("junit={inv}")],
            "--report junit {inv} is also an input (INVENTORY {inv})",
        ),
        (
            vec![inv.into(), "-o".into(), alias.to_str().unwrap().into()],
            "is also an input (INVENTORY {inv})",
        ),
        (
            vec![
                inv.into(),
                "--waivers".into(),
                waivers.to_str().unwrap().into(),
                "--report".into(),
                format!("sarif={}", waivers.display()),
            ],
            "is also an input (--waivers",
        ),
        (
            vec![dir.path().to_str().unwrap().into(), "-o".into(), inv.into()],
            "--output {inv} is also an input (INVENTORY ",
        ),
        (
            vec![
                inv.into(),
                "--report".into(),
                format!("sarif={a}"),
                "--report".into(),
                format!("junit={a}"),
            ],
            "--report junit {a} and --report sarif {a} name the same file",
        ),
        (
            vec![
                inv.into(),
                "-o".into(),
                a.into(),
                "--report".into(),
                format!("markdown={a}"),
            ],
            "--report markdown {a} and --output {a} name the same file",
        ),
        (
            vec![inv.into(), "--report".into(), "sarif=/dev/stdout".into()],
            "--report sarif /dev/stdout and --format table (standard output) name the same file",
        ),
    ];
    for (args, expected) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = check(&args);
        let expected = expected.replace("{inv}", inv).replace("{a}", a);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}");
        assert!(
            run.stderr.contains(&expected),
            "{args:?}:\n{}\nexpected: {expected}",
            run.stderr
        );
        assert_eq!(std::fs::read(&inventory).unwrap(), original, "{args:?}");
        assert!(!Path::new(a).exists(), "{args:?} wrote {a}");
    }
    // /dev/null may take any number of outputs.
    let run = check(&[inv, "-o", "/dev/null", "--report", "sarif=/dev/null"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // plan too.
    let run = common::akspol()
        .args(["plan", inv, "--as-of", AS_OF, "-o", inv])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("is also an input"));
    assert_eq!(std::fs::read(&inventory).unwrap(), original);
}

/// Item 4: writing over a 0600 or 0400 file left a 0644 one; writing to a
/// symbolic link replaced the link with a file.
#[test]
fn permissions_and_links_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    for kept in [0o600, 0o400, 0o640] {
        let path = dir.path().join(format!("report-{kept:o}.json"));
        std::fs::write(&path, "secret").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(kept)).unwrap();
        let run = check(&[CONTOSO, "--format", "json", "-o", path.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert_eq!(mode(&path), kept, "mode of {}", path.display());
        assert!(std::fs::read_to_string(&path)
            .unwrap()
            .contains("reportVersion"));
    }
    let real = dir.path().join("real.sarif");
    std::fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.sarif");
    std::os::unix::fs::symlink("real.sarif", &link).unwrap();
    let run = check(&[CONTOSO, "--report", &format!("sarif={}", link.display())]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(&real)
        .unwrap()
        .contains("\"2.1.0\""));
    // Nothing but the outputs is left: no temporary file.
    let names = names_in(dir.path());
    assert_eq!(
        names,
        [
            "link.sarif",
            "real.sarif",
            "report-400.json",
            "report-600.json",
            "report-640.json"
        ]
    );
}

/// `akspol ARGS >&-` through `sh`: standard output closed.
fn with_stdout_closed(args: &str, extra: &[&Path]) -> std::process::Output {
    std::process::Command::new("sh")
        .current_dir(common::repo())
        .env(
            "AKSPOL_CACHE_DIR",
            common::repo().join("target").join("no-catalog-cache"),
        )
        .arg("-c")
        .arg(format!("\"$0\" {args} >&-"))
        .arg(assert_cmd::cargo::cargo_bin("akspol"))
        .args(extra)
        .output()
        .unwrap()
}

/// Item 16: with standard output closed (`>&-`) the report was dropped silently.
#[test]
fn a_closed_standard_output_is_an_error() {
    let output = with_stdout_closed(
        "check --as-of 2026-11-23 fixtures/examples/contoso.json",
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: cannot write standard output: it is closed"),
        "{stderr}"
    );
    // With --output, a closed standard output does not matter.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.json");
    let output = with_stdout_closed(
        "check --as-of 2026-11-23 --format json -o \"$1\" fixtures/examples/contoso.json",
        &[&out],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("reportVersion"));
}

/// Item 16: when every input is invalid, the reports of an earlier run stayed
/// and CI uploaded them as this run's.
#[test]
fn reports_of_an_earlier_run_do_not_survive_a_run_that_judged_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("akspol.sarif");
    let json = dir.path().join("report.json");
    let sarif_arg = format!("sarif={}", sarif.display());
    let run = check(&[
        CONTOSO,
        "--format",
        "json",
        "-o",
        json.to_str().unwrap(),
        "--report",
        &sarif_arg,
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(sarif.exists() && json.exists());
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{").unwrap();
    let run = check(&[
        bad.to_str().unwrap(),
        "--format",
        "json",
        "-o",
        json.to_str().unwrap(),
        "--report",
        &sarif_arg,
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "warning: no inventory could be judged: removed the reports an earlier run left in"
        ),
        "{}",
        run.stderr
    );
    assert!(!sarif.exists() && !json.exists());
    assert_eq!(names_in(dir.path()), ["bad.json"]);
}

/// Item 4: a run killed while it writes `-o FILE` leaves the old file as it
/// was and nothing beside it: on Linux the report is an unnamed file in the
/// directory until it is complete.
#[cfg(target_os = "linux")]
#[test]
fn a_run_killed_while_writing_leaves_nothing_behind() {
    use std::io::Write;
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    std::fs::write(&out, "the old report\n").unwrap();
    // The inventory comes on standard input, which stays open: the run has
    // opened its output and waits.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_akspol"))
        .args([
            "check",
            "--offline",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "-o",
        ])
        .arg(&out)
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"{\"schemaVersion\": 1,").unwrap();
    let fds = Path::new("/proc").join(child.id().to_string()).join("fd");
    let dir_text = dir.path().canonicalize().unwrap().display().to_string();
    let started = Instant::now();
    let unnamed = loop {
        let found = std::fs::read_dir(&fds).ok().and_then(|entries| {
            entries.filter_map(Result::ok).find_map(|e| {
                let link = std::fs::read_link(e.path()).ok()?.display().to_string();
                (link.starts_with(&dir_text) && link.ends_with("(deleted)")).then_some(link)
            })
        });
        if let Some(link) = found {
            break link;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the run never opened its output"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(unnamed.contains("/#"), "{unnamed}");
    assert_eq!(
        names_in(dir.path()),
        ["out.json"],
        "no named temporary file"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdin);
    assert_eq!(names_in(dir.path()), ["out.json"]);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "the old report\n");
    // And a run that completes replaces it, still with nothing beside it.
    let run = check(&[
        "--offline",
        "--format",
        "json",
        "-o",
        out.to_str().unwrap(),
        CONTOSO,
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(names_in(dir.path()), ["out.json"]);
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("\"reportVersion\": 1"));
}

/// The user id this test runs as: the owner of a file it just made.
fn my_uid(dir: &Path) -> u32 {
    use std::os::unix::fs::MetadataExt;
    let probe = dir.join(".uid-probe");
    std::fs::write(&probe, "").unwrap();
    let uid = std::fs::metadata(&probe).unwrap().uid();
    std::fs::remove_file(probe).unwrap();
    uid
}

/// Another user to own a planted link: `nobody`. Only root can give a link
/// away; otherwise the test says it skips that part.
fn give_to_nobody(link: &Path, what: &str) -> bool {
    const NOBODY: u32 = 65534;
    match std::os::unix::fs::lchown(link, Some(NOBODY), Some(NOBODY)) {
        Ok(()) => true,
        Err(error) => {
            eprintln!("skipped {what}: giving a link to another user needs root ({error})");
            false
        }
    }
}

/// A sticky world-writable directory, as /tmp is.
fn sticky_dir(parent: &Path) -> std::path::PathBuf {
    let shared = parent.join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
    shared
}

/// Issue 22, item 1 (critical): a run that judged nothing removed the file a
/// link named, wherever it was, and any file at a report's name, whatever
/// it held. Only a regular file at the name given, that begins as akspol's
/// reports begin, is removed now; anything else is left, with a warning.
#[test]
fn a_run_that_judged_nothing_removes_only_reports_akspol_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{").unwrap();
    let bad = bad.to_str().unwrap();

    // A user's own notes under a report's name stay.
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "my notes\n").unwrap();
    let run = check(&[bad, "--report", &format!("markdown={}", notes.display())]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my notes\n");
    assert!(
        run.stderr.contains(&format!(
            "warning: no inventory could be judged: left --report {} as it was: it does not begin as the reports akspol writes do",
            notes.display()
        )),
        "{}",
        run.stderr
    );

    // A link (the user's own, in the user's directory) is left, and so is
    // the report it points to.
    let real = dir.path().join("real.sarif");
    let link = dir.path().join("link.sarif");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let run = check(&[CONTOSO, "--format", "sarif", "-o", link.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(akspol::report::is_akspol_report(
        &std::fs::read(&real).unwrap()
    ));
    let run = check(&[bad, "--format", "sarif", "-o", link.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(real.exists(), "removed through the link");
    assert!(std::fs::symlink_metadata(&link).is_ok());
    assert!(
        run.stderr.contains("as it was: it is a symbolic link"),
        "{}",
        run.stderr
    );

    // A table carries no mark: left, and said.
    let table = dir.path().join("table.txt");
    let run = check(&[CONTOSO, "-o", table.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let run = check(&[bad, "-o", table.to_str().unwrap()]);
    assert!(table.exists());
    assert!(
        run.stderr.contains("or is a table, which carries no mark"),
        "{}",
        run.stderr
    );

    // The reports akspol wrote, in every other format, go.
    let formats = [
        "json",
        "sarif",
        "junit",
        "markdown",
        "github",
        "html",
        "openmetrics",
    ];
    let mut args: Vec<String> = vec![CONTOSO.into()];
    for format in formats {
        args.push("--report".into());
        args.push(format!("{format}={}", dir.path().join(format).display()));
    }
    let with = |first: &str| {
        let mut all = args.clone();
        all[0] = first.into();
        all
    };
    let written = with(CONTOSO);
    let run = check(&written.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let failed = with(bad);
    let run = check(&failed.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.code, 2, "{}", run.stderr);
    for format in formats {
        assert!(!dir.path().join(format).exists(), "{format} was left");
    }
    assert!(run
        .stderr
        .contains("removed the reports an earlier run left in"));
}

/// Issue 22, item 1, as it was found: as root, a link planted by another
/// user in a sticky world-writable directory made a failed run delete the
/// file it pointed to.
#[test]
fn a_failed_run_never_deletes_through_a_planted_link() {
    let dir = tempfile::tempdir().unwrap();
    let shared = sticky_dir(dir.path());
    let precious = dir.path().join("precious");
    std::fs::write(&precious, "precious\n").unwrap();
    let planted = shared.join("out.sarif");
    std::os::unix::fs::symlink(&precious, &planted).unwrap();
    if !give_to_nobody(&planted, "the planted-link case") {
        return;
    }
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{").unwrap();
    let run = check(&[
        "--offline",
        "--format",
        "sarif",
        "-o",
        planted.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "precious\n");
    assert!(std::fs::symlink_metadata(&planted).is_ok());
}

/// Every report akspol writes to a file begins with its mark; a table does
/// not. The renderers and the mark are checked together here, so that a
/// change to a header cannot make stale reports stay unnoticed.
#[test]
fn every_report_but_a_table_carries_akspol_s_mark() {
    let dir = tempfile::tempdir().unwrap();
    let runs: [&[&str]; 3] = [
        &[CONTOSO],
        &[CONTOSO, "fixtures/examples/azure-local.json"],
        &[CONTOSO, "--summary-only", "--show", "all"],
    ];
    for inputs in runs {
        for format in [
            "json",
            "sarif",
            "junit",
            "markdown",
            "github",
            "html",
            "openmetrics",
            "table",
        ] {
            let out = dir.path().join(format);
            let mut args = inputs.to_vec();
            args.extend(["--format", format, "-o", out.to_str().unwrap()]);
            let run = check(&args);
            assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
            let bytes = std::fs::read(&out).unwrap();
            let head = &bytes[..bytes.len().min(akspol::cli::output::HEAD_BYTES)];
            assert_eq!(
                akspol::report::is_akspol_report(head),
                format != "table",
                "{args:?}"
            );
        }
    }
    for other in [&b"my notes\n"[..], b"{}", b"<html></html>", b"# akspol\n"] {
        assert!(!akspol::report::is_akspol_report(other));
    }
}

/// Issue 22, item 3: `-o`, `--report` and `manpage --dir` read a link and
/// wrote over its target themselves, so the kernel's protection of sticky
/// directories (`fs.protected_symlinks`) never applied. A link another user
/// owns in a sticky world-writable directory is refused now, wherever it is
/// on the path; the user's own links are written through.
#[test]
fn links_in_sticky_directories_are_followed_only_when_the_user_owns_them() {
    let dir = tempfile::tempdir().unwrap();
    let shared = sticky_dir(dir.path());
    let mine = dir.path().join("mine.json");
    let own_link = shared.join("own.json");
    std::os::unix::fs::symlink(&mine, &own_link).unwrap();
    // The user's own link in a sticky directory: written through.
    let run = check(&[
        CONTOSO,
        "--format",
        "json",
        "-o",
        own_link.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(std::fs::read_to_string(&mine)
        .unwrap()
        .contains("reportVersion"));
    assert!(std::fs::symlink_metadata(&own_link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(my_uid(dir.path()), {
        use std::os::unix::fs::MetadataExt;
        std::fs::symlink_metadata(&own_link).unwrap().uid()
    });

    // Links another user planted: to a file, dangling, as a directory on the
    // way, for `manpage --dir`.
    let precious = dir.path().join("precious");
    std::fs::write(&precious, "precious\n").unwrap();
    let planted = shared.join("planted.json");
    std::os::unix::fs::symlink(&precious, &planted).unwrap();
    let dangling = shared.join("dangling.json");
    let created = dir.path().join("created.json");
    std::os::unix::fs::symlink(&created, &dangling).unwrap();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let dir_link = shared.join("reports");
    std::os::unix::fs::symlink(&elsewhere, &dir_link).unwrap();
    let given = [&planted, &dangling, &dir_link]
        .iter()
        .all(|link| give_to_nobody(link, "the planted-link cases"));
    if !given {
        return;
    }
    let through_dir = dir_link.join("r.json");
    for (target, how) in [
        (&planted, vec!["-o"]),
        (&dangling, vec!["--report"]),
        (&through_dir, vec!["-o"]),
    ] {
        let mut args = vec![CONTOSO, "--format", "json"];
        let report;
        if how == ["--report"] {
            report = format!("sarif={}", target.display());
            args.extend(["--report", &report]);
        } else {
            args.extend(["-o", target.to_str().unwrap()]);
        }
        let run = check(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains(
                "is a symbolic link in a sticky world-writable directory, owned by uid 65534"
            ) && run.stderr.contains("akspol does not follow it"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "precious\n");
    assert!(!created.exists());
    assert_eq!(names_in(&elsewhere), Vec::<String>::new());
    let man = common::akspol()
        .args(["manpage", "--dir"])
        .arg(&dir_link)
        .output()
        .unwrap();
    assert_eq!(man.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&man.stderr).contains("akspol does not follow it"));
    assert_eq!(names_in(&elsewhere), Vec::<String>::new());
    // The same directory through the user's own link takes the pages.
    let own_dir_link = shared.join("my-man");
    std::os::unix::fs::symlink(&elsewhere, &own_dir_link).unwrap();
    let man = common::akspol()
        .args(["manpage", "--dir"])
        .arg(&own_dir_link)
        .output()
        .unwrap();
    assert_eq!(man.status.code(), Some(0), "{man:?}");
    assert!(names_in(&elsewhere).contains(&"akspol.1".to_string()));
}

/// Issue 22, item 4: `--baseline F` with `-o F` replaced the baseline (and
/// with nothing judged, deleted it). Refused before anything runs now.
#[test]
fn the_baseline_is_never_an_output() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    let run = check(&[
        CONTOSO,
        "--format",
        "json",
        "-o",
        baseline.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let before = std::fs::read(&baseline).unwrap();
    let b = baseline.to_str().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{").unwrap();
    let report = format!("junit={b}");
    for args in [
        vec![CONTOSO, "--baseline", b, "-o", b],
        vec![CONTOSO, "--baseline", b, "--report", &report],
        vec![
            bad.to_str().unwrap(),
            "--baseline",
            b,
            "--format",
            "json",
            "-o",
            b,
        ],
    ] {
        let run = check(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("is also an input (--baseline {b})")),
            "{args:?}: {}",
            run.stderr
        );
        assert_eq!(std::fs::read(&baseline).unwrap(), before, "{args:?}");
    }
}

/// Issue 22, item 5: `collect -o` wrote over its own inputs: a saved output
/// of `--from DIR`, the `--from` zip, a `--kubeconfig` file.
#[test]
fn collect_never_writes_over_what_it_reads() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("bundle");
    std::fs::create_dir(&bundle).unwrap();
    for entry in std::fs::read_dir(common::repo().join("fixtures/collect/akshci-host")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), bundle.join(entry.file_name())).unwrap();
    }
    let version = bundle.join("Get-AksHciVersion.txt");
    let saved = std::fs::read(&version).unwrap();
    let zip = dir.path().join("bundle.zip");
    std::fs::write(&zip, "not yet a zip").unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(&kubeconfig, "apiVersion: v1\n").unwrap();
    let kube_arg = format!("akswc1={}", kubeconfig.display());
    let cases: Vec<(Vec<&str>, &Path, String)> = vec![
        (
            vec![
                "--from",
                bundle.to_str().unwrap(),
                "-o",
                version.to_str().unwrap(),
            ],
            &version,
            format!(
                "--output {} is also an input (the saved output {})",
                version.display(),
                version.display()
            ),
        ),
        (
            vec!["--from", zip.to_str().unwrap(), "-o", zip.to_str().unwrap()],
            &zip,
            format!("is also an input (--from {})", zip.display()),
        ),
        (
            vec![
                "--powershell",
                "/nonexistent/powershell",
                "--kubeconfig",
                &kube_arg,
                "-o",
                kubeconfig.to_str().unwrap(),
            ],
            &kubeconfig,
            format!("is also an input (--kubeconfig {})", kubeconfig.display()),
        ),
    ];
    for (args, input, expected) in cases {
        let before = std::fs::read(input).unwrap();
        let output = common::akspol()
            .arg("collect")
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&expected),
            "{args:?}: {stderr}\nexpected: {expected}"
        );
        assert_eq!(std::fs::read(input).unwrap(), before, "{args:?}");
    }
    assert_eq!(std::fs::read(&version).unwrap(), saved);
    // Beside the saved outputs, under a name of its own, is fine.
    let inventory = bundle.join("inventory.json");
    let output = common::akspol()
        .args(["collect", "--from"])
        .arg(&bundle)
        .arg("-o")
        .arg(&inventory)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(std::fs::read_to_string(&inventory)
        .unwrap()
        .contains("schemaVersion"));
}

/// Issue 22, item 17: a temporary directory that cannot take the spool of a
/// streaming report was reported as "cannot write standard output".
#[test]
fn a_spool_that_cannot_be_made_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("gone");
    for format in [
        "html",
        "junit",
        "markdown",
        "sarif",
        "github",
        "openmetrics",
    ] {
        let output = common::akspol()
            .env("TMPDIR", &missing)
            .args(["check", "--as-of", AS_OF, "--format", format, CONTOSO])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{format}: {stderr}");
        let expected = format!(
            "error: cannot write the spool of the report to standard output in {} (the temporary directory, from TMPDIR): No such file or directory",
            missing.display()
        );
        assert!(stderr.contains(&expected), "{format}: {stderr}");
    }
}

/// Issue 22, item 18: `GITHUB_STEP_SUMMARY` naming an input inventory had
/// Markdown appended to it. It is an output like `-o`, with the same rules.
#[test]
fn the_step_summary_is_an_output_like_any_other() {
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("inv.json");
    std::fs::copy(common::repo().join(CONTOSO), &inventory).unwrap();
    let original = std::fs::read(&inventory).unwrap();
    let report = dir.path().join("report.md");
    let r = format!("markdown={}", report.display());
    for (summary, more, expected) in [
        (
            &inventory,
            vec![],
            format!(
                "GITHUB_STEP_SUMMARY {inv} is also an input (INVENTORY {inv})",
                inv = inventory.display()
            ),
        ),
        (
            &report,
            vec!["--report", r.as_str()],
            format!(
                "GITHUB_STEP_SUMMARY {0} and --report markdown {0} name the same file",
                report.display()
            ),
        ),
    ] {
        let output = common::akspol()
            .env("GITHUB_STEP_SUMMARY", summary)
            .args(["check", "--as-of", AS_OF, "--format", "github"])
            .args(&more)
            .arg(&inventory)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(&expected), "{stderr}\nexpected: {expected}");
        assert_eq!(std::fs::read(&inventory).unwrap(), original);
        assert!(!report.exists());
    }
    // A summary file of its own is appended to, as before.
    let summary = dir.path().join("summary.md");
    let output = common::akspol()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["check", "--as-of", AS_OF, "--format", "github"])
        .arg(&inventory)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(std::fs::read_to_string(&summary)
        .unwrap()
        .contains("akspol"));
}
