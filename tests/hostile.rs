//! Hostile inputs that once took minutes (issue 12, item 7), through the built
//! binary, each under a generous hang guard: a bound many times what the
//! linear code needs, so a loaded machine never makes it flake, and far below
//! what the quadratic code took. `scripts/bench.sh` times the same cases
//! (`tools/src/hostile.rs`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use akspol_tools::hostile;

/// The quadratic code needed 30 s to an hour on a release build; the debug
/// build of the linear code needs a few seconds.
const HANG_GUARD: Duration = Duration::from_secs(120);

#[test]
fn hostile_inputs_finish_in_linear_time() {
    let mut failures = Vec::new();
    for case in hostile::cases() {
        let dir = tempfile::tempdir().unwrap();
        hostile::write(&case, dir.path()).unwrap();
        let server = serve(dir.path().to_path_buf());
        let args: Vec<String> = case
            .args
            .iter()
            .map(|a| a.replace(hostile::SERVER, &server))
            .collect();
        let started = Instant::now();
        let output = common::akspol_command()
            .current_dir(dir.path())
            .env("NO_PROXY", "*")
            .args(&args)
            .timeout(HANG_GUARD)
            .output()
            .unwrap();
        let took = started.elapsed();
        let (searched, stream) = if case.status == 2 {
            (String::from_utf8_lossy(&output.stderr), "stderr")
        } else {
            (String::from_utf8_lossy(&output.stdout), "stdout")
        };
        let stderr: String = String::from_utf8_lossy(&output.stderr)
            .chars()
            .take(1000)
            .collect();
        if output.status.code() != Some(case.status) {
            failures.push(format!(
                "{}: exit {:?} after {took:?}, expected {} (killed at {HANG_GUARD:?}?)\n{stderr}",
                case.name,
                output.status.code(),
                case.status
            ));
        } else if !searched.contains(case.expect) {
            failures.push(format!(
                "{}: `{}` not on {stream}\n{stderr}",
                case.name, case.expect
            ));
        }
        eprintln!("{}: {took:?} ({})", case.name, case.what);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
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
