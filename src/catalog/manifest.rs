//! Azure Local's public update manifest (`https://aka.ms/AzureEdgeUpdates`):
//! reading it, and merging the solution builds it lists into a catalog's
//! Azure Local releases. Both are pure functions of their input (the command
//! fetches or reads the document), so they are tested without a network.
//!
//! The document is XML whose root is `<ASZSolutionBundleUpdates>`; a
//! `Version` (`Solution12.2604.1003.1005`) stands, as an attribute or a child
//! element, on `ApplicableUpdate`, on its `UpdateInfo`, and on
//! `PackageMetadata/ServicesUpdates/Update/UpdateInfo`: where the public
//! scripts that read it (`$xml.ASZSolutionBundleUpdates...`) find it through
//! PowerShell's `[xml]`, which takes an attribute and a child element alike.
//! It carries builds only: no dates, no Kubernetes versions.
//!
//! The document is untrusted. A `<!DOCTYPE>` is refused outright (one can
//! define entities that expand a kilobyte into gigabytes, or name a file or
//! URL to load), no entity but XML's five and character references is read,
//! and the document must be well formed to its end: a truncated answer is an
//! error, never the builds read so far.

use std::collections::{HashMap, HashSet};

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::merge::KeptOut;
use super::{sort_releases, validate, Build, Catalog, DateBasis, KnownThrough, Release};
use crate::base::dates::{Day, When};
use crate::base::product::Product;
use crate::base::sanitize::clean;
use crate::base::version::{LocalVersion, ReleaseVersion};

/// Where `catalog update` reads the manifest by default.
pub const MANIFEST_URL: &str = "https://aka.ms/AzureEdgeUpdates";
/// The manifest's root element.
pub const ROOT: &str = "ASZSolutionBundleUpdates";
/// `Version` values a manifest may hold in all (repeats included).
pub const MAX_ENTRIES: usize = 10_000;
/// Distinct builds a manifest may list: as many as a catalog has releases.
pub const MAX_BUILDS: usize = validate::MAX_RELEASES;
/// Elements nested deeper than this are not the manifest's shape.
pub const MAX_DEPTH: usize = 64;
/// A `Version` longer than this is no solution build; only its start is kept.
const MAX_VERSION_CHARS: usize = 100;

/// The elements (below the root) whose `Version` is a solution build.
const HOLDERS: [&[&str]; 3] = [
    &["ApplicableUpdate"],
    &["ApplicableUpdate", "UpdateInfo"],
    &["PackageMetadata", "ServicesUpdates", "Update", "UpdateInfo"],
];

/// What the manifest lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Every `Version` value found, trimmed, without repeats, in document order.
    pub versions: Vec<String>,
    /// How many were found, repeats included.
    pub entries: usize,
}

/// Why a document is not a manifest akspol reads: what is wrong and where
/// (1-based line and column), to be prefixed with the document's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{why}", at.map(|(l, c)| format!("line {l}, column {c}: ")).unwrap_or_default())]
pub struct ManifestError {
    pub at: Option<(usize, usize)>,
    pub why: String,
}

/// Reads a manifest: UTF-8 (with or without a byte-order mark) or UTF-16
/// with one (a manifest saved by PowerShell's `Out-File`), well formed, with
/// the root element [`ROOT`].
pub fn parse(bytes: &[u8]) -> Result<Manifest, ManifestError> {
    let text = crate::input::decode("", bytes.to_vec()).map_err(|e| ManifestError {
        at: None,
        why: match e {
            crate::input::InputError::File { message, .. } => {
                format!("is not text akspol reads ({message})")
            }
            other => other.to_string(),
        },
    })?;
    Parser::new(&text).run()
}

