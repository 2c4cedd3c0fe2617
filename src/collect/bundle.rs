//! The outputs collect reads, under the fixed names a support engineer can
//! ask a customer for (`docs/collect.md`): from a directory of
//! saved outputs, or from the commands collect ran itself.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crate::base::sanitize::clean;
use crate::input::{self, InputError};

/// One command's output, named as its saved file is. The order is the order
/// collect runs them in and reports them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    AksHciVersion,
    AksHciConfig,
    AksHciCluster,
    AksHciNodePool,
    AksHciKubernetesVersion,
    AksHciClusterUpdates(String),
    AksArcList,
    AksArcShow(String),
    AksArcNodePoolList(String),
    AksArcGetVersions,
    KubectlVersion(String),
    KubectlGetNodes(String),
}

/// Which tool a source comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// The AksHci PowerShell module (AKS hybrid on Azure Stack HCI and Windows Server).
    AksHci,
    /// `az aksarc` (AKS Arc on Azure Local).
    AksArc,
    Kubectl,
}

/// The names without a cluster, and the prefixes of those with one.
const FIXED: [(&str, Source); 7] = [
    ("Get-AksHciVersion.txt", Source::AksHciVersion),
    ("Get-AksHciConfig.json", Source::AksHciConfig),
    ("Get-AksHciCluster.json", Source::AksHciCluster),
    ("Get-AksHciNodePool.json", Source::AksHciNodePool),
    (
        "Get-AksHciKubernetesVersion.json",
        Source::AksHciKubernetesVersion,
    ),
    ("az-aksarc-list.json", Source::AksArcList),
    ("az-aksarc-get-versions.json", Source::AksArcGetVersions),
];
type PerCluster = (&'static str, fn(String) -> Source);
const PER_CLUSTER: [PerCluster; 5] = [
    ("Get-AksHciClusterUpdates-", Source::AksHciClusterUpdates),
    ("az-aksarc-show-", Source::AksArcShow),
    ("az-aksarc-nodepool-list-", Source::AksArcNodePoolList),
    ("kubectl-version-", Source::KubectlVersion),
    ("kubectl-get-nodes-", Source::KubectlGetNodes),
];

impl Source {
    /// The saved file's name, e.g. `kubectl-get-nodes-akswc1.json`.
    pub fn file_name(&self) -> String {
        format!("{self}.{}", self.extension())
    }

    fn extension(&self) -> &'static str {
        match self {
            Source::AksHciVersion => "txt",
            _ => "json",
        }
    }

    /// Reads a saved file's name (ignoring case, as Windows does).
    pub fn from_file_name(name: &str) -> Option<Source> {
        let lower = name.to_ascii_lowercase();
        if let Some((_, source)) = FIXED
            .iter()
            .find(|(fixed, _)| fixed.to_ascii_lowercase() == lower)
        {
            return Some(source.clone());
        }
        let stem = name.get(..name.len().checked_sub(".json".len())?)?;
        if !lower.ends_with(".json") {
            return None;
        }
        PER_CLUSTER.iter().find_map(|(prefix, make)| {
            let cluster = stem
                .get(..prefix.len())
                .filter(|head| head.eq_ignore_ascii_case(prefix))
                .and(stem.get(prefix.len()..))?;
            // A blank cluster is no cluster's name: an inventory could not name it.
            (!cluster.trim().is_empty()).then(|| make(cluster.to_string()))
        })
    }

    pub fn family(&self) -> Family {
        match self {
            Source::AksHciVersion
            | Source::AksHciConfig
            | Source::AksHciCluster
            | Source::AksHciNodePool
            | Source::AksHciKubernetesVersion
            | Source::AksHciClusterUpdates(_) => Family::AksHci,
            Source::AksArcList
            | Source::AksArcShow(_)
            | Source::AksArcNodePoolList(_)
            | Source::AksArcGetVersions => Family::AksArc,
            Source::KubectlVersion(_) | Source::KubectlGetNodes(_) => Family::Kubectl,
        }
    }
}

/// The name of a source in messages and in the inventory's provenance: its
/// file name without the extension (`Get-AksHciCluster`, `kubectl-get-nodes-akswc1`).
impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::AksHciVersion => f.write_str("Get-AksHciVersion"),
            Source::AksHciConfig => f.write_str("Get-AksHciConfig"),
            Source::AksHciCluster => f.write_str("Get-AksHciCluster"),
            Source::AksHciNodePool => f.write_str("Get-AksHciNodePool"),
            Source::AksHciKubernetesVersion => f.write_str("Get-AksHciKubernetesVersion"),
            Source::AksHciClusterUpdates(c) => write!(f, "Get-AksHciClusterUpdates-{c}"),
            Source::AksArcList => f.write_str("az-aksarc-list"),
            Source::AksArcShow(c) => write!(f, "az-aksarc-show-{c}"),
            Source::AksArcNodePoolList(c) => write!(f, "az-aksarc-nodepool-list-{c}"),
            Source::AksArcGetVersions => f.write_str("az-aksarc-get-versions"),
            Source::KubectlVersion(c) => write!(f, "kubectl-version-{c}"),
            Source::KubectlGetNodes(c) => write!(f, "kubectl-get-nodes-{c}"),
        }
    }
}

