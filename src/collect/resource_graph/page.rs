//! One page of an `az graph query` answer -> typed rows.
//!
//! The envelope comes in the shapes `data/sources/inputs-azure.md` §2.1
//! gives: the resource-graph extension 2.x's `{"count", "data",
//! "skip_token", "total_records"}`, 1.x's bare array of rows, and the REST
//! API's `{"data", "$skipToken", "totalRecords"}`. Rows are another
//! program's format: keys are matched without case, unknown ones ignored,
//! KQL's `tostring(null)` (an empty string) is absent, and a value that
//! cannot be read is a problem with its place in the file, the field left
//! out (never guessed).

use serde_json::Value;

use super::queries::Query;
use crate::base::dates::parse_day;
use crate::base::sanitize::clean;
use crate::base::version::KubeVersion;
use crate::collect::reader::field;
use crate::input::{self, JsonPath};
use crate::inventory::{
    NodeOs, RawAzureNode, RawClusterAzure, RawNodePool, RawPackageVersion, RawUpdate,
};

/// Problems located (with line and column) in one page; locating scans the
/// text, so those beyond are named by their path only.
const LOCATED_PROBLEMS: usize = 20;

/// A page read.
#[derive(Debug, Default)]
pub struct Page {
    /// Which query it answers: known by its rows' columns, or, for a page
    /// without rows, by what was asked (a live run); `None` otherwise.
    pub query: Option<Query>,
    pub rows: Rows,
    /// The token for the next page; `None` on the last.
    pub skip_token: Option<String>,
    /// How many rows the whole query returned, when the envelope says.
    pub total_records: Option<u64>,
    /// Problems of rows left out (not objects), located.
    pub problems: Vec<String>,
}

/// The rows of a page, typed by the query they answer.
#[derive(Debug, Default)]
pub enum Rows {
    #[default]
    None,
    Instances(Vec<InstanceRow>),
    Updates(Vec<UpdateRow>),
    Clusters(Vec<ClusterRow>),
}

impl Rows {
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn len(&self) -> usize {
        match self {
            Rows::None => 0,
            Rows::Instances(r) => r.len(),
            Rows::Updates(r) => r.len(),
            Rows::Clusters(r) => r.len(),
        }
    }
}

/// Where a row is, for messages: `sites.json: data[3]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowAt {
    pub origin: String,
    pub path: String,
}

impl std::fmt::Display for RowAt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", clean(&self.origin), self.path)
    }
}

/// A Q1 row: one Azure Local instance.
#[derive(Debug, Default)]
pub struct InstanceRow {
    pub at: Option<RowAt>,
    pub id: Option<String>,
    pub name: Option<String>,
    pub resource_group: Option<String>,
    pub subscription_id: Option<String>,
    pub location: Option<String>,
    pub status: Option<String>,
    pub connectivity_status: Option<String>,
    pub last_sync_timestamp: Option<String>,
    pub registration_timestamp: Option<String>,
    pub cluster_version: Option<String>,
    pub reported_last_updated: Option<String>,
    pub supported_capabilities: Option<Vec<String>>,
    pub nodes: Option<Vec<RawAzureNode>>,
    pub current_version: Option<String>,
    pub update_state: Option<String>,
    pub health_state: Option<String>,
    pub last_updated: Option<String>,
    pub last_checked: Option<String>,
    pub package_versions: Option<Vec<RawPackageVersion>>,
    /// Fields left out of this row, located.
    pub problems: Vec<String>,
}

/// A Q2 row: one update of one instance.
#[derive(Debug, Default)]
pub struct UpdateRow {
    pub at: Option<RowAt>,
    pub id: Option<String>,
    /// The instance's id, lower case.
    pub cluster_key: Option<String>,
    pub update: RawUpdate,
    pub problems: Vec<String>,
}