struct Parser<'a> {
    text: &'a str,
    reader: Reader<&'a [u8]>,
    /// The open elements' local names, root first.
    open: Vec<String>,
    root_seen: bool,
    /// The text of a `Version` element being read, and the depth it opened at.
    version: Option<(String, usize)>,
    manifest: Manifest,
    seen: HashSet<String>,
    /// Where the event being handled starts, in bytes.
    event_start: u64,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        let mut reader = Reader::from_str(text);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.check_comments = true;
        Self {
            text,
            reader,
            open: Vec::new(),
            root_seen: false,
            version: None,
            manifest: Manifest::default(),
            seen: HashSet::new(),
            event_start: 0,
        }
    }

    /// An error at `offset` bytes into the text.
    fn error_at(&self, offset: u64, why: impl Into<String>) -> ManifestError {
        let offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        let before = self.text.get(..offset).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let column = before
            .rsplit('\n')
            .next()
            .map_or(1, |l| l.chars().count() + 1);
        ManifestError {
            at: Some((line, column)),
            why: why.into(),
        }
    }

    /// An error where the event being handled starts.
    fn error(&self, why: impl Into<String>) -> ManifestError {
        self.error_at(self.event_start, why)
    }

    fn run(mut self) -> Result<Manifest, ManifestError> {
        loop {
            self.event_start = self.reader.buffer_position();
            let event = match self.reader.read_event() {
                Ok(event) => event,
                Err(e) => {
                    let at = self.reader.error_position();
                    return Err(self.error_at(
                        at,
                        format!("is not well-formed XML ({})", clean(&e.to_string())),
                    ));
                }
            };
            match event {
                Event::DocType(_) => {
                    return Err(self.error(
                        "has a document type declaration (<!DOCTYPE ...>), which akspol refuses: one can define entities that expand to gigabytes or name files and URLs to load, and Azure Local's manifest has none",
                    ))
                }
                Event::Start(element) => self.start(&element, false)?,
                Event::Empty(element) => self.start(&element, true)?,
                Event::End(_) => {
                    let depth = self.open.len();
                    if let Some((text, at)) = self.version.take() {
                        if at == depth {
                            self.found(&text)?;
                        } else {
                            self.version = Some((text, at));
                        }
                    }
                    self.open.pop();
                }
                Event::Text(text) => {
                    let content = text.xml10_content();
                    self.text_outside_root(&content)?;
                    self.append(&content);
                }
                Event::CData(data) => {
                    let content = data.xml10_content();
                    self.text_outside_root(&content)?;
                    self.append(&content);
                }
                Event::GeneralRef(reference) => {
                    let name = reference.into_inner();
                    let resolved = resolve_reference(&name).ok_or_else(|| {
                        let shown: String = clean(&name).chars().take(40).collect();
                        self.error(format!(
                            "refers to the entity `&{shown};`, which akspol does not expand (the manifest declares no entities)"
                        ))
                    })?;
                    self.text_outside_root(&resolved)?;
                    self.append(&resolved);
                }
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
                Event::Eof => break,
            }
        }
        if let Some(element) = self.open.last() {
            let element = clean(element).into_owned();
            return Err(self.error_at(
                self.reader.buffer_position(),
                format!("ends inside the element <{element}>: the document is truncated"),
            ));
        }
        if !self.root_seen {
            return Err(ManifestError {
                at: None,
                why: format!("holds no XML element (expected the root element <{ROOT}>)"),
            });
        }
        Ok(self.manifest)
    }

    fn text_outside_root(&self, content: &str) -> Result<(), ManifestError> {
        if self.open.is_empty() && !content.trim().is_empty() {
            return Err(self.error("has text outside its root element"));
        }
        Ok(())
    }

    /// Text inside a `Version` element.
    fn append(&mut self, content: &str) {
        // Past its first characters, a value is no build: the rest is not kept.
        if let Some((text, _)) = &mut self.version {
            if text.len() <= MAX_VERSION_CHARS {
                text.extend(content.chars().take(MAX_VERSION_CHARS + 1));
            }
        }
    }

    /// Whether an element at `path` (below the root) holds a build's `Version`.
    fn holds_version(path: &[String]) -> bool {
        HOLDERS
            .iter()
            .any(|holder| holder.iter().copied().eq(path.iter().map(String::as_str)))
    }

    fn start(&mut self, element: &BytesStart, empty: bool) -> Result<(), ManifestError> {
        let name = element.local_name().as_ref().to_string();
        if self.open.is_empty() {
            if self.root_seen {
                return Err(self.error("has more than one root element"));
            }
            self.root_seen = true;
            if name != ROOT {
                let shown: String = clean(&name).chars().take(60).collect();
                return Err(self.error(format!(
                    "is not Azure Local's update manifest: its root element is <{shown}>, not <{ROOT}>"
                )));
            }
        } else if let Some((text, _)) = &mut self.version {
            // PowerShell reads such a `Version` as an element, not a string.
            text.push('<');
        }
        if self.open.len() >= MAX_DEPTH {
            return Err(self.error(format!(
                "nests elements more than {MAX_DEPTH} deep: not the manifest's shape"
            )));
        }
        let below_root = self.open.get(1..).unwrap_or_default();
        let parent_holds = self.open.len() >= 2 && Self::holds_version(below_root);
        let mut path: Vec<String> = below_root.to_vec();
        path.push(name.clone());
        let holder = !self.open.is_empty() && Self::holds_version(&path);
        for attribute in element.attributes() {
            let attribute = attribute.map_err(|e| {
                self.error(format!(
                    "is not well-formed XML ({})",
                    clean(&e.to_string())
                ))
            })?;
            if !holder || attribute.key.local_name().as_ref() != "Version" {
                continue;
            }
            let value = attribute
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| {
                    self.error(format!(
                        "has an attribute value akspol does not read ({}): only XML's five entities and character references are expanded",
                        clean(&e.to_string())
                    ))
                })?;
            let value: String = value.chars().take(MAX_VERSION_CHARS + 1).collect();
            self.found(&value)?;
        }
        let version_of_holder = name == "Version" && parent_holds && self.version.is_none();
        if empty {
            if version_of_holder {
                self.found("")?;
            }
            return Ok(());
        }
        self.open.push(name);
        if version_of_holder {
            self.version = Some((String::new(), self.open.len()));
        }
        Ok(())
    }

    fn found(&mut self, value: &str) -> Result<(), ManifestError> {
        self.manifest.entries += 1;
        if self.manifest.entries > MAX_ENTRIES {
            return Err(self.error(format!(
                "lists more than {MAX_ENTRIES} versions: far more than Azure Local's manifest, not read"
            )));
        }
        let value = value.trim();
        if self.seen.insert(value.to_string()) {
            if self.seen.len() > MAX_BUILDS {
                return Err(self.error(format!(
                    "lists more than {MAX_BUILDS} different versions: far more than Azure Local's manifest, not read"
                )));
            }
            self.manifest.versions.push(value.to_string());
        }
        Ok(())
    }
}

