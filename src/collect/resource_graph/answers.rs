//! The rows of the three queries, gathered page by page (from `az` or from
//! saved files), with where each page came from and what could not be read.

use std::collections::HashSet;

use super::page::{ClusterRow, InstanceRow, Page, Rows, UpdateRow};
use super::queries::Query;
use crate::base::sanitize::clean;
use crate::collect::written::SourceRecord;

/// What came of one query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// Every page was read.
    Read,
    /// A page could not be read, so none of its rows are used: why.
    Unavailable(String),
    /// Not asked (saved files: no file answers it).
    Missing,
}

/// The rows of one query, and what came of it.
#[derive(Debug)]
pub struct Gathered<T> {
    pub rows: Vec<T>,
    pub state: State,
    /// The largest `total_records` a page gave.
    pub total_records: Option<u64>,
    pub pages: usize,
    /// Lower-case ids already taken, so a row seen twice is used once.
    ids: HashSet<String>,
    pub duplicates: usize,
}

impl<T> Default for Gathered<T> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            state: State::Missing,
            total_records: None,
            pages: 0,
            ids: HashSet::new(),
            duplicates: 0,
        }
    }
}

impl<T> Gathered<T> {
    fn add(&mut self, rows: Vec<T>, total: Option<u64>, id: impl Fn(&T) -> Option<&str>) {
        if self.state == State::Missing {
            self.state = State::Read;
        }
        self.pages += 1;
        self.total_records = self.total_records.max(total);
        for row in rows {
            // A row without an id cannot be a duplicate one can tell.
            if let Some(key) = id(&row).map(str::to_ascii_lowercase) {
                if !self.ids.insert(key) {
                    self.duplicates += 1;
                    continue;
                }
            }
            self.rows.push(row);
        }
    }

    pub fn is_read(&self) -> bool {
        self.state == State::Read
    }
}

/// Everything the queries answered.
#[derive(Debug, Default)]
pub struct Answers {
    /// Every page or file read (or not), as the inventory's provenance lists
    /// it: named by the query's source name (`resource-graph-instances`), or
    /// `resource-graph` for a file that answers none of them; a command is
    /// shown with its query named by its label (`--dry-run` prints it); the
    /// status is ok, unavailable or ignored, and the detail always given.
    pub sources: Vec<SourceRecord>,
    pub instances: Gathered<InstanceRow>,
    pub updates: Gathered<UpdateRow>,
    pub clusters: Gathered<ClusterRow>,
    /// Problems of rows left out, and of the answers as a whole (pages
    /// missing, rows seen twice).
    pub problems: Vec<String>,
    /// Files that are not answers, and the like.
    pub notes: Vec<String>,
}

impl Answers {
    /// Adds the rows of a page that was read.
    pub fn add(&mut self, page: Page) {
        self.problems.extend(page.problems);
        let total = page.total_records;
        match page.rows {
            Rows::None => {
                if let Some(query) = page.query {
                    self.mark_read(query);
                }
            }
            Rows::Instances(rows) => self.instances.add(rows, total, |r| r.id.as_deref()),
            Rows::Updates(rows) => self.updates.add(rows, total, |r| r.id.as_deref()),
            Rows::Clusters(rows) => self.clusters.add(rows, total, |r| r.id()),
        }
    }

    /// A query asked and answered without a row.
    fn mark_read(&mut self, query: Query) {
        let state = match query {
            Query::Instances => &mut self.instances.state,
            Query::Updates => &mut self.updates.state,
            Query::Clusters => &mut self.clusters.state,
        };
        if *state == State::Missing {
            *state = State::Read;
        }
    }

    /// A query none of whose rows can be used.
    pub fn unavailable(&mut self, query: Query, why: String) {
        let state = State::Unavailable(why);
        match query {
            Query::Instances => {
                self.instances = Gathered {
                    state,
                    ..Gathered::default()
                }
            }
            Query::Updates => {
                self.updates = Gathered {
                    state,
                    ..Gathered::default()
                }
            }
            Query::Clusters => {
                self.clusters = Gathered {
                    state,
                    ..Gathered::default()
                }
            }
        }
    }

    pub fn state(&self, query: Query) -> &State {
        match query {
            Query::Instances => &self.instances.state,
            Query::Updates => &self.updates.state,
            Query::Clusters => &self.clusters.state,
        }
    }

    /// Says what the pages as a whole lack: rows the envelope counted but
    /// no page held (a page not saved), and rows given twice.
    pub fn check_complete(&mut self) {
        let counts = [
            (
                Query::Instances,
                self.instances.rows.len(),
                self.instances.total_records,
                self.instances.duplicates,
            ),
            (
                Query::Updates,
                self.updates.rows.len(),
                self.updates.total_records,
                self.updates.duplicates,
            ),
            (
                Query::Clusters,
                self.clusters.rows.len(),
                self.clusters.total_records,
                self.clusters.duplicates,
            ),
        ];
        for (query, read, total, duplicates) in counts {
            if let Some(total) = total.filter(|t| *t > read as u64) {
                self.problems.push(format!(
                    "{} ({}): the pages read hold {read} of the {total} rows the query returned (total_records): a page is missing; save every page (each answer's skip_token is the next page's --skip-token)",
                    query.label(),
                    query.source_name()
                ));
            }
            if duplicates > 0 {
                self.problems.push(format!(
                    "{} ({}): {duplicates} row{} given twice (the same id in two pages, or a page saved twice): used once",
                    query.label(),
                    query.source_name(),
                    if duplicates == 1 { "" } else { "s" }
                ));
            }
        }
    }
}

/// The end of a message about a failed page: how to fix what `az` said.
pub fn hint(why: &str) -> String {
    let lower = why.to_ascii_lowercase();
    let hint = if lower.contains("az login")
        || lower.contains("aadsts")
        || lower.contains("expired")
    {
        " (sign in again with `az login`; the account needs read access to the subscriptions queried)"
    } else if lower.contains("extension") || lower.contains("misspelled or not recognized") {
        " (`az graph` needs the resource-graph extension: `az extension add --name resource-graph`)"
    } else if lower.contains("responsepayloadtoolarge") {
        " (narrow the scope with --subscriptions or --management-groups)"
    } else if lower.contains("was not found") {
        " (install the Azure CLI, or give its path with --az)"
    } else {
        ""
    };
    format!("{}{hint}", clean(why))
}