/// A Q3 row: one AKS Arc cluster.
#[derive(Debug, Default)]
pub struct ClusterRow {
    pub at: Option<RowAt>,
    pub name: Option<String>,
    pub kubernetes_version: Option<String>,
    pub node_pools: Option<Vec<RawNodePool>>,
    /// Its `resourceId` is the row's `id`; `resourceBridge` is `hostResourceId`.
    pub azure: RawClusterAzure,
    pub problems: Vec<String>,
}

impl ClusterRow {
    pub fn id(&self) -> Option<&str> {
        self.azure.resource_id.as_deref()
    }
}

/// Reads one page. `asked` is the query a live run asked: its rows must
/// have that query's columns. A saved page is known by its rows' columns.
pub fn read(origin: &str, text: &str, asked: Option<Query>) -> Result<Page, String> {
    if text
        .trim_start_matches(['\u{FEFF}', ' ', '\t', '\r', '\n'])
        .is_empty()
    {
        return Err("empty: expected an `az graph query` answer".into());
    }
    let document = input::parse_json::<input::strict::StrictValue>(origin, text)
        .map_err(|e| e.to_string().replace('\n', " / "))?
        .0;
    let Envelope {
        at: rows_at,
        rows,
        skip_token,
        total_records,
    } = envelope(&document)?;
    let mut page = Page {
        query: asked,
        skip_token,
        total_records,
        ..Page::default()
    };
    if rows.is_empty() {
        return Ok(page);
    }
    let Some(first) = rows.iter().find(|r| r.is_object()) else {
        return Err(format!(
            "`{rows_at}` holds no rows (objects): not an `az graph query` answer"
        ));
    };
    let keys: Vec<&str> = first
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let query = query_of(&keys, asked)?;
    page.query = Some(query);
    let mut r = RowReader {
        problems: Vec::new(),
    };
    // Each kept row's index in `rows`, for its problems.
    let mut kept: Vec<Option<usize>> = Vec::with_capacity(rows.len());
    let mut objects = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let at = rows_at.index(i);
        kept.push(r.object(i, &at, row).map(|row| {
            objects.push((i, row));
            objects.len() - 1
        }));
    }
    let row_at = |i: usize| RowAt {
        origin: origin.to_string(),
        path: rows_at.index(i).to_string(),
    };
    page.rows = match query {
        Query::Instances => Rows::Instances(
            objects
                .into_iter()
                .map(|(i, row)| r.instance(i, row, row_at(i)))
                .collect(),
        ),
        Query::Updates => Rows::Updates(
            objects
                .into_iter()
                .map(|(i, row)| r.update(i, row, row_at(i)))
                .collect(),
        ),
        Query::Clusters => Rows::Clusters(
            objects
                .into_iter()
                .map(|(i, row)| r.cluster(i, row, row_at(i)))
                .collect(),
        ),
    };
    r.attach(origin, text, &kept, &mut page);
    Ok(page)
}

/// The query whose rows have these columns: the one asked, on a live run; on
/// a saved page, the one they match (or, when none does, what the closest
/// one lacks).
fn query_of(keys: &[&str], asked: Option<Query>) -> Result<Query, String> {
    match (Query::of_columns(keys), asked) {
        (Ok(found), Some(asked)) if found != asked => Err(format!(
            "the rows are {}'s ({}), not {}'s (was the query changed?)",
            found.label(),
            found.rows(),
            asked.label()
        )),
        (Ok(found), _) => Ok(found),
        (Err((closest, lacking)), asked) => {
            let (query, lacking) = match asked {
                Some(asked) => (asked, asked.lacking(keys)),
                None => (closest, lacking),
            };
            let lacking = format!(
                "{} of {}'s columns ({})",
                lacking.len(),
                query.label(),
                lacking
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            Err(match asked {
                Some(_) => format!("the rows lack {lacking}"),
                None => format!("not an answer of the queries akspol runs: its rows lack {lacking}: save the answer of the query `akspol collect --resource-graph --dry-run` prints, as az prints it"),
            })
        }
    }
}

/// The rows of an answer and where they are, the next page's token and the
/// query's total.
struct Envelope<'v> {
    at: JsonPath,
    rows: &'v [Value],
    skip_token: Option<String>,
    total_records: Option<u64>,
}

