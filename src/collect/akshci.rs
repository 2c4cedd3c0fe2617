//! The AksHci PowerShell module (AKS hybrid on Azure Stack HCI and Windows
//! Server): each function reads one cmdlet's saved output, as text or as
//! `ConvertTo-Json` wrote it. Field names and examples:
//! `data/sources/inputs.md`, section 1 (the module's reference pages and a
//! real December 2024 lab transcript).

use super::facts::{ClusterFacts, OfferedVersion, PoolFacts};
use super::reader::{read_list, Parsed, Reader, Shape};
use crate::base::version::AksVersion;
use crate::input::{InputError, JsonPath};

/// The JSON of a cmdlet, with any object `-Depth` cut off flagged.
fn document(r: &mut Reader) -> Result<Option<serde_json::Value>, InputError> {
    let document = r.document()?;
    if let Some(d) = &document {
        r.flag_cut_objects(d);
    }
    Ok(document)
}

/// `Get-AksHciVersion`: one line, the installed release (`1.0.24.11029`).
/// Other lines (a warning captured with it) are ignored when exactly one line
/// is a release; a `ConvertTo-Json` string (`"1.0.24.11029"`) is read too.
pub fn version(origin: &str, text: &str) -> Result<Parsed<String>, InputError> {
    let version = release_line(origin, text)?;
    let mut problems = Vec::new();
    if !documented_build(&version) {
        problems.push(format!(
            "{}: `{version}`: the last field is not the documented build number (1 followed by the build date, mmdd): is the file cut off?",
            crate::base::sanitize::clean(origin)
        ));
    }
    Ok(Parsed {
        value: version,
        problems,
    })
}

/// "build type (always 1) + build date mmdd" (inputs.md, Get-AksHciVersion).
fn documented_build(version: &str) -> bool {
    let Some(build) = version.rsplit('.').next() else {
        return false;
    };
    let digits: Vec<u32> = build.chars().filter_map(|c| c.to_digit(10)).collect();
    match digits.as_slice() {
        [1, m1, m2, d1, d2] if build.len() == 5 => {
            let (month, day) = (m1 * 10 + m2, d1 * 10 + d2);
            (1..=12).contains(&month) && (1..=31).contains(&day)
        }
        _ => false,
    }
}

fn release_line(origin: &str, text: &str) -> Result<String, InputError> {
    let mut found: Vec<(usize, String)> = Vec::new();
    let mut first_text = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim().trim_matches('"').trim();
        if line.is_empty() {
            continue;
        }
        first_text.get_or_insert((i + 1, line));
        if AksVersion::parse(line, false).is_ok() && !found.iter().any(|(_, v)| v == line) {
            found.push((i + 1, line.to_string()));
            // A second release is an error already: no need to read on.
            if found.len() == 2 {
                break;
            }
        }
    }
    match (found.as_slice(), first_text) {
        ([(_, version)], _) => Ok(version.clone()),
        ([], None) => Err(InputError::file(
            origin,
            "empty: expected the installed release that Get-AksHciVersion prints (W.X.Y.ZZZZ, e.g. 1.0.24.11029)",
        )),
        ([], Some((line, text))) => Err(InputError::file(
            origin,
            format!(
                "{line}:1: `{}` is not a release: expected what Get-AksHciVersion prints (W.X.Y.ZZZZ, e.g. 1.0.24.11029)",
                crate::base::sanitize::excerpt(text)
            ),
        )),
        ([_, (line, _), ..], _) => Err(InputError::file(
            origin,
            format!("{line}:1: a second release: expected the one line Get-AksHciVersion prints"),
        )),
    }
}

/// What `Get-AksHciConfig` says about the installed release and the host's
/// cached view of the catalog (its `AksHci` section).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub version: Option<String>,
    pub cached_latest: Option<String>,
    pub cached_min: Option<String>,
    /// `latestVersionsCachedOn`: RFC 3339 when it was a PowerShell 5.1 date
    /// (`\/Date(ms)\/`), else as written.
    pub cached_on: Option<String>,
}

/// `Get-AksHciConfig | ConvertTo-Json`: an object with `Moc`, `AksHci` and `Kva` sections.
pub fn config(origin: &str, text: &str) -> Result<Parsed<Config>, InputError> {
    let mut r = Reader::new(origin, text);
    let Some(document) = document(&mut r)? else {
        return Err(InputError::file(
            origin,
            "empty: Get-AksHciConfig printed nothing",
        ));
    };
    let root = JsonPath::root();
    if !document.is_object() {
        return Err(r.fail(
            root,
            "expected the object Get-AksHciConfig returns (with an AksHci section)",
        ));
    }
    let Some((at, section)) = r.object(&document, &root, "AksHci") else {
        let parsed = r.finish(Config::default());
        if !parsed.problems.is_empty() {
            return Ok(parsed);
        }
        return Err(InputError::file(
            origin,
            "no AksHci section: expected the object Get-AksHciConfig returns",
        ));
    };
    let cached_on = r.text(section, &at, "latestVersionsCachedOn").map(|t| {
        crate::base::dates::parse_dotnet_date(&t)
            .map_or(t, |at| at.format("%Y-%m-%dT%H:%M:%SZ").to_string())
    });
    let config = Config {
        version: r.aks_version(section, &at, "version"),
        cached_latest: r.aks_version(section, &at, "cachedLatestAksHciVersion"),
        cached_min: r.aks_version(section, &at, "cachedMinAksHciVersion"),
        cached_on,
    };
    Ok(r.finish(config))
}

