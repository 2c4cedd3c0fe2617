//! `az aksarc` (AKS Arc on Azure Local): each function reads one command's
//! JSON. Shapes: `data/sources/inputs.md`, section 2 (the ARM 2024-01-01
//! specification, its examples, and the CLI output printed in the AKS Arc
//! documentation). The CLI nests a cluster's fields under `properties` and
//! flattens a node pool's; both places are read for both.

use serde_json::Value;

use super::facts::{ClusterFacts, OfferedVersion, PoolFacts};
use super::reader::{field, read_list, Parsed, Reader, Shape};
use crate::input::{InputError, JsonPath};

/// `az aksarc show -g RG -n NAME`: one cluster (a list of one is read too).
pub fn show(origin: &str, text: &str) -> Result<Parsed<Option<ClusterFacts>>, InputError> {
    let parsed = list(origin, text)?;
    let mut problems = parsed.problems;
    let mut clusters = parsed.value.into_iter();
    let first = clusters.next();
    if clusters.next().is_some() {
        problems.push(format!(
            "{}: more than one cluster in the output of `az aksarc show`; only the first is read",
            crate::base::sanitize::clean(origin)
        ));
    }
    Ok(Parsed {
        value: first,
        problems,
    })
}

/// `az aksarc list -g RG`: every cluster of a resource group (an array, or an
/// ARM list page `{"value": [...]}`).
pub fn list(origin: &str, text: &str) -> Result<Parsed<Vec<ClusterFacts>>, InputError> {
    let mut seen = std::collections::HashSet::new();
    read_list(origin, text, Shape::Plain, |r, at, item, _| {
        let cluster = cluster(r, at, item)?;
        if !seen.insert(cluster.name.clone()) {
            r.problem(
                at.clone(),
                format!("a second cluster named `{}`; left out", cluster.name),
            );
            return None;
        }
        Some(cluster)
    })
}

fn cluster(r: &mut Reader, at: &JsonPath, item: &Value) -> Option<ClusterFacts> {
    let Some(name) = cluster_name(r, at, item) else {
        r.problem(
            at.clone(),
            "no cluster name: expected an `id` with `/connectedClusters/<name>` or a `name`; left out",
        );
        return None;
    };
    let (props_at, props) = r
        .object(item, at, "properties")
        .unwrap_or((at.clone(), item));
    let status = r.object(props, &props_at, "status");
    let control_plane = r.object(props, &props_at, "controlPlane");
    let network = r.object(props, &props_at, "networkProfile");
    let mut node_count = control_plane
        .as_ref()
        .and_then(|(at, cp)| r.count(cp, at, "count"));
    if let Some((pools_at, pools)) = field(props, "agentPoolProfiles") {
        let pools_at = props_at.key(pools_at);
        for (i, pool) in pools.as_array().into_iter().flatten().enumerate() {
            if let Some(count) = r.count(pool, &pools_at.index(i), "count") {
                node_count = Some(node_count.unwrap_or(0) + count);
            }
        }
    }
    let extended = r.object(item, at, "extendedLocation");
    Some(ClusterFacts {
        kubernetes_version: r.kubernetes_version(props, &props_at, "kubernetesVersion"),
        provisioning_state: r.text(props, &props_at, "provisioningState"),
        current_state: status
            .as_ref()
            .and_then(|(at, s)| r.text(s, at, "currentState")),
        network_policy: network
            .as_ref()
            .and_then(|(at, n)| r.text(n, at, "networkPolicy"))
            .map(|p| p.to_ascii_lowercase()),
        custom_location: extended.as_ref().and_then(|(at, e)| r.text(e, at, "name")),
        node_count,
        name,
    })
}

/// The cluster's name: the `connectedClusters/<name>` segment of its `id`
/// (the CLI shows the instance's own `name` as `default`), else `name`.
fn cluster_name(r: &mut Reader, at: &JsonPath, item: &Value) -> Option<String> {
    let from_id = r.text(item, at, "id").and_then(|id| {
        let mut segments = id.split('/');
        segments
            .by_ref()
            .find(|s| s.eq_ignore_ascii_case("connectedClusters"))?;
        segments
            .next()
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string)
    });
    from_id.or_else(|| {
        r.text(item, at, "name")
            .filter(|n| !n.trim().is_empty() && !n.eq_ignore_ascii_case("default"))
    })
}