/// `&lt;` and the other four, and character references (`&#50;`, `&#x32;`);
/// `None` for anything else.
fn resolve_reference(name: &str) -> Option<String> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix('x') {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code)
            .filter(|c| *c != '\0')
            .map(String::from);
    }
    quick_xml::escape::resolve_predefined_entity(name).map(str::to_string)
}

/// What merging a manifest did, for the command's summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ManifestSummary {
    /// `Version` values read, repeats included.
    pub entries: usize,
    /// Different solution builds among them.
    pub builds: usize,
    /// Builds the catalog already listed.
    pub known: usize,
    /// Releases the catalog did not know, added by name.
    pub added_releases: Vec<String>,
    /// Builds added to releases (new ones' included).
    pub added_builds: Vec<String>,
    /// Values that are no build akspol may add, and why.
    pub kept_out: Vec<KeptOut>,
    /// The newest release the manifest names, when it moved `knownThrough`.
    pub known_through: Option<(String, Day)>,
}

const NOT_A_BUILD: &str =
    "not a solution build (expected SolutionL.YYMM.X.Y, e.g. Solution12.2604.1003.1005)";
const TOO_EARLY: &str = "named after a month before 2020";
const NOT_YET: &str = "named after a month that had not begun on the day of the update";
const FULL: &str = "a new release, but the catalog holds its maximum number of releases";

/// The first day of release `YYMM`'s month.
pub fn month_start(release: u32) -> Option<Day> {
    let year = 2000 + i32::try_from(release / 100).ok()?;
    Day::from_ymd_opt(year, release % 100, 1)
}

