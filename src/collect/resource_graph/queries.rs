//! The three flat queries of `data/sources/inputs-azure.md` §2.4, as
//! `az graph query` runs them: on one line (`az.cmd` on Windows cuts a
//! multi-line `-q` at its first newline and answers the unfiltered rows),
//! 1,000 rows a page (the most Resource Graph gives), paged by skip token.
//! The columns each one projects are the contract of a saved answer.

use crate::collect::run::CommandLine;

/// One of the three queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Query {
    /// Q1: one row per Azure Local instance, with its update summary.
    Instances,
    /// Q2: one row per update per instance.
    Updates,
    /// Q3: one row per AKS Arc cluster, with its custom location's host.
    Clusters,
}

/// Rows a page: the most `--first` takes.
pub const PAGE_ROWS: usize = 1000;

const Q1: &str = "resources | where type =~ 'microsoft.azurestackhci/clusters' | extend clusterKey = tolower(id) | join kind=leftouter (extensibilityresources | where type =~ 'microsoft.azurestackhci/clusters/updatesummaries' | project clusterKey = tolower(substring(id, 0, indexof(tolower(id), '/updatesummaries/'))), summary = properties) on clusterKey | project id, name, resourceGroup, subscriptionId, location, status = tostring(properties.status), connectivityStatus = tostring(properties.connectivityStatus), lastSyncTimestamp = tostring(properties.lastSyncTimestamp), registrationTimestamp = tostring(properties.registrationTimestamp), clusterVersion = tostring(properties.reportedProperties.clusterVersion), reportedLastUpdated = tostring(properties.reportedProperties.lastUpdated), supportedCapabilities = properties.reportedProperties.supportedCapabilities, nodes = properties.reportedProperties.nodes, currentVersion = tostring(summary.currentVersion), updateState = tostring(summary.state), healthState = tostring(summary.healthState), lastUpdated = tostring(summary.lastUpdated), lastChecked = tostring(summary.lastChecked), packageVersions = summary.packageVersions | order by id asc";

const Q2: &str = "extensibilityresources | where type =~ 'microsoft.azurestackhci/clusters/updates' | extend clusterKey = tolower(substring(id, 0, indexof(tolower(id), '/updates/'))) | project id, clusterKey, name, displayName = tostring(properties.displayName), version = tostring(properties.version), state = tostring(properties.state), packageType = tostring(properties.packageType), publisher = tostring(properties.publisher), availabilityType = tostring(properties.availabilityType), installedDate = tostring(properties.installedDate), healthState = tostring(properties.healthState), releaseLink = tostring(properties.releaseLink), createdAt = tostring(systemData.createdAt) | order by id asc";

const Q3: &str = "resources | where type =~ 'microsoft.kubernetes/connectedclusters' | extend connectedClusterKey = tolower(id) | join kind=inner (extensibilityresources | where type =~ 'microsoft.hybridcontainerservice/provisionedclusterinstances' | project connectedClusterKey = tolower(substring(id, 0, indexof(tolower(id), '/providers/microsoft.hybridcontainerservice/'))), pciId = id, customLocationKey = tolower(trim_end('/', tostring(extendedLocation.name))), pci = properties) on connectedClusterKey | join kind=leftouter (resources | where type =~ 'microsoft.extendedlocation/customlocations' | project customLocationKey = tolower(id), hostResourceId = tolower(tostring(properties.hostResourceId))) on customLocationKey | project id, name, resourceGroup, subscriptionId, kind, pciId, customLocationKey, hostResourceId, kubernetesVersion = tostring(pci.kubernetesVersion), provisioningState = tostring(pci.provisioningState), currentState = tostring(pci.status.currentState), controlPlaneCount = toint(pci.controlPlane.count), agentPoolProfiles = pci.agentPoolProfiles, arcConnectivityStatus = tostring(properties.connectivityStatus), arcLastConnectivityTime = tostring(properties.lastConnectivityTime), arcKubernetesVersion = tostring(properties.kubernetesVersion), arcAgentVersion = tostring(properties.agentVersion), distribution = tostring(properties.distribution) | order by id asc";

impl Query {
    pub const ALL: [Query; 3] = [Query::Instances, Query::Updates, Query::Clusters];

