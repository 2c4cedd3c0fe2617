//! The gate: whether a run's findings are acceptable (`--fail-on`,
//! `--fail-within`). The face turns the answer into an exit status.

use crate::base::dates::days_between;
use crate::findings::Report;

/// What fails a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Gate {
    /// The lowest status severity that fails (`Status::severity`); `None` never.
    pub threshold: Option<u8>,
    /// Fail when a deadline falls within this many days of the as-of date.
    pub fail_within: Option<u32>,
}

impl Gate {
    /// Whether any unwaived finding reaches the threshold, or a deadline falls
    /// within `fail_within` days.
    pub fn fails(&self, report: &Report) -> bool {
        let findings = report
            .inventories
            .iter()
            .flat_map(|i| &i.findings)
            .filter(|f| f.waiver.is_none());
        for f in findings {
            let outcome = &f.finding.outcome;
            if self
                .threshold
                .is_some_and(|t| outcome.status.severity() >= t)
            {
                return true;
            }
            if let (Some(days), Some(deadline)) = (self.fail_within, outcome.deadline) {
                if days_between(report.as_of, deadline.date) <= i64::from(days) {
                    return true;
                }
            }
        }
        false
    }
}
