//! Inventories: one JSON document per AKS hybrid deployment
//! (`docs/spec/inventory.md`). Read in two phases, as cargo-deny reads its
//! config: serde into raw types, then [`resolve`] checks every value and
//! collects every problem, each with its JSON path, line and column.

mod azure;
mod hints;
mod labels;
mod listed_nodes;
mod model;
mod nodelist;
mod pools;
mod raw;
mod resolve;

pub use labels::LabelMap;
pub use model::*;
pub use pools::{labelled_pool, pool_in_label, NODE_POOL_LABEL};

/// The label the kubelet on Windows sets to its OS build (`10.0.17763`).
pub const WINDOWS_BUILD_LABEL: &str = "node.kubernetes.io/windows-build";
/// What `akspol collect --resource-graph` writes, as the inventory's own types.
pub use raw::{
    RawAzureNode, RawClusterAzure, RawDeploymentAzure, RawNodePool, RawNotCollected,
    RawPackageVersion, RawUpdate, RawUpdateSummary,
};

use crate::input::{self, InputError, Problem};

/// The inventory format version this akspol reads.
pub const SCHEMA_VERSION: i64 = 1;

#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Report unknown keys as warnings instead of errors.
    pub allow_unknown_fields: bool,
}

/// A parsed inventory, and the warnings its reading produced.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub inventory: Inventory,
    pub warnings: Vec<String>,
}

/// Parses and validates one inventory. `origin` names it in messages.
pub fn load(origin: &str, text: &str, options: LoadOptions) -> Result<Loaded, InputError> {
    let mut unknown = Vec::new();
    let raw: raw::RawInventory = match fast_parse(text) {
        Some(raw) => raw,
        None => {
            match input::parse_json_collecting_unknown(origin, text, &mut |path| unknown.push(path))
            {
                Ok(raw) => raw,
                Err(error) => {
                    return Err(not_collected_error(origin, text)
                        .or_else(|| resource_graph_answer_error(origin, text))
                        .or_else(|| prefer_schema_version_error(origin, text))
                        .unwrap_or_else(|| name_misspelt_keys(error, text)))
                }
            }
        }
    };
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let hints = (!unknown.is_empty()).then(|| hints::KeyHints::new(text));
    let ignored = unknown.len();
    for path in unknown {
        let message = format!("unknown field `{}`", unknown_key(&path));
        let meant = hints.as_ref().and_then(|h| h.meant(&path));
        if options.allow_unknown_fields {
            // Each warning locates its key by scanning the text: a bounded number.
            if warnings.len() == input::MAX_SHOWN_PROBLEMS {
                warnings.push(format!(
                    "{origin}: and {} more unknown fields (ignored), not shown",
                    ignored - input::MAX_SHOWN_PROBLEMS
                ));
                break;
            }
            let (line, column) = input::locate(text, &path.0).unwrap_or((1, 1));
            let meant = meant
                .map(|m| format!("; did you mean `{m}`?"))
                .unwrap_or_default();
            warnings.push(format!(
                "{origin}:{line}:{column}: {path}: {message} (ignored{meant})"
            ));
        } else {
            let typo = match meant {
                Some(m) => format!(
                    ": did you mean `{m}`, which is missing? (--allow-unknown-fields ignores it)"
                ),
                None => " (a typo? --allow-unknown-fields ignores it)".to_string(),
            };
            problems.push(Problem::at(
                path,
                format!("{message}: not in inventory schema version {SCHEMA_VERSION}{typo}"),
            ));
        }
    }
    let inventory = resolve::resolve(origin, raw, &mut problems);
    match inventory {
        Some(inventory) if problems.is_empty() => Ok(Loaded {
            inventory,
            warnings,
        }),
        _ => Err(InputError::invalid(origin, text, problems)),
    }
}

