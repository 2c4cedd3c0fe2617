//! The one place collect starts programs: arguments as a list (no shell, so
//! nothing in them is ever interpreted), standard input closed, a timeout that
//! kills the program (and, on Unix, everything it started), and its output
//! read within a size limit by threads the caller never waits on past the
//! deadline.

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A program and its arguments, exactly as they are passed to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandLine {
    pub program: String,
    pub args: Vec<String>,
}

impl CommandLine {
    pub fn new(program: &str, args: &[&str]) -> Self {
        Self {
            program: program.to_string(),
            args: args.iter().map(|a| (*a).to_string()).collect(),
        }
    }

    pub fn arg(mut self, arg: &str) -> Self {
        self.args.push(arg.to_string());
        self
    }

    /// Program and arguments, as recorded in the inventory's provenance.
    pub fn argv(&self) -> Vec<String> {
        std::iter::once(self.program.clone())
            .chain(self.args.iter().cloned())
            .collect()
    }

    /// The command as one line a person can paste into PowerShell (or a POSIX
    /// shell): arguments with anything but plain characters in single quotes.
    pub fn display(&self) -> String {
        self.argv()
            .iter()
            .map(|a| quote(a))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Single quotes are literal in PowerShell and in POSIX shells alike (so a
/// Windows path's backslashes survive both); a quote inside is doubled, as
/// PowerShell reads it.
fn quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+".contains(c));
    if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "''"))
    }
}

/// How long a command may run and how much it may print.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub timeout: Duration,
    pub max_output_bytes: u64,
}

/// Why a command gave no usable output.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RunError {
    #[error("`{0}` was not found (is it installed and on PATH?)")]
    NotFound(String),
    #[error("`{program}` could not be started: {why}")]
    Start { program: String, why: String },
    #[error("timed out after {secs} s and was stopped (raise --timeout)")]
    TimedOut { secs: u64 },
    #[error("printed more than the {limit}-byte limit and was stopped (raise --max-input-bytes)")]
    TooLarge { limit: u64 },
    #[error("exited with status {status}{}", stderr_suffix(.stderr))]
    Failed { status: String, stderr: String },
    #[error("its output could not be read: {0}")]
    Read(String),
}

fn stderr_suffix(stderr: &str) -> String {
    if stderr.is_empty() {
        String::new()
    } else {
        format!(": {stderr}")
    }
}

/// The standard error kept for a message: its last lines, at most this long.
const STDERR_KEPT: usize = 400;
/// The end of standard error kept while reading (all of it is read, so the
/// program never blocks on a full pipe).
const STDERR_TAIL: usize = 64 * 1024;

/// Runs `command`, returning what it printed on standard output when it exits
/// with status 0 within the limits.
pub fn run(command: &CommandLine, limits: Limits) -> Result<Vec<u8>, RunError> {
    let deadline = Instant::now() + limits.timeout;
    let mut builder = Command::new(&command.program);
    builder
        .args(&command.args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // Its own process group, so a timeout stops what it started too (the
        // `az` launcher runs Python as its child).
        builder.process_group(0);
    }
    let mut child = builder.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => RunError::NotFound(command.program.clone()),
        _ => RunError::Start {
            program: command.program.clone(),
            why: e.to_string(),
        },
    })?;
    let stdout = read_in_background(child.stdout.take(), move |pipe| {
        let mut bytes = Vec::new();
        pipe.take(limits.max_output_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
            .map(|_| bytes)
    });
    let stderr = read_in_background(child.stderr.take(), |mut pipe| {
        let mut tail = Vec::new();
        let mut chunk = [0u8; 8192];
        loop {
            let n = pipe.read(&mut chunk)?;
            if n == 0 {
                return Ok(tail);
            }
            tail.extend_from_slice(chunk.get(..n).unwrap_or_default());
            if tail.len() > 2 * STDERR_TAIL {
                tail.drain(..tail.len() - STDERR_TAIL);
            }
        }
    });
    let timed_out = || RunError::TimedOut {
        secs: limits.timeout.as_secs(),
    };

    let output = match receive(&stdout, deadline) {
        Some(Ok(bytes)) => bytes,
        Some(Err(why)) => {
            stop(&mut child);
            return Err(RunError::Read(why));
        }
        None => {
            stop(&mut child);
            return Err(timed_out());
        }
    };
    if output.len() as u64 > limits.max_output_bytes {
        stop(&mut child);
        return Err(RunError::TooLarge {
            limit: limits.max_output_bytes,
        });
    }
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                stop(&mut child);
                return Err(timed_out());
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => {
                stop(&mut child);
                return Err(RunError::Read(e.to_string()));
            }
        }
    };
    if status.success() {
        return Ok(output);
    }
    // A program that exited may have left a child holding standard error open;
    // wait for it only until the deadline.
    let stderr = receive(&stderr, deadline)
        .and_then(Result::ok)
        .map(|bytes| last_lines(&String::from_utf8_lossy(&bytes)))
        .unwrap_or_default();
    Err(RunError::Failed {
        status: status
            .code()
            .map_or_else(|| "killed by a signal".to_string(), |c| c.to_string()),
        stderr,
    })
}