/// One output, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Where it came from: the saved file's path, or the command line as run.
    pub origin: String,
    /// The command as run (program and arguments); `None` for a saved file.
    pub command: Option<Vec<String>>,
    /// When the command started (RFC 3339), as the face's clock said.
    pub ran_at: Option<String>,
    /// The text, or why the source is unavailable.
    pub output: Result<String, String>,
}

/// Every output collect has, by source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bundle {
    pub entries: BTreeMap<Source, Entry>,
    /// Files of a saved-outputs directory that are not under a known name,
    /// each with why (and the name it was probably meant to have).
    pub ignored: Vec<String>,
    /// Files under a known name that were not read, each with why: a
    /// symbolic link, a FIFO or another special file, a folder, a second
    /// file of the same name in other case.
    pub not_read: Vec<String>,
    /// `*.json` and `*.ndjson` files under no saved output's name, nor one
    /// close to it: inventories, most likely, which `check` must not drop.
    pub inventories: Vec<String>,
}

impl Bundle {
    pub fn output(&self, source: &Source) -> Option<(&str, &str)> {
        let entry = self.entries.get(source)?;
        entry
            .output
            .as_deref()
            .ok()
            .map(|text| (entry.origin.as_str(), text))
    }

    pub fn has_family(&self, family: Family) -> bool {
        self.entries.keys().any(|s| s.family() == family)
    }
}

/// Whether a path holds saved outputs rather than inventories: a zip archive
/// (`*.zip`, which cannot be an inventory), or a directory with at least one
/// file under a known name.
pub fn is_saved_outputs(path: &Path) -> bool {
    is_zip(path) || is_saved_outputs_dir(path)
}

/// A directory with at least one file under a known name.
pub fn is_saved_outputs_dir(path: &Path) -> bool {
    path.is_dir() && has_known_file(path)
}

/// A file named `*.zip`.
pub fn is_zip(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
        && path.is_file()
}

/// Reads saved outputs from a directory or a zip archive of one.
pub fn read(path: &Path, max_bytes: u64) -> Result<Bundle, InputError> {
    if is_zip(path) {
        read_zip(path, max_bytes)
    } else {
        read_dir(path, max_bytes)
    }
}

fn has_known_file(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.filter_map(Result::ok).any(|entry| {
            entry
                .file_name()
                .to_str()
                .is_some_and(|name| Source::from_file_name(name).is_some())
        })
    })
}

/// Reads a directory of saved outputs. Each file is read within one budget
/// of `max_bytes` for them all, and decoded as PowerShell writes it (UTF-8
/// with or without a byte-order mark, UTF-16 with one); a file that cannot
/// be read is an unavailable source, the others go on. Only regular files
/// are read: a symbolic link is not followed and a FIFO is not waited on
/// (each is named as not read). A directory of more than
/// [`input::archive::MAX_MEMBERS`] entries is refused before any is read.
pub fn read_dir(dir: &Path, max_bytes: u64) -> Result<Bundle, InputError> {
    let origin = dir.display().to_string();
    let listing = std::fs::read_dir(dir).map_err(|source| InputError::Read {
        origin: origin.clone(),
        source,
    })?;
    let mut listed: Vec<(String, Kind)> = Vec::new();
    for entry in listing.filter_map(Result::ok) {
        if listed.len() >= input::archive::MAX_MEMBERS {
            return Err(InputError::file(
                &origin,
                format!(
                    "more than {} files, more than a folder of saved outputs can have (a few dozen): is it the right folder?",
                    input::archive::MAX_MEMBERS
                ),
            ));
        }
        // `file_type` does not follow a symbolic link: it says it is one.
        let kind = match entry.file_type() {
            Ok(t) if t.is_symlink() => Kind::Link,
            Ok(t) if t.is_dir() => Kind::Folder,
            Ok(t) if t.is_file() => Kind::File,
            _ => Kind::Special,
        };
        listed.push((entry.file_name().to_string_lossy().into_owned(), kind));
    }
    listed.sort();
    let mut budget = input::Budget::new(max_bytes, "the folder");
    let mut bundle = Bundle::default();
    for (name, kind) in listed {
        let path = dir.join(&name);
        let Some(source) = Source::from_file_name(&name) else {
            if kind == Kind::Folder {
                bundle.ignored.push(format!(
                    "{}/: ignored (a folder: saved outputs are read from this folder only)",
                    clean(&name)
                ));
            } else {
                bundle.unknown(&name);
            }
            continue;
        };
        let why = match kind {
            Kind::File => None,
            Kind::Link => {
                Some("a symbolic link: links in a folder of saved outputs are not followed")
            }
            Kind::Folder => Some("a folder"),
            Kind::Special => Some("not a regular file (a FIFO, socket or device is not read)"),
        };
        if let Some(why) = why {
            bundle
                .not_read
                .push(format!("{}: not read ({why})", clean(&name)));
            continue;
        }
        if bundle.entries.contains_key(&source) {
            bundle.not_read.push(format!(
                "{}: not read (another file has this name in other case)",
                clean(&name)
            ));
            continue;
        }
        let output = input::read_saved(&path, &mut budget).map_err(|e| e.to_string());
        bundle.entries.insert(
            source,
            Entry {
                origin: path.display().to_string(),
                command: None,
                ran_at: None,
                output,
            },
        );
    }
    if bundle.entries.is_empty() {
        return Err(none_known(&origin));
    }
    Ok(bundle)
}