/// The fast path for a clean document: plain serde (no path tracking), in
/// one pass that also notes whether serde skipped a value (the value of a
/// key the raw types do not declare). Anything else (an error, an unknown
/// key) returns `None` for the slow path to explain.
fn fast_parse(text: &str) -> Option<raw::RawInventory> {
    use serde::Deserialize;
    let skipped = std::cell::Cell::new(false);
    let mut json = serde_json::Deserializer::from_str(text);
    // The same strictness as the slow path: objects only where objects belong.
    let raw = raw::RawInventory::deserialize(crate::input::strict::ObjectsOnly::noting_skips(
        &mut json, &skipped,
    ))
    .ok()?;
    json.end().ok()?;
    (!skipped.get()).then_some(raw)
}

/// "missing field `kubernetesVersion`" next to a `KubernetesVersion` the
/// schema does not know (as PowerShell spells object properties): say so.
fn name_misspelt_keys(error: InputError, text: &str) -> InputError {
    let InputError::Invalid {
        origin,
        problems,
        omitted,
    } = error
    else {
        return error;
    };
    let hints = hints::KeyHints::new(text);
    let problems = problems
        .into_iter()
        .map(|mut problem| {
            let missing = problem
                .message
                .strip_prefix("missing field `")
                .and_then(|rest| rest.strip_suffix('`'));
            if let Some(key) = missing.and_then(|m| hints.misspelt(&problem.path, m)) {
                problem.message.push_str(&format!(
                    " (the inventory has `{}` here: a misspelling of it?)",
                    crate::base::sanitize::clean(&key)
                ));
            }
            problem
        })
        .collect();
    InputError::Invalid {
        origin,
        problems,
        omitted,
    }
}

fn unknown_key(path: &input::JsonPath) -> String {
    match path.0.last() {
        Some(input::Seg::Key(k)) => crate::base::sanitize::clean(k).into_owned(),
        _ => path.to_string(),
    }
}

/// An inventory of another schema version fails to parse for reasons that are
/// noise; say the one that matters.
fn prefer_schema_version_error(origin: &str, text: &str) -> Option<InputError> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct VersionOnly {
        schema_version: Option<serde_json::Value>,
    }
    let mut json = serde_json::Deserializer::from_str(text);
    let version = <VersionOnly as serde::Deserialize>::deserialize(
        crate::input::strict::ObjectsOnly::new(&mut json),
    )
    .ok()?
    .schema_version?;
    if version.as_i64() == Some(SCHEMA_VERSION) {
        return None;
    }
    Some(InputError::invalid(
        origin,
        text,
        vec![Problem::new(
            "schemaVersion",
            schema_version_message(&version.to_string()),
        )],
    ))
}

/// A line `akspol collect --resource-graph` wrote for what it could not
/// make an inventory of (an Azure Local instance it could not read, an AKS
/// Arc cluster it could not place): reported as such, with its reason.
fn not_collected_error(origin: &str, text: &str) -> Option<InputError> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Record {
        not_collected: Option<raw::RawNotCollected>,
    }
    let mut json = serde_json::Deserializer::from_str(text);
    let record = <Record as serde::Deserialize>::deserialize(
        crate::input::strict::ObjectsOnly::new(&mut json),
    )
    .ok()?
    .not_collected?;
    let what = match record.kind {
        NotCollectedKind::AzureLocalInstance => "the Azure Local instance",
        NotCollectedKind::AksArcCluster => "the AKS Arc cluster",
    };
    let id = record
        .resource_id
        .or(record.name)
        .unwrap_or_else(|| "(no id)".to_string());
    Some(InputError::file(
        origin,
        format!(
            "not an inventory: akspol collect could not make one for {what} {id}: {}",
            record.why
        ),
    ))
}

