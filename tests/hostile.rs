//! Hostile inputs that once took minutes (issue 12, item 7; issue 22, item
//! 11), through the built binary: each case runs at a sixteenth and at a
//! quarter of its size (`tools/src/hostile.rs`), and the larger run may take
//! at most [`BOUND`] times the CPU time of the smaller. Linear code takes
//! about 4 times as long, the quadratic code took 16 times (30 s to an hour
//! on a release build at full size). CPU time, read from the finished
//! process before it is reaped, is what a loaded machine inflates least;
//! each pair is run up to [`ROUNDS`] times, keeping the fastest, and a hang
//! guard stops a run that never ends. `scripts/bench.sh` times the full
//! cases on a release build.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use akspol_tools::hostile;

/// A run of the debug build takes seconds; one that does not end in this
/// long is stopped (and fails).
const HANG_GUARD: Duration = Duration::from_secs(120);
/// The most a case may grow from n to 4n: 4 is linear, 16 quadratic.
const BOUND: f64 = 8.0;
/// Runs of each size at most, until the case is within the bound.
const ROUNDS: usize = 3;
/// The sizes compared: the cases divided by 16 and by 4.
const SMALL: usize = 16;
const LARGE: usize = 4;

#[test]
fn hostile_inputs_take_time_linear_in_their_size() {
    let small = hostile::cases_divided(SMALL);
    let large = hostile::cases_divided(LARGE);
    let mut failures = Vec::new();
    'cases: for (small, large) in small.iter().zip(&large) {
        let mut fastest = [Duration::MAX; 2];
        let mut ratio = f64::INFINITY;
        for round in 1..=ROUNDS {
            for (best, case) in fastest.iter_mut().zip([small, large]) {
                match run(case) {
                    Ok(took) => *best = (*best).min(took),
                    Err(why) => {
                        failures.push(why);
                        continue 'cases;
                    }
                }
            }
            // CPU time comes in hundredths of a second: a run quicker than
            // five counts as five.
            ratio = fastest[1].as_secs_f64() / fastest[0].as_secs_f64().max(0.05);
            eprintln!(
                "{}, round {round}: {:?} at a sixteenth, {:?} at a quarter: {ratio:.1}x ({})",
                large.name, fastest[0], fastest[1], large.what
            );
            if ratio < BOUND {
                continue 'cases;
            }
        }
        failures.push(format!(
            "{}: {ratio:.1}x from n to 4n ({:?}, then {:?}), at most {BOUND}x: not linear",
            large.name, fastest[0], fastest[1]
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Runs `case` in a directory of its files; returns the CPU time it took,
/// or why the run failed (exit status, missing output, hang).
fn run(case: &hostile::Case) -> Result<Duration, String> {
    let dir = tempfile::tempdir().unwrap();
    hostile::write(case, dir.path()).unwrap();
    let server = if case.args.iter().any(|a| a.contains(hostile::SERVER)) {
        serve(dir.path().to_path_buf())
    } else {
        String::new()
    };
    let args: Vec<String> = case
        .args
        .iter()
        .map(|a| a.replace(hostile::SERVER, &server))
        .collect();
    let (stdout, stderr) = (dir.path().join("stdout"), dir.path().join("stderr"));
    let mut child = akspol(dir.path())
        .env("NO_PROXY", "*")
        .args(&args)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut cpu = None;
    // Wait for it to finish without reaping it, so its CPU time can still
    // be read (where /proc cannot say, reaped at once).
    while started.elapsed() < HANG_GUARD {
        match cpu_time(child.id()) {
            Some((true, used)) => {
                cpu = Some(used);
                break;
            }
            Some((false, _)) => {}
            None => {
                if child.try_wait().unwrap().is_some() {
                    break;
                }
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let took = started.elapsed();
    if took >= HANG_GUARD {
        let _ = child.kill();
    }
    let status = child.wait().unwrap();
    let read = |path: &Path| String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
    let (searched, stream) = if case.status == 2 {
        (read(&stderr), "stderr")
    } else {
        (read(&stdout), "stdout")
    };
    let stderr: String = read(&stderr).chars().take(1000).collect();
    if status.code() != Some(case.status) {
        return Err(format!(
            "{}: exit {:?} after {took:?}, expected {} (stopped at {HANG_GUARD:?}?)\n{stderr}",
            case.name,
            status.code(),
            case.status
        ));
    }
    if !searched.contains(&case.expect) {
        return Err(format!(
            "{}: `{}` not on {stream}\n{stderr}",
            case.name, case.expect
        ));
    }
    // Without /proc (or when it could not be read in time), the wall time.
    Ok(cpu.unwrap_or(took))
}

/// Whether a process has exited (and waits to be reaped), and the user and
/// system time it used, with the children it waited for; `None` where
/// `/proc` does not say.
fn cpu_time(pid: u32) -> Option<(bool, Duration)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the command name in parentheses: the state, then 10 fields, then
    // utime, stime, cutime, cstime in clock ticks (proc(5): fields 3, 14-17).
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields
        .get(11..15)?
        .iter()
        .map(|f| f.parse::<u64>().ok())
        .sum::<Option<u64>>()?;
    // Linux's USER_HZ is 100 on every architecture akspol is built for.
    Some((
        fields.first() == Some(&"Z"),
        Duration::from_millis(ticks * 10),
    ))
}

/// `common::akspol` as a `std` command, run in `dir`, to wait for
/// it by hand.
fn akspol(dir: &Path) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("akspol"));
    cmd.current_dir(dir)
        .env(
            "AKSPOL_CACHE_DIR",
            common::repo().join("target").join("no-catalog-cache"),
        )
        .env_remove("GITHUB_TOKEN")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS");
    cmd
}

/// Serves the files of `dir` over HTTP on 127.0.0.1 (`GET /NAME`), one
/// connection at a time, until the test ends; returns the base URL.
fn serve(dir: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let name = line
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .trim_start_matches('/');
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
                    break;
                }
            }
            let body = std::fs::read(dir.join(name)).unwrap_or_default();
            let mut stream = &stream;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    base
}
