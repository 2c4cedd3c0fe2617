//! The outputs collect reads, under the fixed names a support engineer can
//! ask a customer for (`docs/collect.md`): from a directory of
//! saved outputs, or from the commands collect ran itself.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use super::recognize::{recognize, Recognized};
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

    /// The command whose output it is, in messages: `Get-AksHciCluster`,
    /// `az aksarc show`, `kubectl get nodes`.
    pub fn command(&self) -> &'static str {
        match self {
            Source::AksHciVersion => "Get-AksHciVersion",
            Source::AksHciConfig => "Get-AksHciConfig",
            Source::AksHciCluster => "Get-AksHciCluster",
            Source::AksHciNodePool => "Get-AksHciNodePool",
            Source::AksHciKubernetesVersion => "Get-AksHciKubernetesVersion",
            Source::AksHciClusterUpdates(_) => "Get-AksHciClusterUpdates",
            Source::AksArcList => "az aksarc list",
            Source::AksArcShow(_) => "az aksarc show",
            Source::AksArcNodePoolList(_) => "az aksarc nodepool list",
            Source::AksArcGetVersions => "az aksarc get-versions",
            Source::KubectlVersion(_) => "kubectl version",
            Source::KubectlGetNodes(_) => "kubectl get nodes",
        }
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
    /// Every file of a folder or archive of saved outputs, in name order,
    /// and what became of it: the account `collect --from` and `check`
    /// print alike (empty when collect ran the commands).
    pub files: Vec<FileNote>,
}

/// One file of a folder or archive of saved outputs, and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileNote {
    /// Its name in the folder, or its path in the archive (made inert).
    pub name: String,
    pub fate: Fate,
}

/// What became of a file of saved outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// Read as this command's output (whether it could be read is its
    /// source's line).
    Read(Source),
    /// Under a known name, but not read: a symbolic link, a FIFO or another
    /// special file, a folder, a second file of the same name in other case.
    NotRead(String),
    /// Under no known name: why, what its content is, and the name it was
    /// probably meant to have (by its content, else by its own name).
    Ignored {
        why: String,
        content: Recognized,
        meant: Option<String>,
    },
}

impl FileNote {
    /// `Get-AksHciVersion.txt: read as Get-AksHciVersion`, `clusters.json:
    /// ignored (...: did you mean Get-AksHciCluster.json?)`.
    pub fn line(&self) -> String {
        match &self.fate {
            Fate::Read(source) => format!("{}: read as {source}", self.name),
            Fate::NotRead(why) => format!("{}: not read ({why})", self.name),
            Fate::Ignored { why, .. } => format!("{}: ignored ({why})", self.name),
        }
    }

    /// An ignored file whose content is a saved output about clusters.
    pub fn unread_cluster_output(&self) -> bool {
        matches!(&self.fate, Fate::Ignored { content, .. } if content.names_clusters())
    }
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

    /// The lines of the files not read, and of those ignored.
    pub fn not_read(&self) -> Vec<String> {
        self.lines_where(|fate| matches!(fate, Fate::NotRead(_)))
    }

    pub fn ignored(&self) -> Vec<String> {
        self.lines_where(|fate| matches!(fate, Fate::Ignored { .. }))
    }

    fn lines_where(&self, wanted: impl Fn(&Fate) -> bool) -> Vec<String> {
        self.files
            .iter()
            .filter(|f| wanted(&f.fate))
            .map(FileNote::line)
            .collect()
    }

    /// Files that are inventories by their content, which `check` must not
    /// drop beside saved outputs.
    pub fn inventories(&self) -> Vec<String> {
        self.files
            .iter()
            .filter(|f| {
                matches!(
                    &f.fate,
                    Fate::Ignored {
                        content: Recognized::Inventory,
                        ..
                    }
                )
            })
            .map(|f| f.name.clone())
            .collect()
    }

    /// The account of every file: a title with the counts, then one line
    /// per file (none when collect ran the commands).
    pub fn account(&self) -> Option<(String, Vec<String>)> {
        if self.files.is_empty() {
            return None;
        }
        let count =
            |wanted: fn(&Fate) -> bool| self.files.iter().filter(|f| wanted(&f.fate)).count();
        let counts = [
            (count(|f| matches!(f, Fate::Read(_))), "read"),
            (count(|f| matches!(f, Fate::Ignored { .. })), "ignored"),
            (count(|f| matches!(f, Fate::NotRead(_))), "not read"),
        ];
        let counts: Vec<String> = counts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| format!("{n} {what}"))
            .collect();
        let files = if self.files.len() == 1 {
            "file"
        } else {
            "files"
        };
        Some((
            format!("{} {files} ({}):", self.files.len(), counts.join(", ")),
            self.files.iter().map(FileNote::line).collect(),
        ))
    }
}

