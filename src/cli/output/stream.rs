//! One output, open while a command writes it: standard output or a file
//! ([`super::file`]). Guarantees: the first error of writing is kept and
//! what follows it dropped, so one report that cannot be written does not
//! stop the others; a file is replaced only when the output is committed
//! (dropped, the old file stays as it was); a closed pipe on standard output
//! (`akspol check ... | head`) is not an error, a closed standard output is.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use super::file::{open_file, FileTarget};
use super::spool::{output_failure, SpoolError};
use super::stdout::{is_closed, is_stdout, STDOUT_NAME};
use crate::cli::exit::{Failure, EXIT_OK};

/// Writes to standard output and says the command succeeded.
pub fn print(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<u8, Failure> {
    write_output(None, write).map(|()| EXIT_OK)
}

/// Writes to `path` ([`write_file`]), or to standard output for `None` and
/// for [`is_stdout`] paths, where a closed pipe (`akspol check ... | head`)
/// is not an error but a closed standard output is.
pub fn write_output(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Failure> {
    let mut out = Output::open(path)?;
    let written = write(&mut out);
    out.commit(written)
}

/// An output open for writing, as a command streams into it: standard
/// output, a file replaced when the output is committed ([`Output::commit`];
/// dropped, the old file stays as it was), or a device or pipe written in
/// place. The first error is kept and what follows it dropped, so a report
/// that cannot be written does not stop the others; a closed pipe on
/// standard output is no error.
pub struct Output {
    target: Target,
    /// How messages name it: `standard output` or the path.
    name: String,
    error: Option<io::Error>,
}

enum Target {
    Stdout(BufWriter<io::Stdout>),
    File(FileTarget),
}

impl Output {
    /// Opens `path` (standard output for `None`, `-` and `/dev/stdout`).
    pub fn open(path: Option<&Path>) -> Result<Self, Failure> {
        match path {
            Some(path) if !is_stdout(path) => {
                let name = path.display().to_string();
                match open_file(path) {
                    Ok(file) => Ok(Self {
                        target: Target::File(file),
                        name,
                        error: None,
                    }),
                    Err(source) => Err(Failure::Output { path: name, source }),
                }
            }
            _ => {
                if is_closed() {
                    return Err(Failure::Output {
                        path: STDOUT_NAME.into(),
                        source: io::Error::other(
                            "it is closed (or /dev/null opened read-write, as a closed one is reopened), so the report has nowhere to go: write it to a file with --output FILE",
                        ),
                    });
                }
                Ok(Self {
                    target: Target::Stdout(BufWriter::new(io::stdout())),
                    name: STDOUT_NAME.into(),
                    error: None,
                })
            }
        }
    }

    /// Where a spool of this output goes: beside the file it replaces (the
    /// same disk, which must hold the report anyway); `None` for the
    /// temporary directory.
    pub fn spool_dir(&self) -> Option<&Path> {
        match &self.target {
            Target::File(FileTarget::Replace { target, .. }) => target.parent(),
            _ => None,
        }
    }

    /// Keeps the first error of writing (`written`, or one met before).
    pub fn fail(&mut self, error: io::Error) {
        self.error.get_or_insert(error);
    }

    /// Ends the output: flushed, and a replaced file renamed over its
    /// target; the first error of writing, if any, is the failure.
    pub fn commit(mut self, written: io::Result<()>) -> Result<(), Failure> {
        if let Err(error) = written {
            self.fail(error);
        }
        let finished = match self.target {
            Target::Stdout(mut out) => out.flush(),
            Target::File(file) => match self.error.take() {
                None => file.finish(),
                Some(error) => Err(error),
            },
        };
        let error = self.error.or(finished.err());
        match error {
            None => Ok(()),
            Some(e)
                if self.name == STDOUT_NAME
                    && e.kind() == io::ErrorKind::BrokenPipe
                    && !e.get_ref().is_some_and(|inner| inner.is::<SpoolError>()) =>
            {
                Ok(())
            }
            Some(source) => Err(output_failure(self.name, source)),
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.error.is_none() {
            let written = match &mut self.target {
                Target::Stdout(out) => out.write_all(buf),
                Target::File(file) => file.writer().write_all(buf),
            };
            if let Err(error) = written {
                self.error = Some(error);
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
