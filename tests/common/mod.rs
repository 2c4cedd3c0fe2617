//! Shared by the integration tests: fixture expectations and helpers.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every inventory fixture under `fixtures/` (not the catalogs, policies or waivers
/// there), in path order.
pub fn fixture_inventories() -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(&repo().join("fixtures"), &mut out);
    out.sort();
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if path.is_dir() {
            if !matches!(
                name.as_str(),
                "catalogs" | "policies" | "waivers" | "fleet" | "collect"
            ) {
                walk(&path, out);
            }
        } else if name.ends_with(".json") {
            out.push(path);
        }
    }
}

/// A fixture's `.expect` sidecar: how to run it and what it must produce.
///
/// ```text
/// # comment
/// as-of 2026-11-23
/// catalog fixtures/catalogs/test.json      (optional; default: embedded)
/// edition ws25                             (optional; default: the product line's)
/// verdict unsupported
/// fires V003 deployment fail               (a finding that must be present)
/// passes V003 deployment                   (a finding that must be pass)
/// ```
#[derive(Debug, Default)]
pub struct Expect {
    pub as_of: String,
    pub catalog: Option<String>,
    pub policy: Option<String>,
    pub edition: Option<String>,
    pub verdict: String,
    /// (code, scope, status)
    pub fires: Vec<(String, String, String)>,
    /// (code, scope)
    pub passes: Vec<(String, String)>,
}

pub fn expect_for(fixture: &Path) -> Expect {
    let path = fixture.with_extension("expect");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} has no .expect sidecar", fixture.display()));
    let mut e = Expect::default();
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["as-of", d] => e.as_of = d.to_string(),
            ["catalog", c] => e.catalog = Some(c.to_string()),
            ["policy", p] => e.policy = Some(p.to_string()),
            ["edition", name] => e.edition = Some(name.to_string()),
            ["verdict", v] => e.verdict = v.to_string(),
            ["fires", code, scope, status] => {
                e.fires
                    .push((code.to_string(), scope.to_string(), status.to_string()))
            }
            ["passes", code, scope] => e.passes.push((code.to_string(), scope.to_string())),
            _ => panic!("{}: cannot read line `{line}`", path.display()),
        }
    }
    assert!(
        !e.as_of.is_empty(),
        "{}: every fixture pins its as-of date",
        path.display()
    );
    assert!(!e.verdict.is_empty(), "{}: no verdict", path.display());
    e
}

