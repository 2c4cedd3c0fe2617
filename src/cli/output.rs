//! Writing what a command produced: standard output (a closed pipe is not an
//! error) or a file, replaced atomically.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use super::exit::{Failure, EXIT_OK};

/// Writes to standard output and says the command succeeded.
pub fn print(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<u8, Failure> {
    write_output(None, write).map(|()| EXIT_OK)
}

/// The width text may take: the terminal's on a terminal; else `COLUMNS`
/// when it is set (a pager, `watch`, a CI log of known width); else
/// `off_terminal` (fixed, so files and logs are the same bytes wherever
/// they are made).
pub fn table_width(to_terminal: bool, off_terminal: u16) -> u16 {
    let columns = || {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<u16>().ok())
            .filter(|&c| c > 0)
    };
    if to_terminal {
        comfy_table::Table::new()
            .width()
            .or_else(columns)
            .unwrap_or(off_terminal)
    } else {
        columns().unwrap_or(off_terminal)
    }
}

/// The width of standard output: the terminal's, else `COLUMNS`, else 140
/// (what `check` uses off a terminal).
pub fn stdout_width() -> u16 {
    use std::io::IsTerminal;
    table_width(io::stdout().is_terminal(), 140)
}

/// Appends `text` to `path` (creating it): how GitHub's step summary file
/// is meant to be written, each step adding its part.
pub fn append_to(path: &Path, text: &str) -> Result<(), Failure> {
    use std::fs::OpenOptions;
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(|source| Failure::Output {
            path: path.display().to_string(),
            source,
        })
}

/// Writes to `path` atomically (a temporary file renamed over it), or to
/// standard output, where a closed pipe (`akspol check ... | head`) is not an error.
pub fn write_output(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Failure> {
    match path {
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            match write(&mut out).and_then(|()| out.flush()) {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                other => other.map_err(|source| Failure::Output {
                    path: "standard output".into(),
                    source,
                }),
            }
        }
        Some(path) => write_atomically(path, write).map_err(|source| Failure::Output {
            path: path.display().to_string(),
            source,
        }),
    }
}

pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let file_name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(file_name);
    temp_name.push(format!(".{}.tmp", std::process::id()));
    let temp = path.with_file_name(temp_name);
    let result = (|| {
        let mut out = BufWriter::new(std::fs::File::create(&temp)?);
        write(&mut out)?;
        out.into_inner()
            .map_err(io::IntoInnerError::into_error)?
            .sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}