/// What a directory entry is, without following a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    File,
    Link,
    Folder,
    Special,
}

impl Bundle {
    /// A file under no saved output's name: ignored, with the name it was
    /// probably meant to have; one that looks like an inventory is said so.
    fn unknown(&mut self, name: &str) {
        let (hint, meant) = misnamed_hint(name);
        if !meant && is_inventory_name(name) {
            self.inventories.push(clean(name).into_owned());
            self.ignored.push(format!(
                "{}: ignored (an inventory? collect reads saved command outputs; `akspol check` reads inventories)",
                clean(name)
            ));
        } else {
            self.ignored.push(hint);
        }
    }
}

/// `*.json` or `*.ndjson`: what `check` reads as inventories in a directory.
fn is_inventory_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".json") || lower.ends_with(".ndjson")
}

fn none_known(origin: &str) -> InputError {
    InputError::file(
        origin,
        "no saved outputs under the names akspol reads (Get-AksHciVersion.txt, Get-AksHciCluster.json, az-aksarc-show-<cluster>.json, kubectl-get-nodes-<cluster>.json, ...: see `akspol collect --help`)",
    )
}

/// Reads a zip archive of saved outputs, as [`read_dir`] reads the
/// directory: members are known by their file name, whatever folder of the
/// archive they are in; two with the same name are one too many.
pub fn read_zip(path: &Path, max_bytes: u64) -> Result<Bundle, InputError> {
    let origin = path.display().to_string();
    let members = input::archive::read_members(path, max_bytes, &|name| {
        Source::from_file_name(name).is_some()
    })?;
    let mut bundle = Bundle::default();
    for member in members {
        let (Some(source), Some(text)) = (Source::from_file_name(&member.file_name), member.text)
        else {
            bundle.unknown(&member.name);
            continue;
        };
        if bundle.entries.contains_key(&source) {
            bundle.not_read.push(format!(
                "{}: not read (another member has this name, in another folder or case)",
                member.name
            ));
            continue;
        }
        bundle.entries.insert(
            source,
            Entry {
                origin: member.origin,
                command: None,
                ran_at: None,
                output: text.map_err(|e| e.to_string()),
            },
        );
    }
    if bundle.entries.is_empty() {
        return Err(none_known(&origin));
    }
    Ok(bundle)
}

/// One file of a saved-outputs directory or archive, whatever its name.
#[derive(Debug)]
pub struct SavedFile {
    /// Its name in the directory, or its path in the archive.
    pub name: String,
    /// Its path (`dir/name`, `archive.zip!name`), for messages.
    pub origin: String,
    /// Its text, or why it was not read.
    pub text: Result<String, InputError>,
}

