//! The version schemes akspol compares: AKS hybrid releases (`W.X.Y.ZZZZ`),
//! Azure Local releases (`YYMM`) and their builds (`12.2510.1002.94`), and
//! Kubernetes (`MAJOR.MINOR.PATCH`, optional leading `v`).

use std::cmp::Ordering;
use std::fmt;

use super::product::Product;

/// An AKS hybrid version. `build` is `None` for catalog entries known only as
/// `W.X.Y` (the release's place in the sequence is known, its build is not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AksVersion {
    pub fields: [u64; 3],
    pub build: Option<u64>,
}

impl AksVersion {
    /// Parses `W.X.Y.ZZZZ`, or also `W.X.Y` when `allow_three` (catalog entries).
    pub fn parse(text: &str, allow_three: bool) -> Result<Self, String> {
        let expected = if allow_three {
            "expected W.X.Y.ZZZZ or W.X.Y (dot-separated non-negative integers)"
        } else {
            "expected W.X.Y.ZZZZ (four dot-separated non-negative integers, e.g. 1.0.24.11029)"
        };
        let parts: Vec<&str> = text.split('.').collect();
        if parts.len() != 4 && !(allow_three && parts.len() == 3) {
            return Err(format!("`{text}` has {} fields: {expected}", parts.len()));
        }
        let mut numbers = [0u64; 4];
        for (slot, part) in numbers.iter_mut().zip(&parts) {
            *slot = parse_field(part).map_err(|why| format!("`{text}`: {why}: {expected}"))?;
        }
        let [w, x, y, z] = numbers;
        Ok(Self {
            fields: [w, x, y],
            build: (parts.len() == 4).then_some(z),
        })
    }

    /// Whether a catalog entry (`self`) designates the installed version:
    /// exact match, or same `W.X.Y` when the catalog lacks the build number.
    pub fn designates(&self, installed: &AksVersion) -> bool {
        self.fields == installed.fields && (self.build.is_none() || self.build == installed.build)
    }

    /// Release order: by `W.X.Y`, then build where both are known. A three-field
    /// entry is the same release as any build of it.
    pub fn release_cmp(&self, other: &AksVersion) -> Ordering {
        self.fields
            .cmp(&other.fields)
            .then_with(|| match (self.build, other.build) {
                (Some(a), Some(b)) => a.cmp(&b),
                _ => Ordering::Equal,
            })
    }
}

/// An Azure Local release (`2510`: the year and month of its name) or one of
/// its solution builds (`12.2510.1002.94`: OS line 12.x, release 2510, then
/// the build's own two fields). The builds of one release are one release for
/// every support window; the build only says which OS line the host runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LocalVersion {
    /// `YYMM`, e.g. 2510.
    pub release: u32,
    /// The four fields of a solution build, when one was given.
    pub build: Option<[u64; 4]>,
}

const LOCAL_EXPECTED: &str =
    "expected an Azure Local release (YYMM, e.g. 2510) or one of its builds (e.g. 12.2510.1002.94)";

impl LocalVersion {
    /// Parses `YYMM` or `L.YYMM.X.Y`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let parts: Vec<&str> = text.split('.').collect();
        match parts.as_slice() {
            [release] => Ok(Self {
                release: release_name(release)
                    .map_err(|why| format!("`{text}`: {why}: {LOCAL_EXPECTED}"))?,
                build: None,
            }),
            [line, release, x, y] => {
                let why = |why: String| format!("`{text}`: {why}: {LOCAL_EXPECTED}");
                let release = release_name(release).map_err(why)?;
                let [line, x, y] = [line, x, y].map(|part| parse_field(part));
                Ok(Self {
                    release,
                    build: Some([
                        line.map_err(why)?,
                        u64::from(release),
                        x.map_err(why)?,
                        y.map_err(why)?,
                    ]),
                })
            }
            _ => Err(format!(
                "`{text}` has {} fields: {LOCAL_EXPECTED}",
                parts.len()
            )),
        }
    }

    /// The release alone (`2510`), without the build.
    pub fn release_only(&self) -> Self {
        Self {
            release: self.release,
            build: None,
        }
    }

    /// The OS line of a build (10, 11 or 12); `None` for a release name.
    pub fn line(&self) -> Option<u64> {
        self.build.map(|[line, ..]| line)
    }

    /// The month its name gives: Microsoft names each Azure Local release
    /// `YYMM` and shows it to clusters as "YYYY.MM Feature Update".
    pub fn month(&self) -> Option<crate::base::dates::When> {
        let year = i32::try_from(2000 + self.release / 100).ok()?;
        crate::base::dates::When::month(year, self.release % 100)
    }
}