fn envelope(document: &Value) -> Result<Envelope<'_>, String> {
    match document {
        Value::Array(rows) => Ok(Envelope {
            at: JsonPath::root(),
            rows,
            skip_token: None,
            total_records: None,
        }),
        Value::Object(_) => {
            if let Some((key, rows)) = field(document, "data") {
                let Value::Array(rows) = rows else {
                    return Err(format!(
                        "`{}` is not a list of rows (save the answer with `--output json`)",
                        clean(key)
                    ));
                };
                let token = ["skip_token", "skipToken", "$skipToken"]
                    .iter()
                    .find_map(|k| field(document, k))
                    .and_then(|(_, v)| v.as_str())
                    .filter(|t| !t.is_empty())
                    .map(str::to_string);
                let total = ["total_records", "totalRecords"]
                    .iter()
                    .find_map(|k| field(document, k))
                    .and_then(|(_, v)| v.as_u64());
                return Ok(Envelope {
                    at: JsonPath::root().key(key),
                    rows,
                    skip_token: token,
                    total_records: total,
                });
            }
            if let Some((_, error)) = field(document, "error") {
                let part = |k: &str| {
                    field(error, k)
                        .and_then(|(_, v)| v.as_str())
                        .map(|s| clean(s).into_owned())
                };
                let said = [part("code"), part("message")]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(": ");
                return Err(format!(
                    "Resource Graph answered with an error: {}",
                    if said.is_empty() {
                        "(no message)".into()
                    } else {
                        said
                    }
                ));
            }
            Err("not an `az graph query` answer: expected an object with `data` (count, data, skip_token, total_records) or a list of rows".into())
        }
        _ => Err(
            "not an `az graph query` answer: expected an object with `data` or a list of rows"
                .into(),
        ),
    }
}

/// Reads rows, collecting each problem with the row it belongs to.
struct RowReader {
    problems: Vec<(usize, JsonPath, String)>,
}

impl RowReader {
    fn problem(&mut self, row: usize, at: JsonPath, message: impl Into<String>) {
        self.problems.push((row, at, message.into()));
    }

