//! The one place collect starts programs: arguments as a list (no shell, so
//! nothing in them is ever interpreted), standard input closed, a timeout that
//! kills the program (and, on Unix, everything it started), and its output
//! read within a size limit by threads the caller never waits on past the
//! deadline. Whatever the program left running in its process group is
//! stopped when it ends too, whether it succeeded or not, so nothing it
//! started outlives akspol or holds a pipe open.

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
/// Windows path's backslashes survive both). A single quote inside (a KQL
/// query's strings) goes in double quotes when nothing in the argument is
/// special there in either shell; otherwise it is doubled, as PowerShell
/// reads it.
fn quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+".contains(c));
    if plain {
        arg.to_string()
    } else if arg.contains('\'') && !arg.contains(['"', '$', '`', '\\', '!']) {
        format!("\"{arg}\"")
    } else {
        format!("'{}'", arg.replace('\'', "''"))
    }
}

/// How long a command may run and how much it may print.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub timeout: Duration,
    pub max_output_bytes: u64,
    /// `Some(secs)` when the timeout is what is left of the whole run's
    /// `--deadline` of that many seconds, not the command's own `--timeout`
    /// (so the message names the flag to raise).
    pub deadline: Option<u64>,
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
    #[error("stopped when the whole run reached its --deadline of {secs} s (raise --deadline)")]
    Deadline { secs: u64 },
    #[error("printed more than the {limit}-byte limit and was stopped (raise --max-input-bytes)")]
    TooLarge { limit: u64 },
    #[error("{how}{}", stderr_suffix(.stderr))]
    Failed { how: String, stderr: String },
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
/// Standard output is read in pieces of this size, so that it is never
/// copied while it grows and at most one piece more than the limit is held.
const CHUNK: u64 = 1 << 20;
/// How long to wait for the end of standard error once the program's whole
/// process group was stopped: only something that left the group still holds it.
const STDERR_GRACE: Duration = Duration::from_secs(1);
/// How often the program's exit and its output are checked for.
const POLL: Duration = Duration::from_millis(5);

/// Runs `command`, returning what it printed on standard output when it exits
/// with status 0 within the limits. Whatever happens, the program and
/// everything it started in its process group are stopped before this returns.
///
/// Long on purpose: one loop watches the exit, the output and the deadline
/// together, and every way out of it passes the one place that stops the
/// process group.
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
        // Its own process group, so that what it started is stopped with it
        // (the `az` launcher runs Python as its child).
        builder.process_group(0);
    }
    let child = builder.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => RunError::NotFound(command.program.clone()),
        _ => RunError::Start {
            program: command.program.clone(),
            why: e.to_string(),
        },
    })?;
    let mut running = Running { child };
    let max = limits.max_output_bytes;
    let stdout = read_in_background(running.child.stdout.take(), move |pipe| {
        read_at_most(pipe, max)
    });
    let stderr = read_in_background(running.child.stderr.take(), read_tail);
    let timed_out = || match limits.deadline {
        Some(secs) => RunError::Deadline { secs },
        None => RunError::TimedOut {
            secs: limits.timeout.as_secs(),
        },
    };

    // Until the program has exited and its standard output has ended.
    let mut output: Option<Vec<u8>> = None;
    let mut status = None;
    loop {
        if output.is_none() {
            match stdout.recv_timeout(POLL) {
                Ok(Ok(Output::Whole(bytes))) => output = Some(bytes),
                Ok(Ok(Output::TooLarge)) => return Err(RunError::TooLarge { limit: max }),
                Ok(Err(why)) => return Err(RunError::Read(why)),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(RunError::Read("the reader stopped".into()))
                }
            }
        } else {
            std::thread::sleep(POLL);
        }
        if status.is_none() {
            match running.child.try_wait() {
                Ok(Some(exited)) => {
                    status = Some(exited);
                    // Whatever still holds its standard output is something
                    // it started and left behind.
                    if output.is_none() {
                        running.stop_group();
                    }
                }
                Ok(None) => {}
                Err(e) => return Err(RunError::Read(e.to_string())),
            }
        }
        if let (Some(_), Some(_)) = (&output, &status) {
            break;
        }
        if Instant::now() >= deadline {
            return Err(timed_out());
        }
    }
    // Children it left behind go too, whether it succeeded or not.
    running.stop_group();
    let (Some(output), Some(status)) = (output, status) else {
        return Err(timed_out());
    };
    if status.success() {
        return Ok(output);
    }
    let left = deadline.saturating_duration_since(Instant::now());
    let stderr = stderr
        .recv_timeout(left.min(STDERR_GRACE))
        .ok()
        .and_then(Result::ok)
        .map(|bytes| last_lines(&String::from_utf8_lossy(&bytes)))
        .unwrap_or_default();
    Err(RunError::Failed {
        how: describe(status),
        stderr,
    })
}

/// What the standard output reader found.
enum Output {
    Whole(Vec<u8>),
    /// More than the limit: reading stopped there.
    TooLarge,
}