    /// The KQL, on one line.
    pub fn kql(self) -> &'static str {
        match self {
            Query::Instances => Q1,
            Query::Updates => Q2,
            Query::Clusters => Q3,
        }
    }

    /// `Q1`, `Q2`, `Q3`, as `inputs-azure.md` and the documentation call them.
    pub fn label(self) -> &'static str {
        match self {
            Query::Instances => "Q1",
            Query::Updates => "Q2",
            Query::Clusters => "Q3",
        }
    }

    /// The source's name in messages and in the inventory's provenance.
    pub fn source_name(self) -> &'static str {
        match self {
            Query::Instances => "resource-graph-instances",
            Query::Updates => "resource-graph-updates",
            Query::Clusters => "resource-graph-clusters",
        }
    }

    /// What its rows are, in messages.
    pub fn rows(self) -> &'static str {
        match self {
            Query::Instances => "Azure Local instances",
            Query::Updates => "updates",
            Query::Clusters => "AKS Arc clusters",
        }
    }

    /// The columns it projects, in order: every row of its answer has them.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Query::Instances => &[
                "id",
                "name",
                "resourceGroup",
                "subscriptionId",
                "location",
                "status",
                "connectivityStatus",
                "lastSyncTimestamp",
                "registrationTimestamp",
                "clusterVersion",
                "reportedLastUpdated",
                "supportedCapabilities",
                "nodes",
                "currentVersion",
                "updateState",
                "healthState",
                "lastUpdated",
                "lastChecked",
                "packageVersions",
            ],
            Query::Updates => &[
                "id",
                "clusterKey",
                "name",
                "displayName",
                "version",
                "state",
                "packageType",
                "publisher",
                "availabilityType",
                "installedDate",
                "healthState",
                "releaseLink",
                "createdAt",
            ],
            Query::Clusters => &[
                "id",
                "name",
                "resourceGroup",
                "subscriptionId",
                "kind",
                "pciId",
                "customLocationKey",
                "hostResourceId",
                "kubernetesVersion",
                "provisioningState",
                "currentState",
                "controlPlaneCount",
                "agentPoolProfiles",
                "arcConnectivityStatus",
                "arcLastConnectivityTime",
                "arcKubernetesVersion",
                "arcAgentVersion",
                "distribution",
            ],
        }
    }

    /// Its columns that are not among `keys` (matched without case).
    pub fn lacking(self, keys: &[&str]) -> Vec<&'static str> {
        self.columns()
            .iter()
            .filter(|c| !keys.iter().any(|k| k.eq_ignore_ascii_case(c)))
            .copied()
            .collect()
    }

    /// The query whose every column a row has (its keys, matched without
    /// case); otherwise the closest one and the columns it lacks.
    pub fn of_columns(keys: &[&str]) -> Result<Query, (Query, Vec<&'static str>)> {
        let mut closest: Option<(Query, Vec<&'static str>)> = None;
        for query in Query::ALL {
            let missing = query.lacking(keys);
            if missing.is_empty() {
                return Ok(query);
            }
            let share = |m: &[&str], q: Query| m.len() * 100 / q.columns().len().max(1);
            if closest
                .as_ref()
                .is_none_or(|(q, m)| share(&missing, query) < share(m, *q))
            {
                closest = Some((query, missing));
            }
        }
        Err(closest.unwrap_or((Query::Instances, Vec::new())))
    }
}

/// Where the queries look: what `--subscriptions` and `--management-groups`
/// pass through to `az graph query` (neither: every subscription the login
/// sees, at most the first 1,000).
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// The `az` program: `az` (`az.cmd` on Windows), or a path (`--az`).
    pub az: String,
    pub subscriptions: Vec<String>,
    pub management_groups: Vec<String>,
}

impl Scope {
    /// The command for one page: the first, or the one after `skip_token`.
    pub fn command(&self, query: Query, skip_token: Option<&str>) -> CommandLine {
        let first = PAGE_ROWS.to_string();
        let mut command = CommandLine::new(
            &self.az,
            &[
                "graph",
                "query",
                "--graph-query",
                query.kql(),
                "--first",
                &first,
                "--output",
                "json",
            ],
        );
        if !self.subscriptions.is_empty() {
            command = command.arg("--subscriptions");
            for s in &self.subscriptions {
                command = command.arg(s);
            }
        }
        if !self.management_groups.is_empty() {
            command = command.arg("--management-groups");
            for m in &self.management_groups {
                command = command.arg(m);
            }
        }
        if let Some(token) = skip_token {
            command = command.arg("--skip-token").arg(token);
        }
        command
    }