/// Every file of a directory (not of its subdirectories), or every member of
/// a zip archive of one, in name order, handed to `each` one at a time (a
/// directory's files are read one at a time, so only one is held at once).
/// All of them together are read within `max_bytes`, as an archive's members
/// are; a symbolic link is not followed and what is not a regular file is not
/// read (each is handed over with the reason).
pub fn read_every_file(
    path: &Path,
    max_bytes: u64,
    each: &mut dyn FnMut(SavedFile),
) -> Result<(), InputError> {
    if is_zip(path) {
        let members = input::archive::read_members(path, max_bytes, &|_| true)?;
        for member in members {
            let text = member.text.unwrap_or_else(|| {
                Err(InputError::file(
                    &member.origin,
                    "not read from the archive",
                ))
            });
            each(SavedFile {
                name: member.name,
                origin: member.origin,
                text,
            });
        }
        return Ok(());
    }
    let origin = path.display().to_string();
    let listing = std::fs::read_dir(path).map_err(|source| InputError::Read {
        origin: origin.clone(),
        source,
    })?;
    let mut entries: Vec<(String, std::fs::FileType)> = listing
        .filter_map(Result::ok)
        .filter_map(|e| {
            Some((
                e.file_name().to_string_lossy().into_owned(),
                e.file_type().ok()?,
            ))
        })
        .filter(|(_, kind)| !kind.is_dir())
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let mut budget = max_bytes;
    for (name, kind) in entries {
        let file = path.join(&name);
        let file_origin = file.display().to_string();
        let text = if kind.is_symlink() {
            Err(InputError::file(
                &file_origin,
                "a symbolic link: not followed",
            ))
        } else if !kind.is_file() {
            Err(InputError::file(
                &file_origin,
                "not a regular file: not read",
            ))
        } else {
            let text = input::read_listed(&file, budget);
            if let Ok(text) = &text {
                budget = budget.saturating_sub(text.len() as u64);
            }
            text
        };
        each(SavedFile {
            name,
            origin: file_origin,
            text,
        });
    }
    Ok(())
}

/// Why a file in a saved-outputs directory is ignored, with the name it was
/// probably meant to have (and whether there was one).
fn misnamed_hint(name: &str) -> (String, bool) {
    let name = &*clean(name);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let meant = FIXED
        .iter()
        .map(|(fixed, _)| *fixed)
        .chain(PER_CLUSTER.iter().map(|(prefix, _)| *prefix))
        .filter(|known| {
            let known_stem = known.rsplit_once('.').map_or(*known, |(s, _)| s);
            let known_stem = known_stem.trim_end_matches('-');
            stem.get(..known_stem.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(known_stem))
        })
        // `Get-AksHciClusterUpdates-` before `Get-AksHciCluster.json`.
        .max_by_key(|known| known.len());
    let hint = match meant {
        Some(known) if known.ends_with(".txt") || known.ends_with(".json") => {
            format!("{name}: ignored (not a name akspol reads: did you mean {known}? JSON outputs are saved with `| ConvertTo-Json -Depth 10`)")
        }
        Some(prefix) => {
            format!("{name}: ignored (not a name akspol reads: expected {prefix}<cluster>.json)")
        }
        None => format!("{name}: ignored (not a name akspol reads)"),
    };
    (hint, meant.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_round_trip() {
        for source in [
            Source::AksHciVersion,
            Source::AksHciConfig,
            Source::AksHciCluster,
            Source::AksHciNodePool,
            Source::AksHciKubernetesVersion,
            Source::AksHciClusterUpdates("akswc1".into()),
            Source::AksArcList,
            Source::AksArcShow("arc-1".into()),
            Source::AksArcNodePoolList("arc-1".into()),
            Source::AksArcGetVersions,
            Source::KubectlVersion("a.b".into()),
            Source::KubectlGetNodes("akswc1".into()),
        ] {
            assert_eq!(
                Source::from_file_name(&source.file_name()),
                Some(source.clone())
            );
        }
    }

    #[test]
    fn names_are_read_without_case_and_need_a_cluster() {
        assert_eq!(
            Source::from_file_name("get-akshcicluster.JSON"),
            Some(Source::AksHciCluster)
        );
        assert_eq!(
            Source::from_file_name("KUBECTL-GET-NODES-Prod.json"),
            Some(Source::KubectlGetNodes("Prod".into()))
        );
        for not in [
            "kubectl-get-nodes-.json",
            "kubectl-version- .json",
            "az-aksarc-show-\t.json",
            "kubectl-get-nodes-a.txt",
            "Get-AksHciCluster.txt",
            "inventory.json",
            "",
            "é.json",
        ] {
            assert_eq!(Source::from_file_name(not), None, "{not}");
        }
    }

    #[test]
    fn misnamed_files_get_a_hint() {
        assert!(misnamed_hint("Get-AksHciCluster.txt")
            .0
            .contains("did you mean Get-AksHciCluster.json"));
        assert!(misnamed_hint("Get-AksHciClusterUpdates-a.txt")
            .0
            .contains("expected Get-AksHciClusterUpdates-<cluster>.json"));
        assert!(misnamed_hint("kubectl-get-nodes.json")
            .0
            .contains("expected kubectl-get-nodes-<cluster>.json"));
        assert_eq!(
            misnamed_hint("notes.md"),
            (
                "notes.md: ignored (not a name akspol reads)".to_string(),
                false
            )
        );
    }
}