    fn object<'v>(&mut self, row: usize, at: &JsonPath, value: &'v Value) -> Option<Row<'v>> {
        if value.is_object() {
            Some(Row {
                at: at.clone(),
                value,
            })
        } else {
            self.problem(row, at.clone(), "expected a row (an object); left out");
            None
        }
    }

    /// A text column: a string (empty is absent: KQL's `tostring` of
    /// nothing), a number or a boolean; anything else is a problem.
    fn text(&mut self, row: usize, of: &Row, key: &str) -> Option<String> {
        let (found, value) = field(of.value, key)?;
        match value {
            Value::Null => None,
            Value::String(s) if s.trim().is_empty() => None,
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => {
                self.problem(row, of.at.key(found), "expected a text value; left out");
                None
            }
        }
    }

    /// A date column, checked as the inventory reads it.
    fn date(&mut self, row: usize, of: &Row, key: &str) -> Option<String> {
        let text = self.text(row, of, key)?;
        match parse_day(&text) {
            Ok(_) => Some(text),
            Err(why) => {
                let at = of.at.key(field(of.value, key).map_or(key, |f| f.0));
                self.problem(row, at, format!("{why}; left out"));
                None
            }
        }
    }

    fn kube(&mut self, row: usize, of: &Row, key: &str) -> Option<String> {
        let text = self.text(row, of, key)?;
        match KubeVersion::parse(text.trim()) {
            Ok(_) => Some(text.trim().to_string()),
            Err(why) => {
                let at = of.at.key(field(of.value, key).map_or(key, |f| f.0));
                self.problem(row, at, format!("{why}; left out"));
                None
            }
        }
    }

    fn count(&mut self, row: usize, of: &Row, key: &str) -> Option<u64> {
        let (found, value) = field(of.value, key)?;
        match value {
            Value::Null => None,
            Value::Number(n) if n.as_u64().is_some() => n.as_u64(),
            Value::String(s) if s.trim().is_empty() => None,
            Value::String(s) if s.trim().parse::<u64>().is_ok() => s.trim().parse().ok(),
            _ => {
                self.problem(row, of.at.key(found), "expected a whole number; left out");
                None
            }
        }
    }

    /// The objects of a list column; `None` when absent or null.
    fn list<'v>(&mut self, row: usize, of: &Row<'v>, key: &str) -> Option<Vec<Row<'v>>> {
        let (found, value) = field(of.value, key)?;
        let at = of.at.key(found);
        match value {
            Value::Null => None,
            Value::String(s) if s.trim().is_empty() => None,
            Value::Array(items) => Some(
                items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| self.object(row, &at.index(i), item))
                    .collect(),
            ),
            _ => {
                self.problem(row, at, "expected a list; left out");
                None
            }
        }
    }

    fn strings(&mut self, row: usize, of: &Row, key: &str) -> Option<Vec<String>> {
        let (found, value) = field(of.value, key)?;
        let at = of.at.key(found);
        match value {
            Value::Null => None,
            Value::String(s) if s.trim().is_empty() => None,
            Value::Array(items) => Some(
                items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| match item {
                        Value::String(s) => Some(s.clone()),
                        _ => {
                            self.problem(row, at.index(i), "expected a text value; left out");
                            None
                        }
                    })
                    .collect(),
            ),
            _ => {
                self.problem(row, at, "expected a list of text values; left out");
                None
            }
        }
    }

    /// A name an item of a list must have; without one it is left out.
    fn named(&mut self, row: usize, of: &Row, what: &str) -> Option<String> {
        let name = self.text(row, of, "name");
        if name.is_none() {
            self.problem(
                row,
                of.at.clone(),
                format!("{what} without a name; left out"),
            );
        }
        name
    }

    fn instance(&mut self, i: usize, row: Row, at: RowAt) -> InstanceRow {
        let nodes = self.list(i, &row, "nodes").map(|nodes| {
            nodes
                .iter()
                .filter_map(|n| {
                    Some(RawAzureNode {
                        name: self.named(i, n, "a node")?,
                        os_name: self.text(i, n, "osName"),
                        os_version: self.text(i, n, "osVersion"),
                        os_display_version: self.text(i, n, "osDisplayVersion"),
                    })
                })
                .collect()
        });
        let package_versions = self.list(i, &row, "packageVersions").map(|list| {
            list.iter()
                .map(|p| RawPackageVersion {
                    package_type: self.text(i, p, "packageType"),
                    version: self.text(i, p, "version"),
                    last_updated: self.date(i, p, "lastUpdated"),
                })
                .collect()
        });
        InstanceRow {
            id: self.text(i, &row, "id"),
            name: self.text(i, &row, "name"),
            resource_group: self.text(i, &row, "resourceGroup"),
            subscription_id: self.text(i, &row, "subscriptionId"),
            location: self.text(i, &row, "location"),
            status: self.text(i, &row, "status"),
            connectivity_status: self.text(i, &row, "connectivityStatus"),
            last_sync_timestamp: self.date(i, &row, "lastSyncTimestamp"),
            registration_timestamp: self.date(i, &row, "registrationTimestamp"),
            cluster_version: self.text(i, &row, "clusterVersion"),
            reported_last_updated: self.date(i, &row, "reportedLastUpdated"),
            supported_capabilities: self.strings(i, &row, "supportedCapabilities"),
            nodes,
            current_version: self.text(i, &row, "currentVersion"),
            update_state: self.text(i, &row, "updateState"),
            health_state: self.text(i, &row, "healthState"),
            last_updated: self.date(i, &row, "lastUpdated"),
            last_checked: self.date(i, &row, "lastChecked"),
            package_versions,
            at: Some(at),
            problems: Vec::new(),
        }
    }

    fn update(&mut self, i: usize, row: Row, at: RowAt) -> UpdateRow {
        let id = self.text(i, &row, "id");
        // The update's name is the id's last segment when the column is empty.
        let name = self.text(i, &row, "name").or_else(|| {
            id.as_deref()
                .and_then(|id| id.rsplit('/').next())
                .filter(|n| !n.is_empty())
                .map(str::to_string)
        });
        if name.is_none() {
            self.problem(
                i,
                row.at.clone(),
                "an update without a name or an id; left out",
            );
        }
        UpdateRow {
            cluster_key: self
                .text(i, &row, "clusterKey")
                .or_else(|| {
                    let id = id.as_deref()?;
                    let lower = id.to_ascii_lowercase();
                    let end = lower.find("/updates/")?;
                    lower.get(..end).map(str::to_string)
                })
                .map(|k| k.to_ascii_lowercase()),
            update: RawUpdate {
                name: name.unwrap_or_default(),
                display_name: self.text(i, &row, "displayName"),
                version: self.text(i, &row, "version"),
                state: self.text(i, &row, "state"),
                package_type: self.text(i, &row, "packageType"),
                publisher: self.text(i, &row, "publisher"),
                availability_type: self.text(i, &row, "availabilityType"),
                installed_date: self.date(i, &row, "installedDate"),
                health_state: self.text(i, &row, "healthState"),
                release_link: self.text(i, &row, "releaseLink"),
                created_at: self.date(i, &row, "createdAt"),
            },
            id,
            at: Some(at),
            problems: Vec::new(),
        }
    }

    fn cluster(&mut self, i: usize, row: Row, at: RowAt) -> ClusterRow {
        let node_pools = self.list(i, &row, "agentPoolProfiles").map(|pools| {
            let mut seen = std::collections::HashSet::new();
            pools
                .iter()
                .filter_map(|p| {
                    let name = self.named(i, p, "a node pool")?;
                    if !seen.insert(name.clone()) {
                        self.problem(
                            i,
                            p.at.key("name"),
                            format!("a second node pool named `{}`; left out", clean(&name)),
                        );
                        return None;
                    }
                    Some(RawNodePool {
                        count: self.count(i, p, "count"),
                        os_type: self.os_type(i, p),
                        // ARM spells it osSKU, az aksarc osSku: keys match without case.
                        os_sku: self.text(i, p, "osSKU"),
                        kubernetes_version: self.kube(i, p, "kubernetesVersion"),
                        vm_size: self.text(i, p, "vmSize"),
                        name,
                    })
                })
                .collect()
        });
        ClusterRow {
            name: self.text(i, &row, "name"),
            kubernetes_version: self.kube(i, &row, "kubernetesVersion"),
            node_pools,
            azure: RawClusterAzure {
                resource_id: self.text(i, &row, "id"),
                kind: self.text(i, &row, "kind"),
                provisioning_state: self.text(i, &row, "provisioningState"),
                current_state: self.text(i, &row, "currentState"),
                control_plane_count: self.count(i, &row, "controlPlaneCount"),
                connectivity_status: self.text(i, &row, "arcConnectivityStatus"),
                last_connectivity_time: self.date(i, &row, "arcLastConnectivityTime"),
                agent_kubernetes_version: self.kube(i, &row, "arcKubernetesVersion"),
                agent_version: self.text(i, &row, "arcAgentVersion"),
                distribution: self.text(i, &row, "distribution"),
                custom_location: self.text(i, &row, "customLocationKey"),
                resource_bridge: self.text(i, &row, "hostResourceId"),
            },
            at: Some(at),
            problems: Vec::new(),
        }
    }

    fn os_type(&mut self, i: usize, pool: &Row) -> Option<NodeOs> {
        let text = self.text(i, pool, "osType")?;
        match text.to_ascii_lowercase().as_str() {
            "linux" => Some(NodeOs::Linux),
            "windows" => Some(NodeOs::Windows),
            _ => {
                let at = pool
                    .at
                    .key(field(pool.value, "osType").map_or("osType", |f| f.0));
                self.problem(
                    i,
                    at,
                    format!("`{}`: expected Linux or Windows; left out", clean(&text)),
                );
                None
            }
        }
    }

    /// Gives each row its problems, located in `text`; those of rows left
    /// out go to the page.
    fn attach(self, origin: &str, text: &str, kept: &[Option<usize>], page: &mut Page) {
        for (n, (row, at, message)) in self.problems.into_iter().enumerate() {
            let place = if n < LOCATED_PROBLEMS {
                input::locate(text, &at.0)
                    .map(|(line, column)| format!("{}:{line}:{column}", clean(origin)))
            } else {
                None
            };
            let line = format!(
                "{}: {at}: {}",
                place.unwrap_or_else(|| clean(origin).into_owned()),
                clean(&message)
            );
            let position = kept.get(row).copied().flatten();
            let problems = match (&mut page.rows, position) {
                (_, None) | (Rows::None, _) => None,
                (Rows::Instances(r), Some(p)) => r.get_mut(p).map(|r| &mut r.problems),
                (Rows::Updates(r), Some(p)) => r.get_mut(p).map(|r| &mut r.problems),
                (Rows::Clusters(r), Some(p)) => r.get_mut(p).map(|r| &mut r.problems),
            };
            problems.unwrap_or(&mut page.problems).push(line);
        }
    }
}

