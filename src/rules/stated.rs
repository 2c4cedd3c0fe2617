//! The rules as each policy edition states them (`findings::stated`): its
//! section and URL, the words a rule rests on, and the explanation in that
//! edition's terms. `akspol explain CODE --policy-edition ID` prints it, and
//! the reports explain and link each finding by it.

use super::{registry::RULES, RuleInfo};
use crate::findings::{Cite, EditionText, Editions, StatedRule};
use crate::policy::Edition;

/// `"Basic installation support for Calico CNI" (Flannel dropped)`: an
/// edition's statement without the row of `policy-editions.md` it comes
/// from (`AL25 #6: `), which the reader does not have.
pub fn statement_words(statement: &str) -> &str {
    let reference = statement
        .split_once(": ")
        .filter(|(row, _)| row.starts_with(|c: char| c.is_ascii_uppercase()))
        .filter(|(row, _)| !row.contains('"'));
    match reference {
        Some((_, words)) => words,
        None => statement,
    }
}

/// The rule as `edition` states it; `None` when the edition does not.
pub fn stated(rule: &RuleInfo, edition: &'static Edition) -> Option<StatedRule> {
    let own = edition.rule(rule.code)?;
    let statement = statement_words(&own.statement);
    Some(StatedRule {
        code: rule.code,
        cite: Cite {
            section: own.section.as_str(),
            url: own.url.as_str(),
        },
        statement,
        explanation: rule.explanation_under(&edition.id, &own.section, statement),
    })
}

/// Every edition with the rules it states, for a run's reports.
pub fn editions(all: &'static [Edition]) -> Editions {
    Editions::new(
        all.iter()
            .map(|edition| EditionText {
                id: edition.id.as_str(),
                title: edition.title.as_str(),
                url: edition.page.url.as_str(),
                rules: RULES
                    .iter()
                    .filter_map(|rule| stated(&rule.info, edition))
                    .collect(),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_lose_their_row_reference() {
        assert_eq!(
            statement_words(
                r#"AL25 #6: "Basic installation support for Calico CNI" (Flannel dropped)"#
            ),
            r#""Basic installation support for Calico CNI" (Flannel dropped)"#
        );
        assert_eq!(
            statement_words("AL25: privileged daemon sets: support can't help"),
            "privileged daemon sets: support can't help"
        );
        assert_eq!(
            statement_words(r#"WS25 #2 and the linked page (K1-K3, K9, K10): three GA minors"#),
            "three GA minors"
        );
        assert_eq!(statement_words("no reference here"), "no reference here");
    }
}