/// `Get-AksHciCluster | ConvertTo-Json`: the workload clusters.
pub fn clusters(origin: &str, text: &str) -> Result<Parsed<Vec<ClusterFacts>>, InputError> {
    let mut seen = std::collections::HashSet::new();
    read_list(
        origin,
        text,
        Shape::PowerShell,
        |r, at, item, _: &[ClusterFacts]| {
            let name = r.required_name(item, at, "Name")?;
            if !seen.insert(name.clone()) {
                r.problem(
                    at.key("Name"),
                    format!("a second cluster named `{name}`; left out"),
                );
                return None;
            }
            let counts = [
                "ControlPlaneNodeCount",
                "LinuxNodeCount",
                "WindowsNodeCount",
                "Windows2022NodeCount",
            ]
            .map(|key| r.count(item, at, key));
            let node_count = counts
                .iter()
                .any(Option::is_some)
                .then(|| counts.iter().flatten().sum());
            Some(ClusterFacts {
                kubernetes_version: r.kubernetes_version(item, at, "KubernetesVersion"),
                provisioning_state: r.text(item, at, "ProvisioningState"),
                node_count,
                name,
                ..ClusterFacts::default()
            })
        },
    )
}

/// `Get-AksHciNodePool -clusterName <c> | ConvertTo-Json` (for every cluster, in one list).
pub fn node_pools(origin: &str, text: &str) -> Result<Parsed<Vec<PoolFacts>>, InputError> {
    read_list(origin, text, Shape::PowerShell, |r, at, item, _| {
        Some(PoolFacts {
            name: r.required_name(item, at, "NodePoolName")?,
            cluster: r.text(item, at, "ClusterName"),
            kubernetes_version: r.kubernetes_version(item, at, "Version"),
            os_type: r.name(item, at, "OsType", &["Linux", "Windows"]),
            count: r.count(item, at, "NodeCount"),
            ..PoolFacts::default()
        })
    })
}

/// `Get-AksHciKubernetesVersion | ConvertTo-Json`: the versions the installed
/// release offers (`OrchestratorVersion`, `OS`, `IsPreview`), each once.
pub fn kubernetes_versions(
    origin: &str,
    text: &str,
) -> Result<Parsed<Vec<OfferedVersion>>, InputError> {
    read_list(origin, text, Shape::PowerShell, |r, at, item, seen| {
        let version = r.kubernetes_version(item, at, "OrchestratorVersion")?;
        (!seen.iter().any(|o: &OfferedVersion| o.version == version)).then(|| OfferedVersion {
            version,
            not_ready: Vec::new(),
        })
    })
}