/// Whether a path holds saved outputs rather than inventories: a zip archive
/// (`*.zip`, which cannot be an inventory), or a directory of them (see
/// [`is_saved_outputs_dir`]).
pub fn is_saved_outputs(path: &Path) -> bool {
    is_zip(path) || is_saved_outputs_dir(path)
}

/// A directory with at least one file under a known name, or, with none,
/// one whose files are saved outputs by their content and none an
/// inventory: saved outputs under names akspol does not read, which are
/// said as such rather than each read as an inventory that fails.
pub fn is_saved_outputs_dir(path: &Path) -> bool {
    path.is_dir() && (has_known_file(path) || has_outputs_by_content(path))
}

/// What is read of a folder's files to tell saved outputs by their content:
/// at most this much of each, and of all together. The first inventory
/// ends the look, so a folder of inventories costs one file.
const LOOK_BYTES: u64 = 64 << 20;

fn has_outputs_by_content(dir: &Path) -> bool {
    let Ok(listing) = std::fs::read_dir(dir) else {
        return false;
    };
    let mut names: Vec<String> = listing
        .filter_map(Result::ok)
        .take(input::archive::MAX_MEMBERS + 1)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|name| worth_a_look(name))
        .collect();
    if names.len() > input::archive::MAX_MEMBERS {
        return false;
    }
    names.sort();
    let mut budget = input::Budget::new(LOOK_BYTES, "the look");
    let mut outputs = false;
    for name in names {
        let Ok(text) = input::read_saved(&dir.join(&name), &mut budget) else {
            if budget.left() == 0 {
                break;
            }
            continue;
        };
        match recognize(&name, &text) {
            Recognized::Inventory => return false,
            Recognized::Output(_) => outputs = true,
            Recognized::ResourceGraph | Recognized::Unknown => {}
        }
    }
    outputs
}