/// Reads a pipe to its end, or until it has given more than `limit` bytes.
fn read_at_most(pipe: impl Read, limit: u64) -> std::io::Result<Output> {
    let mut pipe = pipe;
    let mut chunks: Vec<Vec<u8>> = Vec::new();
    let mut total: u64 = 0;
    loop {
        // One byte past the limit proves there is more.
        let want = CHUNK.min(limit.saturating_add(1) - total);
        let mut chunk = Vec::with_capacity(usize::try_from(want).unwrap_or(0));
        let n = (&mut pipe).take(want).read_to_end(&mut chunk)? as u64;
        total += n;
        if total > limit {
            return Ok(Output::TooLarge);
        }
        if n > 0 {
            chunks.push(chunk);
        }
        if n < want {
            break;
        }
    }
    if chunks.len() == 1 {
        return Ok(Output::Whole(chunks.pop().unwrap_or_default()));
    }
    let mut whole = Vec::with_capacity(usize::try_from(total).unwrap_or(0));
    for chunk in chunks {
        whole.extend_from_slice(&chunk);
    }
    Ok(Output::Whole(whole))
}

/// Reads a pipe to its end, keeping only its last [`STDERR_TAIL`] bytes or so.
fn read_tail(mut pipe: impl Read) -> std::io::Result<Vec<u8>> {
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
}

/// How a program ended, for a message: its exit status, or the signal that
/// killed it, by name.
fn describe(status: std::process::ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exited with status {code}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return match signal_name(signal) {
                Some(name) => format!("was killed by signal {signal} ({name})"),
                None => format!("was killed by signal {signal}"),
            };
        }
    }
    "ended without an exit status".to_string()
}

/// The name of a signal a program may be killed by (the numbers differ
/// between systems; the names do not).
#[cfg(unix)]
fn signal_name(raw: i32) -> Option<&'static str> {
    use rustix::process::Signal;
    Some(match Signal::from_named_raw(raw)? {
        Signal::HUP => "SIGHUP",
        Signal::INT => "SIGINT",
        Signal::QUIT => "SIGQUIT",
        Signal::ILL => "SIGILL",
        Signal::TRAP => "SIGTRAP",
        Signal::ABORT => "SIGABRT",
        Signal::BUS => "SIGBUS",
        Signal::FPE => "SIGFPE",
        Signal::KILL => "SIGKILL",
        Signal::USR1 => "SIGUSR1",
        Signal::SEGV => "SIGSEGV",
        Signal::USR2 => "SIGUSR2",
        Signal::PIPE => "SIGPIPE",
        Signal::ALARM => "SIGALRM",
        Signal::TERM => "SIGTERM",
        Signal::XCPU => "SIGXCPU",
        Signal::XFSZ => "SIGXFSZ",
        Signal::SYS => "SIGSYS",
        _ => return None,
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
fn read_in_background<R: Read + Send + 'static, T: Send + 'static>(
    pipe: Option<R>,
    read: impl FnOnce(R) -> std::io::Result<T> + Send + 'static,
) -> mpsc::Receiver<Result<T, String>> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let result = match pipe {
            Some(pipe) => read(pipe).map_err(|e| e.to_string()),
            None => Err("the pipe was not open".to_string()),
        };
        let _ = sender.send(result);
    });
    receiver
}

/// A started program, stopped with its whole process group when dropped:
/// on every way out of [`run`].
struct Running {
    child: Child,
}

impl Running {
    /// Kills what is left of the program's process group (on Unix).
    fn stop_group(&self) {
        #[cfg(unix)]
        {
            if let Some(pid) = i32::try_from(self.child.id())
                .ok()
                .and_then(rustix::process::Pid::from_raw)
            {
                let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
            }
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop_group();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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
        assert_eq!(quote("it's"), "\"it's\"");
        assert_eq!(quote("it's $HOME"), "'it''s $HOME'");
        assert_eq!(quote(""), "''");
        assert_eq!(
            quote(r"C:\Users\ops\.kube\config"),
            r"'C:\Users\ops\.kube\config'"
        );
    }

    #[test]
    fn output_is_read_to_the_limit_and_no_further() {
        let text = vec![b' '; 3 * CHUNK as usize + 10];
        let whole = read_at_most(text.as_slice(), text.len() as u64).unwrap();
        assert!(matches!(whole, Output::Whole(bytes) if bytes == text));
        let mut pipe = text.as_slice();
        let cut = read_at_most(&mut pipe, CHUNK + 5).unwrap();
        assert!(matches!(cut, Output::TooLarge));
        // One byte past the limit was read, and nothing after it.
        assert_eq!(pipe.len() as u64, text.len() as u64 - CHUNK - 6);
        assert!(matches!(read_at_most(&b""[..], 0).unwrap(), Output::Whole(b) if b.is_empty()));
    }

    #[cfg(unix)]
    #[test]
    fn signals_are_named() {
        assert_eq!(signal_name(9), Some("SIGKILL"));
        assert_eq!(signal_name(15), Some("SIGTERM"));
        assert_eq!(signal_name(0), None);
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