/// `YYMM` with a real month.
fn release_name(text: &str) -> Result<u32, String> {
    let valid = text.len() == 4
        && text.bytes().all(|b| b.is_ascii_digit())
        && text
            .get(2..)
            .and_then(|m| m.parse::<u32>().ok())
            .is_some_and(|month| (1..=12).contains(&month));
    if !valid {
        return Err(format!("`{text}` is not a release name YYMM"));
    }
    text.parse()
        .map_err(|_| format!("`{text}` is not a release name YYMM"))
}

impl fmt::Display for LocalVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.build {
            Some([line, release, x, y]) => write!(f, "{line}.{release}.{x}.{y}"),
            None => write!(f, "{}", self.release),
        }
    }
}

/// A release of either product line: what a deployment has installed and what
/// a catalog entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReleaseVersion {
    AksHci(AksVersion),
    AzureLocal(LocalVersion),
}

impl ReleaseVersion {
    /// Parses a deployment's installed version for its product line. A version
    /// of the other line is an error that names both lines.
    pub fn parse(product: Product, text: &str) -> Result<Self, String> {
        match product {
            Product::AksHybrid => {
                if LocalVersion::parse(text).is_ok() {
                    return Err(format!(
                        "`{text}` is an Azure Local release or build, not an AKS hybrid version: for AKS Arc on Azure Local set `\"product\": \"aks-arc\"`; the aks-hybrid line (the default) expects W.X.Y.ZZZZ, e.g. 1.0.24.11029"
                    ));
                }
                AksVersion::parse(text, false).map(Self::AksHci)
            }
            Product::AksArc => LocalVersion::parse(text).map(Self::AzureLocal).map_err(|why| {
                if AksVersion::parse(text, false).is_ok() {
                    format!(
                        "`{text}` is an AKS hybrid (AksHci) version, not an Azure Local release: the aks-arc line expects a release (YYMM, e.g. 2510) or a build (e.g. 12.2510.1002.94); for the AksHci line set `\"product\": \"aks-hybrid\"` or leave it out"
                    )
                } else {
                    why
                }
            }),
        }
    }

    pub fn product(&self) -> Product {
        match self {
            ReleaseVersion::AksHci(_) => Product::AksHybrid,
            ReleaseVersion::AzureLocal(_) => Product::AksArc,
        }
    }

    pub fn aks(&self) -> Option<&AksVersion> {
        match self {
            ReleaseVersion::AksHci(v) => Some(v),
            ReleaseVersion::AzureLocal(_) => None,
        }
    }

    pub fn local(&self) -> Option<&LocalVersion> {
        match self {
            ReleaseVersion::AzureLocal(v) => Some(v),
            ReleaseVersion::AksHci(_) => None,
        }
    }

    /// Release order within a line (AKS hybrid: by `W.X.Y`, then build; Azure
    /// Local: by release, whatever the build). The AKS hybrid line sorts
    /// before Azure Local; the two are never compared in a judgement.
    pub fn release_cmp(&self, other: &ReleaseVersion) -> Ordering {
        match (self, other) {
            (ReleaseVersion::AksHci(a), ReleaseVersion::AksHci(b)) => a.release_cmp(b),
            (ReleaseVersion::AzureLocal(a), ReleaseVersion::AzureLocal(b)) => {
                a.release.cmp(&b.release)
            }
            (ReleaseVersion::AksHci(_), ReleaseVersion::AzureLocal(_)) => Ordering::Less,
            (ReleaseVersion::AzureLocal(_), ReleaseVersion::AksHci(_)) => Ordering::Greater,
        }
    }

    /// Whether a catalog entry (`self`) designates the installed version: the
    /// same AKS hybrid version (or its `W.X.Y` family), or the same Azure
    /// Local release (any of its builds).
    pub fn designates(&self, installed: &ReleaseVersion) -> bool {
        match (self, installed) {
            (ReleaseVersion::AksHci(a), ReleaseVersion::AksHci(b)) => a.designates(b),
            (ReleaseVersion::AzureLocal(a), ReleaseVersion::AzureLocal(b)) => {
                a.release == b.release && (a.build.is_none() || a.build == b.build)
            }
            _ => false,
        }
    }

    /// Whether the catalog lacks part of the version: an AKS hybrid entry
    /// known only as `W.X.Y`.
    pub fn lacks_build(&self) -> bool {
        matches!(self, ReleaseVersion::AksHci(v) if v.build.is_none())
    }
}

impl fmt::Display for ReleaseVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReleaseVersion::AksHci(v) => v.fmt(f),
            ReleaseVersion::AzureLocal(v) => v.fmt(f),
        }
    }
}