/// `az aksarc nodepool list -g RG --cluster-name NAME`.
pub fn node_pools(origin: &str, text: &str) -> Result<Parsed<Vec<PoolFacts>>, InputError> {
    read_list(origin, text, Shape::Plain, |r, at, item, _| {
        let name = r.required_name(item, at, "name")?;
        let (props_at, props) = r
            .object(item, at, "properties")
            .unwrap_or((at.clone(), item));
        Some(PoolFacts {
            cluster: None,
            kubernetes_version: r.kubernetes_version(props, &props_at, "kubernetesVersion"),
            os_type: r.text(props, &props_at, "osType"),
            os_sku: r.text(props, &props_at, "osSku"),
            count: r.count(props, &props_at, "count"),
            vm_size: r.text(props, &props_at, "vmSize"),
            name,
        })
    })
}

/// `az aksarc get-versions --custom-location CL`: the Kubernetes versions a
/// custom location offers. Two shapes are printed: `patchVersions` as a map
/// (`{"1.29.4": {"readiness": [...]}}`) and as a list of `{patchVersion, readiness}`.
pub fn versions(origin: &str, text: &str) -> Result<Parsed<Vec<OfferedVersion>>, InputError> {
    let mut r = Reader::new(origin, text);
    let Some(document) = r.document()? else {
        return Ok(r.finish(Vec::new()));
    };
    let root = JsonPath::root();
    let (props_at, props) = r
        .object(&document, &root, "properties")
        .unwrap_or((root.clone(), &document));
    let values = match field(props, "values") {
        Some((key, values)) => r.items(values, &props_at.key(key))?,
        None => r.items(props, &props_at)?,
    };
    let mut offered: Vec<OfferedVersion> = Vec::new();
    for (at, minor) in values {
        let Some((key, patches)) = field(minor, "patchVersions") else {
            continue;
        };
        let at = at.key(key);
        let patches: Vec<(JsonPath, Option<String>, &Value)> = match patches {
            Value::Object(map) => map
                .iter()
                .map(|(version, p)| (at.key(version), Some(version.clone()), p))
                .collect(),
            Value::Array(list) => list
                .iter()
                .enumerate()
                .map(|(i, p)| (at.index(i), None, p))
                .collect(),
            _ => {
                r.problem(at, "expected a map or a list of patch versions");
                continue;
            }
        };
        for (at, version, patch) in patches {
            let version = match version {
                Some(v) => Some(v),
                None => r.text(patch, &at, "patchVersion"),
            };
            let Some(version) =
                version.filter(|v| crate::base::version::KubeVersion::parse(v).is_ok())
            else {
                r.problem(
                    at,
                    "expected a Kubernetes patch version (MAJOR.MINOR.PATCH)",
                );
                continue;
            };
            let mut not_ready = Vec::new();
            if let Some((key, readiness)) = field(patch, "readiness") {
                for (i, os) in readiness.as_array().into_iter().flatten().enumerate() {
                    let os_at = at.key(key).index(i);
                    if field(os, "ready").and_then(|f| f.1.as_bool()) == Some(false) {
                        let sku = r
                            .text(os, &os_at, "osSku")
                            .or_else(|| r.text(os, &os_at, "osType"))
                            .unwrap_or_else(|| "an OS".to_string());
                        let why = r
                            .text(os, &os_at, "errorMessage")
                            .unwrap_or_else(|| "not ready".to_string());
                        not_ready.push(format!("{sku}: {why}"));
                    }
                }
            }
            offered.push(OfferedVersion { version, not_ready });
        }
    }
    Ok(r.finish(offered))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The CLI output printed in MS:AKS-Arc/cluster-upgrade.md@0be513a9
    /// (shortened), with the network profile of the ARM example
    /// (SPEC:examples/provisionedClusterInstances_Get.json@4e4fb9c9).
    const SHOW: &str = r#"{
      "extendedLocation": {"name": "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ExtendedLocation/customLocations/cl-1", "type": "CustomLocation"},
      "id": "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/aksarc-testupgrade/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default",
      "name": "default",
      "properties": {
        "agentPoolProfiles": [{"count": 1, "name": "nodepool1", "osSku": "CBLMariner", "osType": "Linux", "vmSize": "Standard_A4_v2"}],
        "controlPlane": {"count": 1, "osSku": "CBLMariner", "vmSize": "Standard_A4_v2"},
        "kubernetesVersion": "1.25.7",
        "networkProfile": {"networkPolicy": "calico", "podCidr": "10.244.0.0/16"},
        "provisioningState": "Succeeded",
        "status": {"currentState": "Succeeded", "errorMessage": null}
      },
      "type": "microsoft.hybridcontainerservice/provisionedclusterinstances"
    }"#;

    #[test]
    fn show_takes_the_name_from_the_id() {
        let parsed = show("s.json", SHOW).unwrap();
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(
            parsed.value,
            Some(ClusterFacts {
                name: "aksarc-testupgrade".into(),
                kubernetes_version: Some("1.25.7".into()),
                provisioning_state: Some("Succeeded".into()),
                current_state: Some("Succeeded".into()),
                network_policy: Some("calico".into()),
                custom_location: Some("/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ExtendedLocation/customLocations/cl-1".into()),
                node_count: Some(2),
            })
        );
    }

    #[test]
    fn list_accepts_arrays_and_pages() {
        let page = format!(r#"{{"value": [{SHOW}], "nextLink": null}}"#);
        assert_eq!(list("l.json", &page).unwrap().value.len(), 1);
        let nameless = list("l.json", r#"[{"name": "default", "properties": {}}]"#).unwrap();
        assert!(nameless.value.is_empty());
        assert!(nameless.problems[0].contains("no cluster name"));
        // The ARM example's `v` prefix (provisionedClusterInstances_Get.json).
        let arm = list("l.json", r#"[{"name": "test-hybridakscluster", "properties": {"kubernetesVersion": "v1.20.5"}}]"#).unwrap();
        assert_eq!(arm.value[0].kubernetes_version.as_deref(), Some("v1.20.5"));
    }

    #[test]
    fn node_pools_flattened_by_the_cli() {
        // MS:AKS-Arc/manage-node-pools.md@0d173d40.
        let text = r#"[{"count": 1, "location": "westeurope", "name": "nodepoolname", "nodeImageVersion": null, "osSku": "CBLMariner", "osType": "Linux", "provisioningState": "Succeeded", "status": {"errorMessage": null, "operationStatus": null, "readyReplicas": [{"count": 1, "vmSize": "Standard_A4_v2"}]}, "type": "microsoft.hybridcontainerservice/provisionedclusterinstances/agentpools"}]"#;
        let parsed = node_pools("n.json", text).unwrap();
        assert_eq!(
            parsed.value,
            vec![PoolFacts {
                cluster: None,
                name: "nodepoolname".into(),
                kubernetes_version: None,
                os_type: Some("Linux".into()),
                os_sku: Some("CBLMariner".into()),
                count: Some(1),
                vm_size: None,
            }]
        );
    }

    #[test]
    fn versions_in_both_shapes() {
        // MS:AKS-Arc/howto-enable-windows-node-pools.md@183e4c9f: the map form…
        let map = r#"{"properties": {"values": [{"version": "1.29", "patchVersions": {"1.29.4": {"readiness": [{"errorMessage": null, "osSku": "CBLMariner", "osType": "Linux", "ready": true}, {"errorMessage": "Windows nodepool feature is disabled", "osSku": "Windows2019", "osType": "Windows", "ready": false}], "upgrades": null}}}]}}"#;
        let parsed = versions("v.json", map).unwrap();
        assert_eq!(
            parsed.value,
            vec![OfferedVersion {
                version: "1.29.4".into(),
                not_ready: vec!["Windows2019: Windows nodepool feature is disabled".into()],
            }]
        );
        // …and the list form, with `patchVersion`.
        let list_form = r#"{"properties": {"values": [{"version": "1.29", "patchVersions": [{"patchVersion": "1.29.4", "readiness": [{"errorMessage": "Windows nodepool feature is disabled", "isDisabled": true, "osSku": "Windows2019", "ready": false}]}]}]}}"#;
        assert_eq!(versions("v.json", list_form).unwrap().value, parsed.value);
        let bad = versions(
            "v.json",
            r#"{"properties": {"values": [{"patchVersions": {"latest": {}}}]}}"#,
        )
        .unwrap();
        assert!(bad.problems[0].contains("expected a Kubernetes patch version"));
    }
}