/// Merges the builds `manifest` lists into `base`'s Azure Local releases; the
/// result is `generated` on `today`. A build joins its release (the `YYMM` of
/// `12.YYMM.x.y`) when the release does not list it yet, without a date; a
/// release the catalog does not know is added by name, with its builds and
/// no day. `source` is cited by every build added. Nothing else changes:
/// nothing the catalog knows is removed or redated.
///
/// `knownThrough` of the line moves up to the first day of the newest release
/// named, never back: that release exists, and its day is not known.
pub fn merge(
    base: &Catalog,
    manifest: &Manifest,
    source: &str,
    today: Day,
) -> (Catalog, ManifestSummary) {
    let mut catalog = base.clone();
    catalog.generated = today;
    let mut summary = ManifestSummary {
        entries: manifest.entries,
        ..ManifestSummary::default()
    };
    // Where each release is in `local_releases`.
    let mut releases: HashMap<u32, usize> = HashMap::new();
    for (i, r) in catalog.local_releases.iter().enumerate() {
        if let ReleaseVersion::AzureLocal(v) = r.version {
            releases.entry(v.release).or_insert(i);
        }
    }
    let known_builds: HashSet<LocalVersion> = catalog
        .local_releases
        .iter()
        .flat_map(|r| r.builds.iter())
        .map(|b| b.version)
        .collect();
    let mut counted: HashSet<LocalVersion> = HashSet::new();
    let mut newest: Option<LocalVersion> = None;
    let mut release_count = catalog.releases.len() + catalog.local_releases.len();
    for value in &manifest.versions {
        let shown: String = clean(value).chars().take(MAX_VERSION_CHARS).collect();
        let keep_out = |reason| KeptOut {
            tag: if shown.is_empty() {
                "(empty)".to_string()
            } else {
                shown.clone()
            },
            reason,
        };
        let build = match LocalVersion::parse(strip_solution(value)) {
            Ok(v) if v.build.is_some() => v,
            _ => {
                summary.kept_out.push(keep_out(NOT_A_BUILD));
                continue;
            }
        };
        if !counted.insert(build) {
            continue;
        }
        summary.builds += 1;
        if let Err(reason) = plausible_month(build, today) {
            summary.kept_out.push(keep_out(reason));
            continue;
        }
        if newest.is_none_or(|n| build.release > n.release) {
            newest = Some(build);
        }
        if known_builds.contains(&build) {
            summary.known += 1;
            continue;
        }
        let added = Build {
            version: build,
            os_build: None,
            available: None,
            supersedes: None,
            alias_of: None,
            confidence: None,
            note: None,
            source: Some(source.to_string()),
        };
        match releases.get(&build.release).copied() {
            Some(i) => {
                if let Some(release) = catalog.local_releases.get_mut(i) {
                    release.builds.push(added);
                }
            }
            None if release_count >= validate::MAX_RELEASES => {
                summary.kept_out.push(keep_out(FULL));
                continue;
            }
            None => {
                let Some(release) = release_of(added, source) else {
                    summary.kept_out.push(keep_out(NOT_A_BUILD));
                    continue;
                };
                release_count += 1;
                releases.insert(build.release, catalog.local_releases.len());
                summary
                    .added_releases
                    .push(build.release_only().to_string());
                catalog.local_releases.push(release);
            }
        }
        summary.added_builds.push(build.to_string());
    }
    sort_releases(&mut catalog.local_releases);
    if let Some(newest) = newest {
        move_known_through(&mut catalog, newest, today, &mut summary);
    }
    (catalog, summary)
}

/// A build's release month must fall between the product's first release
/// and `today`.
fn plausible_month(build: LocalVersion, today: Day) -> Result<(), &'static str> {
    let Some(month) = month_start(build.release) else {
        return Err(NOT_A_BUILD);
    };
    if month < validate::earliest_release() {
        return Err(TOO_EARLY);
    }
    if month > today {
        return Err(NOT_YET);
    }
    Ok(())
}

/// A release the catalog lacks, made of its first build: no day is
/// sourced, so it is dated by its month.
fn release_of(added: Build, source: &str) -> Option<Release> {
    let release = added.version.release_only();
    let month = release.month()?;
    Some(Release {
        version: ReleaseVersion::AzureLocal(release),
        name: Some(format!("Azure Local {release}")),
        tag: None,
        released: month,
        date_basis: DateBasis::Month,
        confidence: None,
        kubernetes_versions: None,
        kubernetes_versions_seen: None,
        builds: vec![added],
        aks_arc: None,
        notes: Vec::new(),
        source: Some(source.to_string()),
        attested: false,
    })
}

