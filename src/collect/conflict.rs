//! Two sources that report one field differently: the first in precedence
//! is kept and the disagreement is said, in one shape for every collector;
//! nothing is averaged or guessed.

use crate::base::sanitize::clean;

/// What one source reports of a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The source's name (`kubectl-version-akswc1`, `--deployment-version`).
    pub source: String,
    pub value: String,
    /// What the source is, when the message names it ("the API server's own report").
    pub what: Option<&'static str>,
}

impl Report {
    pub fn new(source: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            source: source.into(),
            value: value.into(),
            what: None,
        }
    }

    /// The report, with what its source is.
    pub fn of(source: impl Into<String>, value: impl Into<String>, what: &'static str) -> Self {
        Self {
            what: Some(what),
            ..Self::new(source, value)
        }
    }

    fn says(&self) -> String {
        match self.what {
            Some(what) => format!("{} ({what}) says {}", self.source, clean(&self.value)),
            None => format!("{} says {}", self.source, clean(&self.value)),
        }
    }
}

/// The first report (`None` when there is none), and the conflict line for
/// `field` when another disagrees with it (`same` says which values agree).
pub fn first_wins(
    field: &str,
    reports: Vec<Report>,
    same: impl Fn(&str, &str) -> bool,
) -> Option<(Report, Option<String>)> {
    let mut reports = reports.into_iter();
    let kept = reports.next()?;
    let others: Vec<String> = reports
        .filter(|r| !same(&r.value, &kept.value))
        .map(|r| r.says())
        .collect();
    let conflict = (!others.is_empty()).then(|| {
        format!(
            "{field}: {}; {}: kept {}",
            kept.says(),
            others.join("; "),
            clean(&kept.value)
        )
    });
    Some((kept, conflict))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_is_kept_and_each_disagreement_said() {
        let reports = vec![
            Report::of("a", "v1.28.5", "its own"),
            Report::of("b", "1.28.5", "a copy"),
            Report::new("c", "v1.29.4"),
        ];
        let (kept, conflict) = first_wins(
            "x.version",
            reports,
            crate::collect::facts::same_kubernetes_version,
        )
        .unwrap();
        assert_eq!(kept.source, "a");
        assert_eq!(
            conflict.as_deref(),
            Some("x.version: a (its own) says v1.28.5; c says v1.29.4: kept v1.28.5")
        );
        let (_, none) = first_wins("x", vec![Report::new("a", "1")], |a, b| a == b).unwrap();
        assert_eq!(none, None);
        assert_eq!(first_wins("x", Vec::new(), |a, b| a == b), None);
    }
}
