//! Running the three queries with `az graph query`, page by page. Running a
//! command is the caller's `run` (the face gives it the clock and the
//! limits; `collect::run` starts it), so the paging is tested here without
//! starting anything.
//!
//! A query is read in full or not at all: a page that fails, a skip token
//! seen before (a loop), or more pages or rows than the bounds make the
//! whole query unavailable, since its other pages alone would be a fleet
//! with sites silently missing.

use std::collections::HashSet;

use super::answers::{hint, Answers};
use super::page::{self, Page};
use super::queries::{Query, Scope};
use crate::collect::bundle::Entry;
use crate::collect::run::CommandLine;
use crate::collect::written::{SourceRecord, SourceStatus};

/// Pages one query may take: 1,000,000 rows, far beyond any fleet.
pub const MAX_PAGES: usize = 1000;
/// Rows one query may return.
pub const MAX_ROWS: usize = 1_000_000;

/// Runs one command and says what came of it.
pub type Run<'a> = dyn FnMut(&CommandLine) -> Entry + 'a;

/// Runs Q1, then Q2 and Q3 (not when Q1 could not be read: without the
/// instances there is nothing to join them to).
pub fn collect(scope: &Scope, run: &mut Run) -> Answers {
    let mut answers = Answers::default();
    for query in Query::ALL {
        if query != Query::Instances && !answers.instances.is_read() {
            answers.unavailable(
                query,
                format!(
                    "not run: {} ({}) could not be read",
                    Query::Instances.label(),
                    Query::Instances.source_name()
                ),
            );
            continue;
        }
        run_query(scope, query, run, &mut answers);
    }
    answers
}

fn run_query(scope: &Scope, query: Query, run: &mut Run, answers: &mut Answers) {
    let mut pages: Vec<Page> = Vec::new();
    let mut tokens: HashSet<String> = HashSet::new();
    let mut token: Option<String> = None;
    let mut rows = 0usize;
    let failed = loop {
        let number = pages.len() + 1;
        let command = scope.command(query, token.as_deref());
        let entry = run(&command);
        let origin = format!("{} page {number}", query.source_name());
        let read = entry
            .output
            .map_err(|why| hint(&why))
            .and_then(|text| page::read(&origin, &text, Some(query)));
        let mut line = SourceRecord {
            name: query.source_name().to_string(),
            command: Some(shown(&command, query)),
            file: None,
            ran_at: entry.ran_at,
            status: SourceStatus::Ok,
            detail: None,
        };
        let page = match read {
            Ok(page) => page,
            Err(why) => {
                line.status = SourceStatus::Unavailable;
                line.detail = Some(format!("page {number}: {why}"));
                answers.sources.push(line);
                break Some(format!("page {number}: {why}"));
            }
        };
        rows += page.rows.len();
        line.detail = Some(format!(
            "page {number}: {} row{}",
            page.rows.len(),
            if page.rows.len() == 1 { "" } else { "s" }
        ));
        answers.sources.push(line);
        let next = page.skip_token.clone();
        pages.push(page);
        match next {
            None => break None,
            Some(next) if !tokens.insert(next.clone()) => {
                break Some(format!(
                    "page {number}: az gave the skip token of an earlier page again (a loop): stopped after {number} pages"
                ))
            }
            Some(_) if number >= MAX_PAGES || rows >= MAX_ROWS => {
                break Some(format!(
                    "more than {MAX_PAGES} pages or {MAX_ROWS} rows: stopped after {number} pages ({rows} rows); narrow the scope with --subscriptions or --management-groups"
                ))
            }
            Some(next) => token = Some(next),
        }
    };
    match failed {
        Some(why) => answers.unavailable(query, why),
        None => {
            for page in pages {
                answers.add(page);
            }
        }
    }
}