/// What `az graph query` prints (`{"count", "data", "skip_token",
/// "total_records"}`) given where an inventory was expected.
fn resource_graph_answer_error(origin: &str, text: &str) -> Option<InputError> {
    #[derive(serde::Deserialize)]
    struct Envelope {
        data: Option<Vec<serde::de::IgnoredAny>>,
        skip_token: Option<serde::de::IgnoredAny>,
        total_records: Option<serde::de::IgnoredAny>,
    }
    let mut json = serde_json::Deserializer::from_str(text);
    let envelope = <Envelope as serde::Deserialize>::deserialize(
        crate::input::strict::ObjectsOnly::new(&mut json),
    )
    .ok()?;
    (envelope.data.is_some() && (envelope.skip_token.is_some() || envelope.total_records.is_some()))
        .then(|| {
            InputError::file(
                origin,
                "an `az graph query` answer, not an inventory: `akspol collect --resource-graph --from DIR` makes inventories of a directory of them (pipe it to `akspol check -`)",
            )
        })
}

fn schema_version_message(found: &str) -> String {
    format!("unsupported schemaVersion {found}: this akspol reads schemaVersion {SCHEMA_VERSION}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str =
        r#"{"schemaVersion": 1, "deployment": {"name": "d", "version": "1.0.24.11029"}}"#;

    fn errors(text: &str) -> String {
        load("inv.json", text, LoadOptions::default())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn minimal_inventory_loads() {
        let loaded = load("inv.json", MINIMAL, LoadOptions::default()).unwrap();
        assert_eq!(loaded.inventory.deployment.name, "d");
        assert!(loaded.inventory.clusters.is_none());
    }

    #[test]
    fn clean_documents_take_the_fast_path() {
        // This fixture uses most keys: none is taken for unknown.
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/examples/contoso.json"
        ))
        .unwrap();
        assert!(fast_parse(&text).is_some());
        // An unknown key is never accepted by the fast path.
        let unknown = text.replacen("\"cni\"", "\"cnii\"", 1);
        assert!(fast_parse(&unknown).is_none());
        let nested = text.replacen("\"labels\": {", "\"labels\": {\"x\": \"y\", \"z\": {}, ", 1);
        assert!(fast_parse(&nested).is_none());
        let deep = text.replacen("\"cni\"", "\"extra\": {\"a\": [1, {\"b\": 2}]}, \"cni\"", 1);
        assert!(fast_parse(&deep).is_none());
        // What kubectl prints beside the fields akspol reads is not unknown,
        // and a `null` is a value like any other.
        let listed = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/nodelist/kubectl.json"
        ))
        .unwrap();
        assert!(fast_parse(&listed).is_some());
        assert!(fast_parse(&text.replacen("\"cni\": \"calico\"", "\"cni\": null", 1)).is_some());
    }

    #[test]
    fn unknown_fields_are_errors_unless_allowed() {
        let text = r#"{"schemaVersion": 1, "deployment": {"name": "d", "version": "1.0.24.11029", "verison": 1}}"#;
        assert!(
            errors(text).contains("inv.json:1:77: deployment.verison: unknown field `verison`"),
            "{}",
            errors(text)
        );
        let loaded = load(
            "inv.json",
            text,
            LoadOptions {
                allow_unknown_fields: true,
            },
        )
        .unwrap();
        assert_eq!(loaded.warnings.len(), 1);
    }

    #[test]
    fn problems_name_line_column_and_path() {
        let text = "{\"schemaVersion\": 1,\n \"deployment\": {\"name\": \"d\", \"version\": \"1.0.24\"},\n \"clusters\": [{\"name\": \"c\", \"kubernetesVersion\": \"1.28.5\", \"state\": \"Stopped\"}]}";
        let message = errors(text);
        assert!(
            message.contains("inv.json:2:30: deployment.version: `1.0.24` has 3 fields"),
            "{message}"
        );
        assert!(
            message.contains("inv.json:3:15: clusters[0].stoppedSince: missing"),
            "{message}"
        );
    }

    #[test]
    fn wrong_types_and_enum_values_name_the_path() {
        let message = errors(
            r#"{"schemaVersion": 1, "deployment": {"name": "d", "version": "1.0.24.11029"}, "clusters": [{"name": "c", "kubernetesVersion": "1.28.5", "nodes": [{"name": "n", "powerState": "On"}]}]}"#,
        );
        assert!(
            message.contains("clusters[0].nodes[0].powerState: unknown variant `On`"),
            "{message}"
        );
    }

    #[test]
    fn other_schema_versions_are_named() {
        let message = errors(
            r#"{"schemaVersion": 2, "deployment": {"name": "d", "version": "1.0.24.11029", "new": true}}"#,
        );
        assert!(message.contains("unsupported schemaVersion 2"), "{message}");
    }

    const AZURE: &str = r#"{"schemaVersion": 1, "deployment": {"name": "site-b", "product": "aks-arc", "version": "12.2604.1003.1006",
        "azure": {"resourceId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.AzureStackHCI/clusters/site-b",
            "status": "NotConnectedRecently", "lastSyncTimestamp": "2026-07-30T06:12:44.1234567Z", "clusterVersion": "10.0.26100",
            "nodes": [{"name": "NODE1", "osVersion": "10.0.26100.32690", "osDisplayVersion": "24H2"}],
            "updateSummary": {"state": "UpdateAvailable", "lastChecked": "2026-07-30T05:58:00Z", "lastUpdated": "2026-05-20T03:02:10Z",
                "packageVersions": [{"packageType": "SBE", "version": "4.2.2604.1", "lastUpdated": "2026-05-20T03:02:10Z"}]},
            "updates": [{"name": "Solution12.2607.1003.73", "version": "12.2607.1003.73", "state": "Ready", "createdAt": "2026-07-19T02:02:02Z"}]}},
        "clusters": [{"name": "aks-edge", "kubernetesVersion": "1.30.4",
            "nodePools": [{"name": "nodepool1", "count": 3, "osType": "Linux", "osSku": "CBLMariner", "kubernetesVersion": "1.30.4"}],
            "azure": {"provisioningState": "Failed", "currentState": "Upgrading", "lastConnectivityTime": "2026-07-30T06:01:09Z", "agentKubernetesVersion": "1.30.4"}}]}"#;

    #[test]
    fn what_azure_knows_is_read_with_its_dates() {
        let inventory = load("inv.json", AZURE, LoadOptions::default())
            .unwrap()
            .inventory;
        let azure = inventory.deployment.azure.unwrap();
        assert_eq!(azure.last_sync.unwrap().to_string(), "2026-07-30");
        let summary = azure.update_summary.unwrap();
        assert_eq!(summary.last_checked.unwrap().to_string(), "2026-07-30");
        assert_eq!(summary.state.as_deref(), Some("UpdateAvailable"));
        let updates = azure.updates.unwrap();
        assert_eq!(updates[0].state.as_deref(), Some("Ready"));
        assert_eq!(updates[0].created.unwrap().to_string(), "2026-07-19");
        let cluster = &inventory.clusters.unwrap()[0];
        let pools = cluster.node_pools.as_ref().unwrap();
        assert_eq!(pools[0].count, Some(3));
        assert_eq!(pools[0].os_sku.as_deref(), Some("CBLMariner"));
        let arc = cluster.azure.as_ref().unwrap();
        assert_eq!(arc.last_connectivity.unwrap().to_string(), "2026-07-30");
        // Strict like the rest: a misspelt key, a bad date, the other line.
        assert!(errors(&AZURE.replace("\"lastChecked\"", "\"lastCheked\""))
            .contains("deployment.azure.updateSummary.lastCheked: unknown field"));
        assert!(
            errors(&AZURE.replace("2026-07-19T02:02:02Z", "2026-07-32")).contains(
                "deployment.azure.updates[0].createdAt: `2026-07-32` is not a calendar date"
            )
        );
        assert!(errors(&AZURE.replace("\"count\": 3", "\"count\": -3"))
            .contains("clusters[0].nodePools[0].count"));
        let hybrid = AZURE.replace(
            "\"product\": \"aks-arc\", \"version\": \"12.2604.1003.1006\"",
            "\"version\": \"1.0.24.11029\"",
        );
        assert!(errors(&hybrid).contains("deployment.azure: describes an Azure Local instance"));
    }

    #[test]
    fn nodes_are_joined_to_their_pools_by_name_or_label() {
        // A kubectl NodeList as AKS Arc labels its nodes, and the pools Azure lists.
        let text = r#"{"schemaVersion": 1, "deployment": {"name": "d", "product": "aks-arc", "version": "2510"},
            "clusters": [{"name": "edge", "kubernetesVersion": "1.31.10",
              "nodePools": [{"name": "linuxpool", "osSku": "CBLMariner"}, {"name": "winpool", "osSku": "Windows2022"}],
              "nodes": [{"name": "given", "nodePool": "winpool"}, {"name": "missing", "nodePool": "gone"}],
              "nodeList": {"kind": "List", "items": [
                {"kind": "Node", "metadata": {"name": "moc-l1", "labels": {"msft.microsoft/nodepool-name": "edge-ead6c2bf-linuxpool"}}},
                {"kind": "Node", "metadata": {"name": "moc-cp", "labels": {"msft.microsoft/nodepool-name": "edge-ead6c2bf-control-plane"}}},
                {"kind": "Node", "metadata": {"name": "given", "labels": {"msft.microsoft/nodepool-name": "edge-ead6c2bf-linuxpool"}}}]}}]}"#;
        let inventory = load("inv.json", text, LoadOptions::default())
            .unwrap()
            .inventory;
        let cluster = &inventory.clusters()[0];
        let pool = |name: &str| {
            let node = cluster.nodes.iter().find(|n| n.name == name).unwrap();
            (
                node.node_pool.as_deref(),
                cluster.pool_of(node).and_then(|p| p.os_sku.as_deref()),
            )
        };
        assert_eq!(pool("moc-l1"), (Some("linuxpool"), Some("CBLMariner")));
        // The node's own `nodePool` wins over its label.
        assert_eq!(pool("given"), (Some("winpool"), Some("Windows2022")));
        // A pool the cluster does not list, by name or by label: no pool.
        assert_eq!(pool("missing"), (Some("gone"), None));
        assert_eq!(pool("moc-cp"), (None, None));
    }

    #[test]
    fn a_not_collected_record_is_reported_with_its_reason() {
        let record = r#"{"schemaVersion": 1, "notCollected": {"kind": "azure-local-instance", "resourceId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.AzureStackHCI/clusters/site-c", "why": "no currentVersion"}}"#;
        assert_eq!(
            errors(record),
            "inv.json: not an inventory: akspol collect could not make one for the Azure Local instance /subscriptions/s/resourceGroups/rg/providers/Microsoft.AzureStackHCI/clusters/site-c: no currentVersion"
        );
    }

    #[test]
    fn a_resource_graph_answer_is_named_as_such() {
        let answer = r#"{"count": 0, "data": [], "skip_token": null, "total_records": 0}"#;
        assert!(errors(answer).starts_with("inv.json: an `az graph query` answer, not an inventory: `akspol collect --resource-graph --from DIR`"));
    }

    #[test]
    fn duplicates_are_errors() {
        let dup_key = r#"{"schemaVersion": 1, "deployment": {"name": "d", "name": "e", "version": "1.0.24.11029"}}"#;
        assert!(errors(dup_key).contains("duplicate field `name`"));
        let dup_label = r#"{"schemaVersion": 1, "deployment": {"name": "d", "version": "1.0.24.11029"}, "clusters": [{"name": "c", "kubernetesVersion": "1.28.5", "nodes": [{"name": "n", "labels": {"a": "1", "a": "2"}}]}]}"#;
        assert!(errors(dup_label).contains("duplicate key `a`"));
        let dup_cluster = r#"{"schemaVersion": 1, "deployment": {"name": "d", "version": "1.0.24.11029"}, "clusters": [{"name": "c", "kubernetesVersion": "1.28.5"}, {"name": "c", "kubernetesVersion": "1.28.5"}]}"#;
        assert!(errors(dup_cluster).contains("clusters[1].name: duplicate cluster name `c`"));
    }
}