/// A row, or an item of a row's list, and where it is.
struct Row<'v> {
    at: JsonPath,
    value: &'v Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    const Q3_ROW: &str = r#"{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/k", "name": "k", "resourceGroup": "rg", "subscriptionId": "s", "kind": "ProvisionedCluster", "pciId": "", "customLocationKey": "cl", "hostResourceId": "", "kubernetesVersion": "v1.30.4", "provisioningState": "Succeeded", "currentState": "Succeeded", "controlPlaneCount": 1,
        "agentPoolProfiles": [{"name": "p1", "count": "2", "osType": "linux", "osSKU": "CBLMariner"}, {"name": "p2", "osSku": "Windows2022", "osType": "Plan9"}, {"count": 1}, {"name": "p1"}],
        "arcConnectivityStatus": "Connected", "arcLastConnectivityTime": "2026-02-30T00:00:00Z", "arcKubernetesVersion": "", "arcAgentVersion": 1.24, "distribution": "AKS"}"#;

    fn clusters(page: Page) -> Vec<ClusterRow> {
        match page.rows {
            Rows::Clusters(rows) => rows,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_three_envelopes_give_the_same_rows() {
        for (text, token, total) in [
            (
                format!(
                    r#"{{"count": 1, "data": [{Q3_ROW}], "skip_token": "abc", "total_records": 7}}"#
                ),
                Some("abc"),
                Some(7),
            ),
            (format!("[{Q3_ROW}]"), None, None),
            (
                format!(
                    r#"{{"totalRecords": 7, "count": 1, "resultTruncated": "false", "facets": [], "$skipToken": "abc", "data": [{Q3_ROW}]}}"#
                ),
                Some("abc"),
                Some(7),
            ),
        ] {
            let page = read("p.json", &text, None).unwrap();
            assert_eq!(page.query, Some(Query::Clusters));
            assert_eq!(page.skip_token.as_deref(), token);
            assert_eq!(page.total_records, total);
            assert_eq!(clusters(page).len(), 1);
        }
        // The last page's token is null, or empty.
        let last =
            format!(r#"{{"count": 1, "data": [{Q3_ROW}], "skip_token": "", "total_records": 1}}"#);
        assert_eq!(read("p.json", &last, None).unwrap().skip_token, None);
    }

    #[test]
    fn values_are_read_leniently_and_what_cannot_be_read_is_left_out_and_located() {
        let text = format!("[{Q3_ROW}]");
        let row = clusters(read("p.json", &text, None).unwrap()).remove(0);
        // KQL's tostring(null) is an empty string: absent.
        assert_eq!(row.azure.resource_bridge, None);
        assert_eq!(row.azure.agent_kubernetes_version, None);
        assert_eq!(row.kubernetes_version.as_deref(), Some("v1.30.4"));
        assert_eq!(row.azure.agent_version.as_deref(), Some("1.24"));
        let pools = row.node_pools.unwrap();
        assert_eq!(pools.len(), 2);
        assert_eq!(
            (pools[0].count, pools[0].os_type, pools[0].os_sku.as_deref()),
            (Some(2), Some(NodeOs::Linux), Some("CBLMariner"))
        );
        // osSKU (ARM) and osSku (az aksarc) are one key.
        assert_eq!(pools[1].os_sku.as_deref(), Some("Windows2022"));
        assert_eq!(pools[1].os_type, None);
        assert_eq!(row.azure.last_connectivity_time, None);
        let problems = row.problems.join("\n");
        assert!(problems.contains("p.json:2:142: [0].agentPoolProfiles[1].osType: `Plan9`: expected Linux or Windows; left out"), "{problems}");
        assert!(
            problems.contains("[0].agentPoolProfiles[2]: a node pool without a name; left out"),
            "{problems}"
        );
        assert!(
            problems
                .contains("[0].agentPoolProfiles[3].name: a second node pool named `p1`; left out"),
            "{problems}"
        );
        assert!(
            problems.contains("[0].arcLastConnectivityTime: `2026-02-30T00:00:00Z` is not a date"),
            "{problems}"
        );
    }

    /// Every answer of the examples cut off every few bytes, and with bytes
    /// changed: never a panic, and an answer or a reason.
    #[test]
    fn truncated_and_damaged_answers_never_panic() {
        for name in [
            "arg-azure-local-sites.json",
            "arg-azure-local-updates.json",
            "arg-aksarc-clusters.json",
        ] {
            let path = format!(
                "{}/fixtures/collect/resource-graph/{name}",
                env!("CARGO_MANIFEST_DIR")
            );
            let text = std::fs::read_to_string(path).unwrap();
            for cut in (0..text.len()).step_by(13) {
                let Some(head) = text.get(..cut) else {
                    continue;
                };
                if let Err(why) = read(name, head, None) {
                    assert!(!why.is_empty());
                }
            }
            for at in (0..text.len()).step_by(29) {
                let mut bytes = text.clone().into_bytes();
                for (i, damage) in [b'"', b'{', b'1', b'\\', b' ', b']'].iter().enumerate() {
                    if let Some(b) = bytes.get_mut(at + i * 3) {
                        *b = *damage;
                    }
                }
                if let Ok(damaged) = String::from_utf8(bytes) {
                    let _ = read(name, &damaged, None);
                }
            }
        }
    }

    #[test]
    fn what_is_not_an_answer_says_why() {
        let error = |text: &str| read("p.json", text, None).unwrap_err();
        assert_eq!(error(" \n"), "empty: expected an `az graph query` answer");
        assert!(error(r#"{"count": 1, "data": [{"id": "x""#).starts_with("p.json:1:"));
        assert_eq!(
            error(r#"{"error": {"code": "BadRequest", "message": "Query is invalid"}}"#),
            "Resource Graph answered with an error: BadRequest: Query is invalid"
        );
        assert!(error(r#"{"value": []}"#).starts_with("not an `az graph query` answer"));
        assert!(error(r#"[{"id": "x", "name": "y"}]"#).contains("its rows lack"));
        // A row that is not an object is left out, and said.
        let page = read("p.json", &format!("[{Q3_ROW}, 3]"), None).unwrap();
        assert_eq!(page.rows.len(), 1);
        assert_eq!(
            page.problems,
            ["p.json:3:175: [1]: expected a row (an object); left out"]
        );
        // Without rows, a saved page answers no query one can tell.
        let empty = read(
            "p.json",
            r#"{"count": 0, "data": [], "skip_token": null, "total_records": 0}"#,
            None,
        )
        .unwrap();
        assert_eq!((empty.query, empty.rows.len()), (None, 0));
    }
}
