//! Spools: where a streaming report keeps what it writes after its head.
//! Guarantees: a spool is an unnamed temporary file, gone when dropped or
//! when the process ends, whatever happens; one that cannot be made or
//! written (a full or missing temporary directory) is named as such, with
//! its place, not as the output the report was going to.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::cli::exit::Failure;

/// A spool in an unnamed temporary file, gone when dropped (or when the
/// process ends, whatever happens): where a streaming report keeps what it
/// writes after its head. Its errors are [`SpoolError`]s.
pub struct FileSpool {
    file: BufWriter<std::fs::File>,
    len: u64,
    /// Where it is, for messages.
    place: std::sync::Arc<str>,
}

impl FileSpool {
    /// A spool in `dir`, else in the temporary directory.
    pub fn new(dir: Option<&Path>) -> io::Result<Self> {
        let (made, place) = match dir {
            Some(dir) if !dir.as_os_str().is_empty() => (
                tempfile::tempfile_in(dir),
                format!("in {} (beside the output)", dir.display()),
            ),
            _ => (
                tempfile::tempfile(),
                format!(
                    "in {} (the temporary directory{})",
                    std::env::temp_dir().display(),
                    if std::env::var_os("TMPDIR").is_some() {
                        ", from TMPDIR"
                    } else {
                        "; TMPDIR chooses another"
                    }
                ),
            ),
        };
        let place: std::sync::Arc<str> = crate::base::sanitize::clean(&place).into();
        let file = made.map_err(|e| SpoolError::wrap(&place, e))?;
        Ok(Self {
            file: BufWriter::with_capacity(1 << 16, file),
            len: 0,
            place,
        })
    }

    fn failed(&self, error: io::Error) -> io::Error {
        SpoolError::wrap(&self.place, error)
    }
}

/// A spool that could not be made or written: a full or missing temporary
/// directory is named as such, not as the output the report was going to.
#[derive(Debug, thiserror::Error)]
#[error("{place}: {source}")]
pub struct SpoolError {
    place: std::sync::Arc<str>,
    source: io::Error,
}

impl SpoolError {
    fn wrap(place: &std::sync::Arc<str>, source: io::Error) -> io::Error {
        if source
            .get_ref()
            .is_some_and(|inner| inner.is::<SpoolError>())
        {
            return source;
        }
        io::Error::new(
            source.kind(),
            SpoolError {
                place: place.clone(),
                source,
            },
        )
    }
}

/// The failure of writing the output `path` names: a spool's, or the output's.
pub fn output_failure(path: String, source: io::Error) -> Failure {
    if source.get_ref().is_some_and(|e| e.is::<SpoolError>()) {
        if let Some(inner) = source.into_inner() {
            if let Ok(spool) = inner.downcast::<SpoolError>() {
                return Failure::Spool {
                    output: path,
                    spool: *spool,
                };
            }
        }
        return Failure::Output {
            path,
            source: io::Error::other("a spool failed"),
        };
    }
    Failure::Output { path, source }
}

impl Write for FileSpool {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf).map_err(|e| self.failed(e))?;
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush().map_err(|e| self.failed(e))
    }
}

impl crate::report::Spool for FileSpool {
    fn position(&self) -> u64 {
        self.len
    }

    fn copy_to(&mut self, range: std::ops::Range<u64>, out: &mut dyn Write) -> io::Result<()> {
        use std::io::{Read, Seek, SeekFrom};
        self.flush()?;
        let place = self.place.clone();
        let file = self.file.get_mut();
        let spool = |e| SpoolError::wrap(&place, e);
        file.seek(SeekFrom::Start(range.start)).map_err(spool)?;
        let mut part = (&*file).take(range.end.saturating_sub(range.start));
        io::copy(&mut part, out)?;
        file.seek(SeekFrom::End(0)).map_err(spool)?;
        Ok(())
    }

    fn read_back(&mut self) -> io::Result<Box<dyn io::BufRead + '_>> {
        use std::io::{Seek, SeekFrom};
        self.flush()?;
        let place = self.place.clone();
        let file = self.file.get_mut();
        file.seek(SeekFrom::Start(0))
            .map_err(|e| SpoolError::wrap(&place, e))?;
        Ok(Box::new(io::BufReader::with_capacity(1 << 16, &*file)))
    }
}