pub fn relative(path: &Path) -> String {
    path.strip_prefix(repo())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The built binary, isolated from the machine it runs on: run from the
/// repository, with no cached catalog (tests use the embedded one unless they
/// say otherwise), no token, and no `NO_COLOR`.
pub fn akspol() -> assert_cmd::Command {
    assert_cmd::Command::from_std(akspol_std_command())
}

/// What one run of the built binary printed, and how it ended.
#[derive(Debug)]
pub struct Run {
    /// The exit status; -1 when a signal ended it.
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Standard output read as JSON (the test fails, showing standard error,
    /// when it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}); stderr:\n{}", self.stderr))
    }
}

/// Runs `command` to its end. A run that outlives two minutes is killed and
/// fails the test: a hang is a failure, never a stuck suite.
pub fn run(command: &mut assert_cmd::Command) -> Run {
    let output = command
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `akspol check --as-of AS_OF ARGS...`, run from the repository.
pub fn check(as_of: &str, args: &[&str]) -> Run {
    run(akspol().args(["check", "--as-of", as_of]).args(args))
}

/// The `source` of every inventory in a JSON report, in report order.
pub fn sources_of(report: &serde_json::Value) -> Vec<&str> {
    report["inventories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["source"].as_str().unwrap())
        .collect()
}

/// The built binary as [`akspol`] sets it up, as a plain
/// `std::process::Command` (for tests that watch the process run).
pub fn akspol_std_command() -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("akspol"));
    cmd.current_dir(repo())
        .env(
            "AKSPOL_CACHE_DIR",
            repo().join("target").join("no-catalog-cache"),
        )
        .env_remove("GITHUB_TOKEN")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        // Off a terminal, the width comes from COLUMNS when set.
        .env_remove("COLUMNS");
    cmd
}

/// What [`measure`] saw of a run.
pub struct Measured {
    pub output: std::process::Output,
    /// Peak resident memory, in bytes.
    pub peak_bytes: u64,
    /// CPU time (user and system, every thread), in clock ticks: for ratios
    /// between runs, which a loaded machine changes far less than wall time.
    pub cpu_ticks: u64,
}

/// Runs `command` to its end, watching it in `/proc` (Linux) every
/// millisecond: its peak resident memory (the kernel's high-water mark,
/// `VmHWM`, which only grows, so every read after the peak sees it) and the
/// CPU time it used (read once it has exited, before it is reaped).
pub fn measure(mut command: std::process::Command) -> Measured {
    use std::io::Read;
    use std::process::Stdio;
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                pipe.read_to_end(&mut bytes).unwrap();
            }
            bytes
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let proc_dir = format!("/proc/{}", child.id());
    let (mut peak_kib, mut cpu_ticks) = (0u64, 0u64);
    let started = std::time::Instant::now();
    // Until it has exited, without reaping it: a zombie's `stat` still
    // holds the CPU time it used in all.
    loop {
        if let Ok(status) = std::fs::read_to_string(format!("{proc_dir}/status")) {
            let hwm = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
            peak_kib = peak_kib.max(hwm.unwrap_or(0));
        }
        let Ok(stat) = std::fs::read_to_string(format!("{proc_dir}/stat")) else {
            break;
        };
        // After `(comm)`: the state, and utime and stime (proc(5): fields 3, 14, 15).
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
        let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
        if let (Some(user), Some(system)) = (ticks(11), ticks(12)) {
            cpu_ticks = cpu_ticks.max(user + system);
        }
        if fields.first() == Some(&"Z") {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(600),
            "still running after 600 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    let status = child.wait().unwrap();
    Measured {
        output: std::process::Output {
            status,
            stdout: stdout.join().unwrap(),
            stderr: stderr.join().unwrap(),
        },
        peak_bytes: peak_kib * 1024,
        cpu_ticks,
    }
}

/// Runs `promtool check metrics` (Debian's `prometheus` package) on the
/// metrics file `path` and fails the test unless it accepts them. Without
/// `promtool` on the PATH it says so and returns `false`, unless
/// `AKSPOL_REQUIRE_PROMTOOL` is set (`.ci/run` installs it and sets it),
/// when its absence is a failure.
pub fn promtool_accepts(path: &Path) -> bool {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("promtool"))
            .find(|path| path.is_file())
    });
    let required = std::env::var_os("AKSPOL_REQUIRE_PROMTOOL").is_some_and(|v| !v.is_empty());
    let Some(promtool) = found else {
        assert!(
            !required,
            "AKSPOL_REQUIRE_PROMTOOL is set but `promtool` is not on the PATH (apt-get install -y prometheus)"
        );
        eprintln!(
            "SKIPPED: `promtool` is not on the PATH, so the metrics were not checked \
             (apt-get install -y prometheus; AKSPOL_REQUIRE_PROMTOOL=1 makes its absence a failure)"
        );
        return false;
    };
    let out = std::process::Command::new(promtool)
        .args(["check", "metrics"])
        .stdin(std::fs::File::open(path).unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "promtool check metrics refused {}:\n{}{}",
        path.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

/// Zips `dir` (a directory of the repository) as Windows Explorer does: its
/// files under a folder of its name, deflated.
pub fn zip_of(dir: &str, to: &Path) -> PathBuf {
    use std::io::Write;
    let source = repo().join(dir);
    let folder = source.file_name().unwrap().to_str().unwrap().to_string();
    let path = to.join(format!("{folder}.zip"));
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut names: Vec<String> = std::fs::read_dir(&source)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    writer.add_directory(&folder, options).unwrap();
    for name in names {
        writer
            .start_file(format!("{folder}/{name}"), options)
            .unwrap();
        writer
            .write_all(&std::fs::read(source.join(&name)).unwrap())
            .unwrap();
    }
    writer.finish().unwrap();
    path
}
