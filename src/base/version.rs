//! The two version schemes akspol compares: AKS hybrid releases (`W.X.Y.ZZZZ`)
//! and Kubernetes (`MAJOR.MINOR.PATCH`, optional leading `v`).

use std::cmp::Ordering;
use std::fmt;

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
}