/// The line's facts reach the first day of the newest release named, never
/// back.
fn move_known_through(
    catalog: &mut Catalog,
    newest: LocalVersion,
    today: Day,
    summary: &mut ManifestSummary,
) {
    let Some(month) = newest.release_only().month() else {
        return;
    };
    let day = month.earliest;
    let current = catalog.known_through(Product::AksArc).map(|k| k.date);
    if current.is_none_or(|c: When| day > c.earliest) {
        let release = newest.release_only();
        catalog
            .known_through
            .retain(|k| k.product != Product::AksArc);
        catalog.known_through.push(KnownThrough {
            product: Product::AksArc,
            date: month,
            date_basis: DateBasis::Month,
            fact: Some(format!(
                "Azure Local {release}: build {newest} listed in the update manifest on {today}; the release is known by its month only"
            )),
        });
        catalog.known_through.sort_by_key(|k| k.product);
        summary.known_through = Some((release.to_string(), day));
    }
}

/// `Solution12.2604.1003.1005` without its `Solution` prefix (any case).
fn strip_solution(value: &str) -> &str {
    let value = value.trim();
    match value.get(..8) {
        Some(prefix) if prefix.eq_ignore_ascii_case("Solution") => value.get(8..).unwrap_or(value),
        _ => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::dates::parse_day;

    fn day(text: &str) -> Day {
        parse_day(text).unwrap()
    }

    /// The shape the public scripts read, with `Version` in each place.
    const DOCUMENTED: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<ASZSolutionBundleUpdates>
  <ApplicableUpdate Version="Solution12.2611.1004.7">
    <UpdateInfo Version="Solution12.2611.1004.7">
      <UpdateName>Solution12.2611.1004.7</UpdateName>
      <PackageSizeInMb>7200</PackageSizeInMb>
    </UpdateInfo>
    <BillOfMaterials>
      <BomItem Id="PlatformUpdate" Version="12.2611.0.1">
        <BomItem Id="OSColdpatchVersion" Version="26100.9999"/>
      </BomItem>
    </BillOfMaterials>
  </ApplicableUpdate>
  <ApplicableUpdate>
    <Version>Solution12.2610.1003.9</Version>
    <UpdateInfo><Version>
      Solution12.2610.1003.9
    </Version></UpdateInfo>
  </ApplicableUpdate>
  <PackageMetadata>
    <ServicesUpdates>
      <Update><UpdateInfo Version="Solution12.2609.1003.20"><UpdateName>2026.09</UpdateName></UpdateInfo></Update>
      <Update><UpdateInfo><Version><![CDATA[Solution12.2608.1003.&#51;]]></Version></UpdateInfo></Update>
      <Update><UpdateInfo><Version>Solution12.2607.1003.&#x37;&#51;</Version></UpdateInfo></Update>
    </ServicesUpdates>
  </PackageMetadata>
</ASZSolutionBundleUpdates>
"#;

    #[test]
    fn finds_version_as_attribute_and_as_element_where_the_scripts_do() {
        let manifest = parse(DOCUMENTED.as_bytes()).unwrap();
        assert_eq!(
            manifest.versions,
            [
                "Solution12.2611.1004.7",
                "Solution12.2610.1003.9",
                "Solution12.2609.1003.20",
                // CDATA is not unescaped; the merge keeps it out.
                "Solution12.2608.1003.&#51;",
                "Solution12.2607.1003.73",
            ]
        );
        // The BillOfMaterials' versions are not solution builds.
        assert_eq!(manifest.entries, 7);
    }

    #[test]
    fn refuses_what_is_not_a_plain_well_formed_manifest() {
        let cases: &[(&str, &str)] = &[
            ("", "holds no XML element"),
            ("<ASZSolutionBundleUpdates><ApplicableUpdate Version=\"1\">", "ends inside the element <ApplicableUpdate>: the document is truncated"),
            ("<ASZSolutionBundleUpdates><a></b></ASZSolutionBundleUpdates>", "line 1, column 30: is not well-formed XML"),
            ("<html><body>Service unavailable</body></html>", "its root element is <html>, not <ASZSolutionBundleUpdates>"),
            ("<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol1 \"&lol;&lol;&lol;\">]>\n<ASZSolutionBundleUpdates>&lol1;</ASZSolutionBundleUpdates>", "has a document type declaration"),
            ("<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><ASZSolutionBundleUpdates/>", "has a document type declaration"),
            ("<ASZSolutionBundleUpdates>\n  <ApplicableUpdate>&xxe;</ApplicableUpdate></ASZSolutionBundleUpdates>", "line 2, column 21: refers to the entity `&xxe;`, which akspol does not expand"),
            ("<ASZSolutionBundleUpdates><ApplicableUpdate Version=\"&xxe;\"/></ASZSolutionBundleUpdates>", "has an attribute value akspol does not read"),
            ("<ASZSolutionBundleUpdates/><ASZSolutionBundleUpdates/>", "has more than one root element"),
            ("<ASZSolutionBundleUpdates/>text", "has text outside its root element"),
        ];
        for (text, expected) in cases {
            let error = parse(text.as_bytes()).unwrap_err().to_string();
            assert!(error.contains(expected), "{text}: {error}");
        }
        assert!(
            parse(b"<ASZSolutionBundleUpdates>\xC3</ASZSolutionBundleUpdates>")
                .unwrap_err()
                .to_string()
                .contains("is not text akspol reads (1:27: invalid UTF-8")
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "<ASZSolutionBundleUpdates Version=\"x\"/>"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        assert_eq!(parse(&utf16).unwrap(), Manifest::default());
        let deep = format!("<ASZSolutionBundleUpdates>{}", "<a>".repeat(MAX_DEPTH + 1));
        assert!(parse(deep.as_bytes())
            .unwrap_err()
            .to_string()
            .contains("more than 64 deep"));
        // A byte-order mark is fine; an empty manifest is a manifest.
        let empty = parse(b"\xEF\xBB\xBF<ASZSolutionBundleUpdates/>").unwrap();
        assert_eq!(empty, Manifest::default());
    }

    #[test]
    fn too_many_versions_are_refused() {
        let entries = |n: usize, distinct: usize| {
            let mut text = String::from("<ASZSolutionBundleUpdates>");
            for i in 0..n {
                text.push_str(&format!(
                    "<ApplicableUpdate Version=\"Solution12.2601.1.{}\"/>",
                    i % distinct
                ));
            }
            text.push_str("</ASZSolutionBundleUpdates>");
            text
        };
        let many = parse(entries(MAX_ENTRIES, 10).as_bytes()).unwrap();
        assert_eq!((many.entries, many.versions.len()), (MAX_ENTRIES, 10));
        let error = parse(entries(MAX_ENTRIES + 1, 10).as_bytes()).unwrap_err();
        assert!(error.why.contains("more than 10000 versions"), "{error}");
        let error = parse(entries(MAX_BUILDS + 1, MAX_BUILDS + 1).as_bytes()).unwrap_err();
        assert!(
            error.why.contains("more than 1000 different versions"),
            "{error}"
        );
    }

    /// n and 4n entries: the parse and the merge stay linear (a repeat is
    /// found by a set, not by a scan of what was kept).
    #[test]
    fn reading_many_entries_is_linear() {
        let document = |n: usize| {
            let mut text = String::from("<ASZSolutionBundleUpdates>");
            for i in 0..n {
                text.push_str(&format!(
                    "<ApplicableUpdate><UpdateInfo><Version>Solution12.2601.{}.1</Version></UpdateInfo></ApplicableUpdate>",
                    i % MAX_BUILDS
                ));
            }
            text.push_str("</ASZSolutionBundleUpdates>");
            text
        };
        let base = Catalog::embedded().unwrap();
        let time = |n: usize| {
            let text = document(n);
            let started = std::time::Instant::now();
            for _ in 0..3 {
                let manifest = parse(text.as_bytes()).unwrap();
                let (merged, _) = merge(&base, &manifest, "test", day("2026-12-07"));
                assert!(merged.local_releases.len() >= base.local_releases.len());
            }
            started.elapsed().as_secs_f64()
        };
        let small = time(2_500);
        let large = time(10_000);
        // Linear is about 4x (fewer here: the 1,000 builds are made once);
        // quadratic would be 16x.
        assert!(
            large / small < 10.0,
            "2,500: {small:.3}s, 10,000: {large:.3}s"
        );
    }

    #[test]
    fn builds_join_their_release_and_new_releases_are_added_by_name() {
        let base = Catalog::embedded().unwrap();
        let manifest = Manifest {
            versions: vec![
                "Solution12.2611.1004.7".into(),
                "Solution12.2611.1004.7 ".into(),
                "solution12.2611.1004.9".into(),
                "12.2603.1002.15".into(),
                "Solution12.2603.1002.99".into(),
                "Solution12.2604.1003.1006".into(),
                "Solution12.2604.1003.2000".into(),
                "Solution12.2701.1.1".into(),
                "Solution12.1912.1.1".into(),
                "2611".into(),
                "<".into(),
                String::new(),
            ],
            entries: 14,
        };
        let source =
            "the Azure Local update manifest https://aka.ms/AzureEdgeUpdates, read on 2026-12-07";
        let (merged, summary) = merge(&base, &manifest, source, day("2026-12-07"));
        assert_eq!(merged.generated, day("2026-12-07"));
        assert_eq!(summary.entries, 14);
        assert_eq!(summary.builds, 8);
        assert_eq!(summary.known, 2, "{summary:?}");
        assert_eq!(summary.added_releases, ["2611"]);
        assert_eq!(
            summary.added_builds,
            [
                "12.2611.1004.7",
                "12.2611.1004.9",
                "12.2603.1002.99",
                "12.2604.1003.2000"
            ]
        );
        let kept: Vec<(&str, &str)> = summary
            .kept_out
            .iter()
            .map(|k| (k.tag.as_str(), k.reason))
            .collect();
        assert_eq!(
            kept,
            [
                ("Solution12.2701.1.1", NOT_YET),
                ("Solution12.1912.1.1", TOO_EARLY),
                ("2611", NOT_A_BUILD),
                ("<", NOT_A_BUILD),
                ("(empty)", NOT_A_BUILD),
            ]
        );
        // 2611: by name, dated by its month, its builds citing the manifest.
        let r2611 = merged
            .local_releases
            .iter()
            .find(|r| r.version.to_string() == "2611")
            .unwrap();
        assert_eq!(r2611.name.as_deref(), Some("Azure Local 2611"));
        assert_eq!(r2611.released.to_string(), "2026-11");
        assert_eq!(r2611.builds.len(), 2);
        assert!(r2611
            .builds
            .iter()
            .all(|b| b.available.is_none() && b.source.as_deref() == Some(source)));
        assert_eq!(r2611.source.as_deref(), Some(source));
        // A dated release keeps its date and gains the build, without one.
        let r2603 = merged
            .local_releases
            .iter()
            .find(|r| r.version.to_string() == "2603")
            .unwrap();
        let before = base
            .local_releases
            .iter()
            .find(|r| r.version.to_string() == "2603")
            .unwrap();
        assert_eq!(r2603.released, before.released);
        assert_eq!(r2603.builds.len(), before.builds.len() + 1);
        assert_eq!(r2603.builds.last().unwrap().available, None);
        // knownThrough reaches the newest release's month.
        let known = merged.known_through(Product::AksArc).unwrap();
        assert_eq!(
            (known.date.to_string(), known.date_basis),
            ("2026-11".to_string(), DateBasis::Month)
        );
        assert_eq!(
            summary.known_through,
            Some(("2611".into(), day("2026-11-01")))
        );
        // Nothing was removed, the AksHci line is untouched, and the result reads back.
        assert_eq!(merged.releases, base.releases);
        assert_eq!(merged.local_releases.len(), base.local_releases.len() + 1);
        let names: Vec<String> = merged
            .local_releases
            .iter()
            .map(|r| r.version.to_string())
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        let text = serde_json::to_string(&merged.to_file()).unwrap();
        let again =
            Catalog::from_text("merged", &text, crate::catalog::CatalogSource::Embedded).unwrap();
        assert_eq!(again.local_releases, merged.local_releases);
    }

    #[test]
    fn an_older_manifest_never_moves_known_through_back() {
        let base = Catalog::embedded().unwrap();
        let manifest = Manifest {
            versions: vec!["Solution12.2511.1002.5".into()],
            entries: 1,
        };
        let (merged, summary) = merge(&base, &manifest, "test", day("2026-12-07"));
        assert_eq!(
            merged.known_through(Product::AksArc),
            base.known_through(Product::AksArc)
        );
        assert_eq!(summary.known_through, None);
        assert_eq!(summary.known, 1);
        assert!(summary.added_builds.is_empty());
    }

    #[test]
    fn month_starts() {
        assert_eq!(month_start(2611), Some(day("2026-11-01")));
        assert_eq!(month_start(2001), Some(day("2020-01-01")));
        assert_eq!(month_start(2613), None);
        assert_eq!(strip_solution(" SOLUTION12.2611.1.1 "), "12.2611.1.1");
        assert_eq!(strip_solution("12.2611.1.1"), "12.2611.1.1");
    }
}