/// Runs one source's command and records what came of it: its text
/// (decoded as PowerShell writes it), or why the source is unavailable.
/// `ran_at` is the face's clock when it started.
pub fn entry(command: &CommandLine, limits: Limits, ran_at: String) -> super::bundle::Entry {
    let origin = command.display();
    let output = run(command, limits)
        .map_err(|e| e.to_string())
        .and_then(|bytes| crate::input::decode(&origin, bytes).map_err(|e| e.to_string()));
    super::bundle::Entry {
        command: Some(command.argv()),
        ran_at: Some(ran_at),
        origin,
        output,
    }
}

/// Reads a pipe with `read` on a thread of its own, which the caller leaves
/// behind if the deadline passes first.
fn read_in_background<R: Read + Send + 'static>(
    pipe: Option<R>,
    read: impl FnOnce(R) -> std::io::Result<Vec<u8>> + Send + 'static,
) -> mpsc::Receiver<Result<Vec<u8>, String>> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let result = match pipe {
            Some(pipe) => read(pipe).map_err(|e| e.to_string()),
            None => Ok(Vec::new()),
        };
        let _ = sender.send(result);
    });
    receiver
}

/// The reader's result, or `None` when the deadline passes first.
fn receive(
    receiver: &mpsc::Receiver<Result<Vec<u8>, String>>,
    deadline: Instant,
) -> Option<Result<Vec<u8>, String>> {
    let left = deadline.saturating_duration_since(Instant::now());
    receiver.recv_timeout(left).ok()
}

/// Kills the program (and its process group on Unix) and reaps it.
fn stop(child: &mut Child) {
    #[cfg(unix)]
    {
        if let Some(pid) = i32::try_from(child.id())
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The end of a program's standard error, on one line: where its message is.
fn last_lines(text: &str) -> String {
    let joined = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" / ");
    let chars: Vec<char> = joined.chars().collect();
    let start = chars.len().saturating_sub(STDERR_KEPT);
    let tail: String = chars.get(start..).unwrap_or_default().iter().collect();
    if start > 0 {
        format!("…{tail}")
    } else {
        tail
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_commands_to_paste() {
        let c = CommandLine::new(
            "powershell",
            &[
                "-NoProfile",
                "-Command",
                "Get-AksHciCluster | ConvertTo-Json -Depth 10",
            ],
        );
        assert_eq!(
            c.display(),
            "powershell -NoProfile -Command 'Get-AksHciCluster | ConvertTo-Json -Depth 10'"
        );
        assert_eq!(quote("it's"), "'it''s'");
        assert_eq!(quote(""), "''");
        assert_eq!(
            quote(r"C:\Users\ops\.kube\config"),
            r"'C:\Users\ops\.kube\config'"
        );
    }

    #[test]
    fn keeps_the_end_of_standard_error() {
        assert_eq!(
            last_lines("\nWARNING: x\r\nERROR: Please run 'az login'\n"),
            "WARNING: x / ERROR: Please run 'az login'"
        );
        let long = "e".repeat(1000);
        assert_eq!(last_lines(&long).chars().count(), STDERR_KEPT + 1);
    }
}