    /// What `--dry-run` prints: each query's first page, then how the next
    /// pages are asked for.
    pub fn dry_run(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for query in Query::ALL {
            lines.push(format!(
                "# {} ({}): one row per {}",
                query.label(),
                query.source_name(),
                match query {
                    Query::Instances => "Azure Local instance",
                    Query::Updates => "update of an instance",
                    Query::Clusters => "AKS Arc cluster",
                }
            ));
            lines.push(self.command(query, None).display());
        }
        lines.push(
            "# then, for each query, while the answer's skip_token is not null, the same command with:"
                .into(),
        );
        lines.push("# --skip-token '<skip_token>'".into());
        lines
    }
}

/// The `az` program when `--az` is not given: Windows runs a batch file
/// only when named with its extension.
pub fn default_az() -> &'static str {
    if cfg!(windows) {
        "az.cmd"
    } else {
        "az"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The queries are those of `data/sources/inputs-azure.md` §2.4, word
    /// for word, put on one line.
    #[test]
    fn the_queries_are_those_of_the_sources_on_one_line() {
        let sources = include_str!("../../../data/sources/inputs-azure.md");
        let blocks: Vec<String> = sources
            .split("```kusto")
            .skip(1)
            .filter_map(|rest| rest.split("```").next())
            .map(one_line)
            .collect();
        assert_eq!(blocks.len(), 3, "three kusto blocks in inputs-azure.md");
        for (query, block) in Query::ALL.iter().zip(&blocks) {
            assert_eq!(one_line(query.kql()), *block, "{}", query.label());
            assert!(!query.kql().contains('\n'));
            assert!(!query.kql().contains("//"));
        }
    }

    /// Whitespace runs as one space, none inside brackets.
    fn one_line(text: &str) -> String {
        text.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace("( ", "(")
            .replace(" )", ")")
    }

    #[test]
    fn each_query_projects_its_columns() {
        for query in Query::ALL {
            let project = query
                .kql()
                .rsplit("| project ")
                .next()
                .unwrap()
                .split(" | order by")
                .next()
                .unwrap();
            let projected: Vec<&str> = split_top_level(project)
                .iter()
                .map(|c| c.split(" = ").next().unwrap().trim())
                .collect();
            assert_eq!(projected, query.columns(), "{}", query.label());
            assert_eq!(Query::of_columns(query.columns()), Ok(query));
        }
    }

    fn split_top_level(text: &str) -> Vec<&str> {
        let mut parts = Vec::new();
        let (mut depth, mut start) = (0i32, 0);
        for (i, c) in text.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(&text[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        parts.push(&text[start..]);
        parts
    }

    #[test]
    fn a_row_is_known_by_its_columns_or_told_what_it_lacks() {
        let mut keys: Vec<&str> = Query::Updates.columns().to_vec();
        keys.push("extra");
        assert_eq!(Query::of_columns(&keys), Ok(Query::Updates));
        let upper: Vec<String> = Query::Clusters
            .columns()
            .iter()
            .map(|c| c.to_uppercase())
            .collect();
        let upper: Vec<&str> = upper.iter().map(String::as_str).collect();
        assert_eq!(Query::of_columns(&upper), Ok(Query::Clusters));
        let partial: Vec<&str> = Query::Instances
            .columns()
            .iter()
            .filter(|c| **c != "lastChecked")
            .copied()
            .collect();
        assert_eq!(
            Query::of_columns(&partial),
            Err((Query::Instances, vec!["lastChecked"]))
        );
    }

    #[test]
    fn the_scope_is_passed_through_and_pages_follow_the_token() {
        let scope = Scope {
            az: "az".into(),
            subscriptions: vec!["s1".into(), "s2".into()],
            management_groups: vec!["mg".into()],
        };
        let args = scope.command(Query::Updates, Some("tok en")).args;
        assert_eq!(
            args.iter().skip(4).map(String::as_str).collect::<Vec<_>>(),
            [
                "--first",
                "1000",
                "--output",
                "json",
                "--subscriptions",
                "s1",
                "s2",
                "--management-groups",
                "mg",
                "--skip-token",
                "tok en"
            ]
        );
        assert_eq!(args[2], "--graph-query");
    }
}
