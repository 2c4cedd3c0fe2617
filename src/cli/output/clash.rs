//! Clashes between a command's files, found before anything is read or
//! written. Guarantees: two outputs naming the same file, or an output
//! naming an input, are a usage error (exit 2), whatever the spelling
//! (`./a`, a symbolic link, a hard link, a directory spelled through links).

use std::path::{Path, PathBuf};

use super::links::final_target;
use super::stdout::is_stdout;
use crate::cli::exit::Failure;

/// One file a command reads or writes, as named to the user.
#[derive(Debug, Clone)]
pub struct Named<'a> {
    /// How the user named it: `--output`, `--report sarif`, `INVENTORY`, `--waivers`.
    pub flag: String,
    pub path: std::borrow::Cow<'a, Path>,
}

impl<'a> Named<'a> {
    pub fn new(flag: impl Into<String>, path: &'a Path) -> Self {
        Self {
            flag: flag.into(),
            path: std::borrow::Cow::Borrowed(path),
        }
    }

    /// A path akspol worked out itself (the cache's catalog).
    pub fn owned(flag: impl Into<String>, path: PathBuf) -> Self {
        Self {
            flag: flag.into(),
            path: std::borrow::Cow::Owned(path),
        }
    }
}

/// Refuses, before anything is written, an output that names an input or
/// the same file as another output (`-o a --report markdown=a` kept only the
/// last; `-o inv.json` replaced the inventory). Standard output counts as one
/// file (`None` is the command's own standard output); `/dev/null` may be
/// named any number of times.
pub fn check_outputs(
    stdout_owner: Option<&str>,
    outputs: &[Named<'_>],
    inputs: &[Named<'_>],
) -> Result<(), Failure> {
    let null = place_of(Path::new("/dev/null"));
    let mut taken: Vec<(Place, String)> = Vec::new();
    if let Some(owner) = stdout_owner {
        taken.push((Place::Stdout, owner.to_string()));
    }
    for output in outputs {
        let place = place_of(&output.path);
        if place == null {
            continue;
        }
        let shown = crate::base::sanitize::clean(&output.path.display().to_string()).into_owned();
        if let Some((_, other)) = taken.iter().find(|(p, _)| *p == place) {
            return Err(Failure::Usage(format!(
                "{} {shown} and {other} name the same file: give each output its own",
                output.flag
            )));
        }
        if let Some(input) = inputs
            .iter()
            .find(|i| !crate::input::sources::is_stdin(&i.path) && place_of(&i.path) == place)
        {
            return Err(Failure::Usage(format!(
                "{} {shown} is also an input ({} {}): refusing to overwrite it",
                output.flag,
                input.flag,
                crate::base::sanitize::clean(&input.path.display().to_string())
            )));
        }
        taken.push((place, format!("{} {shown}", output.flag)));
    }
    Ok(())
}

/// What a path names, whatever its spelling: the same file has one place.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    Stdout,
    /// An existing file: device and inode (a hard link is the same file).
    File(u64, u64),
    /// A file yet to be created: its absolute path.
    New(PathBuf),
}

fn place_of(path: &Path) -> Place {
    if is_stdout(path) {
        return Place::Stdout;
    }
    #[cfg(unix)]
    if let Ok(meta) = std::fs::metadata(path) {
        use std::os::unix::fs::MetadataExt;
        return Place::File(meta.dev(), meta.ino());
    }
    #[cfg(not(unix))]
    if let Ok(real) = std::fs::canonicalize(path) {
        return Place::New(real);
    }
    let target = final_target(path).unwrap_or_else(|_| path.to_path_buf());
    let absolute = std::path::absolute(&target).unwrap_or(target);
    // The directory may be spelled through links: resolve it.
    match (absolute.parent(), absolute.file_name()) {
        (Some(dir), Some(name)) => Place::New(
            std::fs::canonicalize(dir)
                .map(|d| d.join(name))
                .unwrap_or_else(|_| absolute.clone()),
        ),
        _ => Place::New(absolute),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn clashes_are_found_whatever_the_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("inv.json");
        std::fs::write(&input, "{}").unwrap();
        let alias = dir.path().join("alias.json");
        std::os::unix::fs::symlink(&input, &alias).unwrap();
        let dotted = dir.path().join(".").join("inv.json");
        let new_a = dir.path().join("a.sarif");
        let new_a_again = dir.path().join("x").join("..").join("a.sarif");
        std::fs::create_dir(dir.path().join("x")).unwrap();
        let inputs = [Named::new("INVENTORY", &input)];
        for output in [&input, &alias, &dotted] {
            let outputs = [Named::new("--output", output)];
            let error = check_outputs(None, &outputs, &inputs).unwrap_err();
            assert!(error.to_string().contains("is also an input"), "{error}");
        }
        let outputs = [
            Named::new("--report sarif", &new_a),
            Named::new("--report junit", &new_a_again),
        ];
        let error = check_outputs(None, &outputs, &inputs).unwrap_err();
        assert!(error.to_string().contains("name the same file"), "{error}");
        let stdout = [Named::new("--report sarif", Path::new("/dev/stdout"))];
        assert!(check_outputs(Some("--format table"), &stdout, &inputs).is_err());
        assert!(check_outputs(None, &stdout, &inputs).is_ok());
        let null = Path::new("/dev/null");
        let twice = [
            Named::new("--output", null),
            Named::new("--report sarif", null),
        ];
        assert!(check_outputs(None, &twice, &inputs).is_ok());
    }
}