/// `Get-AksHciClusterUpdates -name <c> | ConvertTo-Json`: the Kubernetes
/// versions the cluster can be upgraded to (`kubernetesversion`, `details`).
pub fn cluster_updates(origin: &str, text: &str) -> Result<Parsed<Vec<String>>, InputError> {
    read_list(origin, text, Shape::PowerShell, |r, at, item, _| {
        r.kubernetes_version(item, at, "kubernetesversion")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_is_the_one_release_line() {
        // MS:AKS-Arc/update-akshci-host-powershell.md@95fc03fe: `1.0.2.10723`.
        let read = |text: &str| version("v.txt", text).unwrap();
        assert_eq!(read("1.0.2.10723\r\n").value, "1.0.2.10723");
        assert!(read("1.0.2.10723").problems.is_empty());
        assert_eq!(read("\"1.0.24.11029\"").value, "1.0.24.11029");
        assert_eq!(
            read("WARNING: a newer module exists\n1.0.24.11029\n").value,
            "1.0.24.11029"
        );
        // Cut off: still a version, but not the documented build form.
        assert!(read("1.0.24.1102").problems[0].contains("is the file cut off?"));
        assert!(!read("1.0.24.11329").problems.is_empty());
        assert_eq!(
            version("v.txt", "1.0.24").unwrap_err().to_string(),
            "v.txt: 1:1: `1.0.24` is not a release: expected what Get-AksHciVersion prints (W.X.Y.ZZZZ, e.g. 1.0.24.11029)"
        );
        assert!(version("v.txt", "\n \n")
            .unwrap_err()
            .to_string()
            .contains("empty"));
        assert!(version("v.txt", "1.0.2.10723\n1.0.3.10901\n")
            .unwrap_err()
            .to_string()
            .contains("2:1: a second release"));
    }

    #[test]
    fn config_reads_the_akshci_section() {
        // Keys seen in real output (tksh164/hci-lab, Dec 2024; inputs.md §1).
        let text = r#"{"Moc": {"cloudAgentPort": 55000}, "AksHci": {"catalog": "aks-hci-stable-catalogs-ext", "ring": "stable", "version": "1.0.24.11029", "cachedLatestAksHciVersion": "1.0.24.11029", "cachedMinAksHciVersion": "1.0.14.10929", "latestVersionsCachedOn": "\/Date(1734659953000)\/", "installState": 3}, "Kva": {}}"#;
        let parsed = config("c.json", text).unwrap();
        assert_eq!(
            parsed.value,
            Config {
                version: Some("1.0.24.11029".into()),
                cached_latest: Some("1.0.24.11029".into()),
                cached_min: Some("1.0.14.10929".into()),
                cached_on: Some("2024-12-20T01:59:13Z".into()),
            }
        );
        assert!(parsed.problems.is_empty());
        let cut = config(
            "c.json",
            r#"{"AksHci": "@{catalog=aks-hci-stable-catalogs-ext; ring=stable}"}"#,
        )
        .unwrap();
        assert!(cut.problems[0].contains("-Depth 10"), "{:?}", cut.problems);
        assert!(config("c.json", "[1]").is_err());
    }

    #[test]
    fn clusters_in_the_documented_shapes() {
        // Real output, AksHci 1.0.24.11029 (tksh164/hci-lab@015bc490), as
        // ConvertTo-Json of one cluster writes it: an object, not a list.
        let one = r#"{"Status": {"ProvisioningState": "Deployed", "Details": ""}, "ProvisioningState": "Deployed", "KubernetesVersion": "v1.29.4", "PackageVersion": "v1.29.4", "NodePools": "nodepool1", "WindowsNodeCount": 0, "Windows2022NodeCount": 0, "LinuxNodeCount": 2, "ControlPlaneNodeCount": 1, "ControlPlaneVmSize": "Standard_A4_v2", "AutoScalerEnabled": false, "LoadBalancer": {"VMSize": "Standard_A4_v2", "Count": 1, "Sku": "HAProxy"}, "ImageName": "Linux_k8s_1.0.24.11029", "Name": "akswc1"}"#;
        let parsed = clusters("c.json", one).unwrap();
        assert_eq!(
            parsed.value,
            vec![ClusterFacts {
                name: "akswc1".into(),
                kubernetes_version: Some("v1.29.4".into()),
                provisioning_state: Some("Deployed".into()),
                node_count: Some(3),
                ..ClusterFacts::default()
            }]
        );
        // The reference page's shape (get-akshcicluster.md@72d7517e), in a
        // list, with PowerShell 5.1's wrapper and a bad version.
        let list = r#"{"value": [{"ProvisioningState": "provisioned", "KubernetesVersion": "v1.20.7", "NodePools": ["linuxnodepool"], "ControlPlaneNodeCount": 1, "Name": "mycluster"}, {"Name": "b", "KubernetesVersion": "latest"}, {"Name": "mycluster"}], "Count": 3}"#;
        let parsed = clusters("c.json", list).unwrap();
        assert_eq!(parsed.value.len(), 2);
        assert_eq!(parsed.value[1].kubernetes_version, None);
        assert!(
            parsed.problems[0].contains("KubernetesVersion: `latest` is not a Kubernetes version")
        );
        assert!(parsed.problems[1].contains("a second cluster named `mycluster`"));
        assert_eq!(clusters("c.json", "").unwrap().value, vec![]);
        assert!(clusters("c.json", r#"[{"Name": "a""#)
            .unwrap_err()
            .to_string()
            .contains("truncated"));
    }

    #[test]
    fn node_pools_and_versions() {
        // get-akshcinodepool.md@d1e4983a.
        let pools = r#"[{"ClusterName": "mycluster", "NodePoolName": "nodepool1", "Version": "v1.20.7", "OsType": "Linux", "NodeCount": 10, "VmSize": "Standard_K8S3_v1", "Phase": "Deployed"}, {"ClusterName": "mycluster", "NodePoolName": "win", "OsType": 1}]"#;
        let parsed = node_pools("p.json", pools).unwrap();
        assert_eq!(parsed.value[0].count, Some(10));
        assert_eq!(parsed.value[0].os_type.as_deref(), Some("Linux"));
        assert_eq!(parsed.value[1].os_type, None);
        assert!(parsed.problems[0].contains("OsType: the number 1 where a name (Linux, Windows)"));
        // upgrade.md@3a8f280e: `Kubernetes v1.20.5 Linux False`.
        let offered = kubernetes_versions("k.json", r#"[{"OrchestratorType": "Kubernetes", "OrchestratorVersion": "v1.20.5", "OS": "Linux", "IsPreview": false}, {"OrchestratorType": "Kubernetes", "OrchestratorVersion": "v1.20.5", "OS": "Windows", "IsPreview": false}]"#).unwrap();
        assert_eq!(offered.value.len(), 1);
        let updates = cluster_updates("u.json", r#"{"details": "This is a minor kubernetes upgrade. (i.e v1.X.1 to v1.Y.1)", "kubernetesversion": "v1.20.5", "operatingsystemversion": {"mariner": "April 2021", "windows": "April 2021"}}"#).unwrap();
        assert_eq!(updates.value, vec!["v1.20.5".to_string()]);
    }
}