/// A file whose content may be a saved output or an inventory: `*.json`,
/// `*.ndjson`, `*.txt` (what the outputs are saved as).
fn worth_a_look(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".json", ".ndjson", ".txt"]
        .iter()
        .any(|e| lower.ends_with(e))
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
// Long on purpose: the listing, the known names and the unknown ones share
// one byte budget and one account of every file, in one pass each.
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
    // Files under no known name are looked at after every known one is
    // read, with what is left of the budget.
    let mut unknown: Vec<(usize, String)> = Vec::new();
    for (name, kind) in listed {
        let path = dir.join(&name);
        let Some(source) = Source::from_file_name(&name) else {
            if kind == Kind::Folder {
                bundle.files.push(FileNote {
                    name: format!("{}/", clean(&name)),
                    fate: Fate::Ignored {
                        why: "a folder: saved outputs are read from this folder only".into(),
                        content: Recognized::Unknown,
                        meant: None,
                    },
                });
            } else {
                if kind == Kind::File && worth_a_look(&name) {
                    unknown.push((bundle.files.len(), name.clone()));
                }
                bundle.unknown(&name, Recognized::Unknown);
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
            bundle.mark_not_read(&name, why);
            continue;
        }
        if bundle.entries.contains_key(&source) {
            bundle.mark_not_read(&name, "another file has this name in other case");
            continue;
        }
        let output = input::read_saved(&path, &mut budget).map_err(|e| e.to_string());
        bundle.files.push(FileNote {
            name: clean(&name).into_owned(),
            fate: Fate::Read(source.clone()),
        });
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
    for (index, name) in unknown {
        if let Ok(text) = input::read_saved(&dir.join(&name), &mut budget) {
            let content = recognize(&name, &text);
            if let Some(note) = bundle.files.get_mut(index) {
                *note = unknown_file(&name, content);
            }
        }
    }
    bundle.sort_files();
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
    /// A file under no saved output's name: ignored, with what its content
    /// is and the name it was probably meant to have.
    fn unknown(&mut self, name: &str, content: Recognized) {
        self.files.push(unknown_file(name, content));
    }

    /// The account in the order a file manager lists the files.
    fn sort_files(&mut self) {
        self.files.sort_by(|a, b| {
            (a.name.to_lowercase(), &a.name).cmp(&(b.name.to_lowercase(), &b.name))
        });
    }

    fn mark_not_read(&mut self, name: &str, why: &str) {
        self.files.push(FileNote {
            name: clean(name).into_owned(),
            fate: Fate::NotRead(why.to_string()),
        });
    }

    /// Why no inventory can be made of a folder or archive with no file
    /// under a known name: the files, with the names they were probably
    /// meant to have. `None` when some output is under a known name.
    pub fn none_known(&self, origin: &str) -> Option<InputError> {
        if !self.entries.is_empty() {
            return None;
        }
        let renames: Vec<String> = self
            .misnamed()
            .map(|(name, meant)| format!("{name} to {meant}"))
            .collect();
        let names = "Get-AksHciVersion.txt, Get-AksHciCluster.json, az-aksarc-show-<cluster>.json, kubectl-get-nodes-<cluster>.json, ...: see `akspol collect --help`";
        Some(InputError::file(
            origin,
            if renames.is_empty() {
                format!("no saved outputs under the names akspol reads ({names})")
            } else {
                format!(
                    "saved command outputs under names akspol does not read, so none is read: rename {} (every name: `akspol collect --help`)",
                    some_of(&renames)
                )
            },
        ))
    }

    /// Files ignored that are saved outputs by their content or by a name
    /// close to a known one, each with the name it was probably meant to have.
    pub fn misnamed(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().filter_map(|f| match &f.fate {
            Fate::Ignored {
                meant: Some(meant), ..
            } => Some((f.name.as_str(), meant.as_str())),
            _ => None,
        })
    }
}

/// Why an inventory made with no cluster is not the whole deployment, when
/// its outputs name clusters (`named`: those none of which could be made)
/// or files that hold clusters were not read; `None` otherwise. Said
/// wherever the inventory is judged: its verdict covers the deployment alone.
pub fn no_cluster_warning(bundle: &Bundle, named: &[String]) -> Option<String> {
    let unread: Vec<String> = bundle
        .files
        .iter()
        .filter(|f| f.unread_cluster_output())
        .map(|f| match &f.fate {
            Fate::Ignored {
                meant: Some(meant), ..
            } => format!("{} (as {meant})", f.name),
            _ => f.name.clone(),
        })
        .collect();
    let mut why = Vec::new();
    if !named.is_empty() {
        why.push(format!(
            "the outputs name {} {}, but no output read gives {} Kubernetes version, which a cluster needs (Get-AksHciCluster.json, az-aksarc-show-<cluster>.json, kubectl-version-<cluster>.json or kubectl-get-nodes-<cluster>.json)",
            if named.len() == 1 { "cluster" } else { "clusters" },
            some_of(named),
            if named.len() == 1 { "its" } else { "their" },
        ));
    }
    if !unread.is_empty() {
        why.push(format!(
            "{} that {} clusters {} not read, under {} akspol does not read: {}",
            if unread.len() == 1 { "a file" } else { "files" },
            if unread.len() == 1 { "holds" } else { "hold" },
            if unread.len() == 1 { "was" } else { "were" },
            if unread.len() == 1 { "a name" } else { "names" },
            some_of(&unread)
        ));
    }
    (!why.is_empty()).then(|| {
        format!(
            "no cluster was judged: {}; the verdict covers the deployment alone",
            why.join("; and ")
        )
    })
}

/// The first few of `names`, and how many more.
pub fn some_of(names: &[String]) -> String {
    const SHOWN: usize = 3;
    let shown: Vec<&str> = names.iter().take(SHOWN).map(String::as_str).collect();
    match names.len().saturating_sub(SHOWN) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// A file under no known name, and why it is ignored: what its content is
/// (the name it should have), else the known name closest to its own.
fn unknown_file(name: &str, content: Recognized) -> FileNote {
    let shown = clean(name).into_owned();
    let mut meant = None;
    let why = match &content {
        Recognized::Output(source) => {
            let name = clean(&source.file_name()).into_owned();
            let rename = if name.contains(super::recognize::SOME_CLUSTER) {
                format!("save it as {name}, naming its cluster")
            } else {
                format!("did you mean {name}?")
            };
            meant = Some(name);
            format!(
                "the output of {}, by its content, under a name akspol does not read: {rename}",
                source.command()
            )
        }
        Recognized::Inventory => {
            "an inventory: collect reads saved command outputs; `akspol check` reads inventories"
                .to_string()
        }
        Recognized::ResourceGraph => {
            "an az graph query answer: `akspol collect --resource-graph --from` reads those"
                .to_string()
        }
        Recognized::Unknown => {
            let (why, close) = misnamed_hint(name);
            meant = close;
            why
        }
    };
    FileNote {
        name: shown,
        fate: Fate::Ignored {
            why,
            content,
            meant,
        },
    }
}

/// Reads a zip archive of saved outputs, as [`read_dir`] reads the
/// directory: members are known by their file name, whatever folder of the
/// archive they are in; two with the same name are one too many.
pub fn read_zip(path: &Path, max_bytes: u64) -> Result<Bundle, InputError> {
    // Members under a known name are read first; the others are looked at
    // with what is left of the budget.
    let members = input::archive::read_members_ranked(path, max_bytes, &|name| {
        if Source::from_file_name(name).is_some() {
            Some(0)
        } else {
            worth_a_look(name).then_some(1)
        }
    })?;
    let mut bundle = Bundle::default();
    for member in members {
        let Some(source) = Source::from_file_name(&member.file_name) else {
            let content = match &member.text {
                Some(Ok(text)) => recognize(&member.file_name, text),
                _ => Recognized::Unknown,
            };
            bundle.unknown(&member.name, content);
            continue;
        };
        let Some(text) = member.text else {
            bundle.unknown(&member.name, Recognized::Unknown);
            continue;
        };
        if bundle.entries.contains_key(&source) {
            bundle.mark_not_read(
                &member.name,
                "another member has this name, in another folder or case",
            );
            continue;
        }
        bundle.files.push(FileNote {
            name: clean(&member.name).into_owned(),
            fate: Fate::Read(source.clone()),
        });
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
    bundle.sort_files();
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

/// Why a file in a saved-outputs directory is ignored, and the name it was
/// probably meant to have when its own is close to one.
fn misnamed_hint(name: &str) -> (String, Option<String>) {
    let name = &*clean(name);
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = base.rsplit_once('.').map_or(base, |(stem, _)| stem);
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
    match meant {
        Some(known) if known.ends_with(".txt") || known.ends_with(".json") => (
            format!("not a name akspol reads: did you mean {known}? JSON outputs are saved with `| ConvertTo-Json -Depth 10`"),
            Some(known.to_string()),
        ),
        Some(prefix) => (
            format!("not a name akspol reads: expected {prefix}<cluster>.json"),
            Some(format!("{prefix}<cluster>.json")),
        ),
        None => ("not a name akspol reads".to_string(), None),
    }
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
        assert_eq!(
            misnamed_hint("kubectl-get-nodes.json").1.as_deref(),
            Some("kubectl-get-nodes-<cluster>.json")
        );
        assert_eq!(
            misnamed_hint("notes.md"),
            ("not a name akspol reads".to_string(), None)
        );
    }

    /// Issue 25, item 1: files saved under other names are said with the
    /// name their content calls for.
    #[test]
    fn misnamed_outputs_are_told_the_name_their_content_calls_for() {
        let cluster =
            r#"[{"Name": "akswc1", "KubernetesVersion": "v1.29.4", "ControlPlaneNodeCount": 1}]"#;
        let nodes = r#"{"apiVersion": "v1", "kind": "List", "items": [{"kind": "Node", "metadata": {"name": "n"}}]}"#;
        let line = |name: &str, text: &str| unknown_file(name, recognize(name, text)).line();
        assert_eq!(
            line("clusters.json", cluster),
            "clusters.json: ignored (the output of Get-AksHciCluster, by its content, under a name akspol does not read: did you mean Get-AksHciCluster.json?)"
        );
        assert_eq!(
            line("akswc1-nodes.json", nodes),
            "akswc1-nodes.json: ignored (the output of kubectl get nodes, by its content, under a name akspol does not read: did you mean kubectl-get-nodes-akswc1.json?)"
        );
        assert!(line("nodes.json", nodes)
            .contains("save it as kubectl-get-nodes-<cluster>.json, naming its cluster"));
        assert!(
            unknown_file("clusters.json", recognize("clusters.json", cluster))
                .unread_cluster_output()
        );
    }
}