fn parse_field(part: &str) -> Result<u64, String> {
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{part}` is not a non-negative integer"));
    }
    if part.len() > 1 && part.starts_with('0') {
        return Err(format!("`{part}` has a leading zero"));
    }
    part.parse().map_err(|_| format!("`{part}` is too large"))
}

impl fmt::Display for AksVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [w, x, y] = self.fields;
        match self.build {
            Some(z) => write!(f, "{w}.{x}.{y}.{z}"),
            None => write!(f, "{w}.{x}.{y}"),
        }
    }
}

/// A Kubernetes version. Kept as semver so pre-release and build suffixes that
/// real clusters report (`v1.28.5+k3s1`) still parse.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KubeVersion(pub semver::Version);

impl KubeVersion {
    pub fn parse(text: &str) -> Result<Self, String> {
        let bare = text.strip_prefix('v').unwrap_or(text);
        semver::Version::parse(bare).map(Self).map_err(|e| {
            format!("`{text}` is not a Kubernetes version ({e}): expected MAJOR.MINOR.PATCH, e.g. 1.28.5 or v1.28.5")
        })
    }

    pub fn major(&self) -> u64 {
        self.0.major
    }

    pub fn minor(&self) -> u64 {
        self.0.minor
    }

    /// `1.28`: the minor release line.
    pub fn minor_line(&self) -> String {
        format!("{}.{}", self.0.major, self.0.minor)
    }

    /// Same `MAJOR.MINOR.PATCH`, ignoring pre-release and build metadata.
    pub fn same_release(&self, other: &KubeVersion) -> bool {
        (self.0.major, self.0.minor, self.0.patch) == (other.0.major, other.0.minor, other.0.patch)
    }
}

impl fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aks_versions() {
        let v = AksVersion::parse("1.0.24.11029", false).unwrap();
        assert_eq!(v.to_string(), "1.0.24.11029");
        assert!(AksVersion::parse("1.0.24", false).is_err());
        assert!(AksVersion::parse("1.0.24", true).unwrap().build.is_none());
        for bad in [
            "1.0.24.11029.1",
            "1.0",
            "1.0.x.1",
            "1.0.-1.2",
            "1.00.2.3",
            "1.0.2.99999999999999999999999",
            "",
            "1..2.3",
        ] {
            assert!(AksVersion::parse(bad, true).is_err(), "{bad}");
        }
    }

    #[test]
    fn aks_order_is_numeric_and_three_fields_designate_any_build() {
        let a = AksVersion::parse("1.0.9.10413", false).unwrap();
        let b = AksVersion::parse("1.0.10.10101", false).unwrap();
        assert_eq!(a.release_cmp(&b), Ordering::Less);
        let family = AksVersion::parse("1.0.10", true).unwrap();
        assert!(family.designates(&b));
        assert!(!family.designates(&a));
        assert_eq!(family.release_cmp(&b), Ordering::Equal);
    }

    #[test]
    fn kube_versions() {
        let v = KubeVersion::parse("v1.28.5").unwrap();
        assert_eq!((v.major(), v.minor()), (1, 28));
        assert_eq!(v, KubeVersion::parse("1.28.5").unwrap());
        assert!(KubeVersion::parse("1.28").is_err());
        assert!(KubeVersion::parse("1.028.5").is_err());
        assert!(KubeVersion::parse("v1.28.5+k3s1").unwrap().same_release(&v));
    }

    #[test]
    fn azure_local_versions() {
        let release = LocalVersion::parse("2510").unwrap();
        assert_eq!((release.release, release.build), (2510, None));
        let build = LocalVersion::parse("12.2510.1002.94").unwrap();
        assert_eq!(build.to_string(), "12.2510.1002.94");
        assert_eq!((build.release, build.line()), (2510, Some(12)));
        assert_eq!(build.release_only(), release);
        for bad in [
            "25",
            "2513",
            "2500",
            "251",
            "12.2510.1002",
            "12.25100.1.2",
            "x.2510.1.2",
            "12.2510.01.2",
            "",
        ] {
            assert!(LocalVersion::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_version_of_the_other_line_names_both_lines() {
        let arc = ReleaseVersion::parse(Product::AksArc, "1.0.24.11029").unwrap_err();
        assert!(
            arc.contains("AKS hybrid (AksHci) version") && arc.contains("aks-hybrid"),
            "{arc}"
        );
        let hybrid = ReleaseVersion::parse(Product::AksHybrid, "12.2510.1002.94").unwrap_err();
        assert!(
            hybrid.contains("Azure Local release or build") && hybrid.contains("aks-arc"),
            "{hybrid}"
        );
        assert!(ReleaseVersion::parse(Product::AksHybrid, "2510").is_err());
        assert!(ReleaseVersion::parse(Product::AksHybrid, "1.0.24.11029").is_ok());
        let a = ReleaseVersion::parse(Product::AksArc, "11.2510.1002.87").unwrap();
        let b = ReleaseVersion::parse(Product::AksArc, "2510").unwrap();
        assert_eq!(a.release_cmp(&b), Ordering::Equal);
        assert!(b.designates(&a) && !a.designates(&b));
    }
}