/// The command as the provenance keeps it: the query named by its label
/// (`--dry-run` prints it), so each inventory does not carry it in full.
fn shown(command: &CommandLine, query: Query) -> Vec<String> {
    command
        .argv()
        .into_iter()
        .map(|a| {
            if a == query.kql() {
                format!("<{}>", query.label())
            } else {
                a
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::resource_graph::answers::State;

    const ROW_Q1: &str = r#"{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.AzureStackHCI/clusters/ID", "name": "ID", "resourceGroup": "rg", "subscriptionId": "s", "location": "l", "status": "", "connectivityStatus": "", "lastSyncTimestamp": "", "registrationTimestamp": "", "clusterVersion": "", "reportedLastUpdated": "", "supportedCapabilities": null, "nodes": null, "currentVersion": "12.2604.1003.1006", "updateState": "", "healthState": "", "lastUpdated": "", "lastChecked": "", "packageVersions": null}"#;

    fn page_of(ids: &[&str], token: Option<&str>) -> String {
        let rows: Vec<String> = ids.iter().map(|id| ROW_Q1.replace("ID", id)).collect();
        format!(
            r#"{{"count": {}, "data": [{}], "skip_token": {}, "total_records": 3}}"#,
            ids.len(),
            rows.join(","),
            token.map_or("null".to_string(), |t| format!("\"{t}\""))
        )
    }

    fn entry(output: Result<String, String>) -> Entry {
        Entry {
            origin: String::new(),
            command: None,
            ran_at: Some("2026-12-07T10:00:00Z".into()),
            output,
        }
    }

    fn scope() -> Scope {
        Scope {
            az: "az".into(),
            ..Scope::default()
        }
    }

    /// A stand-in for az: Q1 answered by `q1(token)`, Q2 and Q3 without rows.
    fn ask(q1: impl Fn(Option<&str>) -> Result<String, String>) -> (Answers, Vec<String>) {
        let mut asked = Vec::new();
        let mut run = |c: &CommandLine| {
            let token = c
                .args
                .iter()
                .position(|a| a == "--skip-token")
                .map(|i| c.args[i + 1].clone());
            asked.push(format!(
                "{} {}",
                if c.args[3] == Query::Instances.kql() {
                    "Q1"
                } else {
                    "Q"
                },
                token.clone().unwrap_or_default()
            ));
            if c.args[3] == Query::Instances.kql() {
                entry(q1(token.as_deref()))
            } else {
                entry(Ok(
                    r#"{"count": 0, "data": [], "skip_token": null, "total_records": 0}"#.into(),
                ))
            }
        };
        let answers = collect(&scope(), &mut run);
        (answers, asked)
    }

    #[test]
    fn pages_are_followed_by_their_token() {
        let (answers, asked) = ask(|token| {
            Ok(match token {
                None => page_of(&["a", "b"], Some("t1")),
                Some("t1") => page_of(&["c"], None),
                Some(other) => panic!("{other}"),
            })
        });
        assert_eq!(asked, ["Q1 ", "Q1 t1", "Q ", "Q "]);
        assert_eq!(answers.instances.rows.len(), 3);
        assert_eq!(answers.instances.pages, 2);
        assert_eq!(answers.updates.state, State::Read);
        assert_eq!(answers.sources[1].detail.as_deref(), Some("page 2: 1 row"));
        assert_eq!(answers.sources[1].command.as_ref().unwrap()[4], "<Q1>");
    }

    #[test]
    fn a_token_seen_twice_is_a_loop_and_the_query_unavailable() {
        let (answers, asked) = ask(|token| {
            Ok(match token {
                None => page_of(&["a"], Some("t1")),
                Some("t1") => page_of(&["b"], Some("t2")),
                Some(_) => page_of(&["c"], Some("t1")),
            })
        });
        assert_eq!(asked, ["Q1 ", "Q1 t1", "Q1 t2"]);
        assert_eq!(
            answers.instances.state,
            State::Unavailable(
                "page 3: az gave the skip token of an earlier page again (a loop): stopped after 3 pages".into()
            )
        );
        assert!(answers.instances.rows.is_empty());
        // Without the instances, the other queries are not run.
        assert!(
            matches!(&answers.updates.state, State::Unavailable(w) if w.starts_with("not run"))
        );
    }

    #[test]
    fn a_failed_page_makes_the_whole_query_unavailable() {
        let (answers, _) = ask(|token| {
            match token {
            None => Ok(page_of(&["a"], Some("t1"))),
            Some(_) => Err("exited with status 1: ERROR: AADSTS700082: The refresh token has expired due to inactivity. Please run 'az login' to setup account.".into()),
        }
        });
        let State::Unavailable(why) = &answers.instances.state else {
            panic!("{:?}", answers.instances.state)
        };
        assert!(
            why.starts_with("page 2: exited with status 1: ERROR: AADSTS700082"),
            "{why}"
        );
        assert!(why.ends_with("(sign in again with `az login`; the account needs read access to the subscriptions queried)"), "{why}");
        assert_eq!(answers.sources[1].status, SourceStatus::Unavailable);
    }

    #[test]
    fn an_error_answer_and_the_wrong_rows_are_unavailable() {
        let (answers, _) = ask(|_| {
            Ok(r#"{"error": {"code": "BadRequest", "message": "Please provide below info when asking for support"}}"#.into())
        });
        assert!(
            matches!(&answers.instances.state, State::Unavailable(w) if w.contains("Resource Graph answered with an error: BadRequest: Please provide"))
        );
        let (answers, _) = ask(|_| {
            Ok(
                r#"{"count": 1, "data": [{"id": "x", "clusterKey": "y"}], "skip_token": null}"#
                    .into(),
            )
        });
        assert!(
            matches!(&answers.instances.state, State::Unavailable(w) if w.starts_with("page 1: the rows lack 18 of Q1's columns (`name`, ")),
            "{:?}",
            answers.instances.state
        );
    }

    #[test]
    fn pages_are_bounded() {
        let (answers, asked) = ask(|token| {
            let n: usize = token.map_or(0, |t| t.parse().unwrap());
            Ok(page_of(&[&format!("r{n}")], Some(&(n + 1).to_string())))
        });
        assert_eq!(asked.len(), MAX_PAGES);
        assert!(
            matches!(&answers.instances.state, State::Unavailable(w) if w.starts_with("more than 1000 pages"))
        );
    }
}
