//! A synthetic fleet for benchmarks and tests: N deployments shaped like
//! `docs/spec/inventory.md` (3 clusters x 10 nodes each by default, with
//! kubectl-style labels and annotations), deterministic for a seed, with a small
//! share of violations (releases behind, version skew, a stopped cluster, an
//! out-of-band change on a node).
//!
//! Versions are taken from the embedded catalog, so the fleet is judged against
//! real releases; nothing here is a fact about AKS hybrid.

use serde_json::{json, Value};

/// The shape of a generated fleet.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub deployments: usize,
    pub clusters: usize,
    pub nodes: usize,
    pub seed: u64,
}

impl Default for Shape {
    fn default() -> Self {
        Self {
            deployments: 1000,
            clusters: 3,
            nodes: 10,
            seed: 42,
        }
    }
}

/// A tiny linear congruential generator (Knuth's MMIX constants): enough for
/// a reproducible spread, no dependency.
#[derive(Debug, Clone)]
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }
}

/// The releases a fleet runs, newest last, from the embedded catalog.
fn releases() -> Vec<String> {
    akspol::catalog::Catalog::embedded()
        .map(|c| {
            // An installed release always has its build number (`W.X.Y.ZZZZ`).
            c.releases
                .iter()
                .filter(|r| !r.version.lacks_build())
                .map(|r| r.version.to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The file name of deployment `i` in a generated directory.
pub fn file_name(i: usize) -> String {
    format!("site-{i:05}.json")
}

/// Deployment `i` of the fleet, as a JSON value.
pub fn deployment(shape: &Shape, releases: &[String], i: usize) -> Value {
    let mut rng = Lcg::new(shape.seed.wrapping_add(i as u64).wrapping_mul(0x2545_F491));
    let n = releases.len();
    // Most sites are current, some one or two releases behind, a few far behind.
    let back = match rng.below(100) {
        0..=79 => 0,
        80..=89 => 1,
        90..=96 => 2,
        _ => 4 + rng.below(4) as usize,
    };
    let version = releases
        .get(n.saturating_sub(1 + back))
        .cloned()
        .unwrap_or_else(|| "1.0.25.10226".to_string());
    let platform = match rng.below(10) {
        0..=6 => json!({ "os": "AzureStackHCI", "version": "23H2" }),
        7 | 8 => json!({ "os": "WindowsServer", "version": "2022", "edition": "Datacenter" }),
        _ => json!({ "os": "WindowsServer", "version": "2019", "edition": "Datacenter" }),
    };
    let site = format!("site-{i:05}");
    let region = ["westeurope", "eastus", "southeastasia", "centralus"]
        .get(i % 4)
        .copied()
        .unwrap_or("eastus");
    let clusters: Vec<Value> = (0..shape.clusters)
        .map(|c| cluster(&mut rng, shape, &site, c))
        .collect();
    json!({
        "schemaVersion": 1,
        "collectedAt": "2025-06-30T09:30:00Z",
        "deployment": {
            "name": format!("{site}-{region}"),
            "version": version,
            "platform": platform,
            "subscription": { "state": "Active" },
        },
        "clusters": clusters,
    })
}

fn cluster(rng: &mut Lcg, shape: &Shape, site: &str, c: usize) -> Value {
    let minors = ["1.28.9", "1.29.4", "1.29.4", "1.30.3"];
    let kube = rng.pick(&minors).copied().unwrap_or("1.29.4");
    let (name, kind) = match c {
        0 => ("mgmt".to_string(), "management"),
        1 => ("prod".to_string(), "workload"),
        _ => (format!("edge-{c}"), "workload"),
    };
    let stopped = c > 0 && rng.chance(2);
    let nodes: Vec<Value> = (0..shape.nodes).map(|n| node(rng, site, kube, n)).collect();
    let mut cluster = json!({
        "name": name,
        "kind": kind,
        "environment": if c == 2 { "non-production" } else { "production" },
        "kubernetesVersion": kube,
        "state": if stopped { "Stopped" } else { "Running" },
        "cni": "calico",
        "components": [
            { "name": "azure-arc-agents", "version": "1.21.10", "source": "microsoft" },
            { "name": "ingress-nginx", "version": "1.10.1", "source": "open-source" }
        ],
        "nodes": nodes,
    });
    if stopped {
        if let Some(obj) = cluster.as_object_mut() {
            obj.insert("stoppedSince".into(), json!("2025-05-20"));
            obj.insert("stoppedVia".into(), json!("aks"));
        }
    }
    cluster
}

fn node(rng: &mut Lcg, site: &str, kube: &str, n: usize) -> Value {
    let control = n < 1;
    let windows = !control && n % 5 == 4;
    let suffix = rng.next_u64() % 0x00FF_FFFF;
    // Unique within the cluster: a random-looking prefix, then the index.
    let name = format!(
        "moc-{}{:05x}{n:x}",
        if windows { "w" } else { "l" },
        suffix & 0xF_FFFF
    );
    // One node in fifty runs a kubelet two minors behind its control plane.
    let kubelet = if rng.chance(2) {
        let mut parts = kube.split('.');
        let major = parts.next().unwrap_or("1");
        let minor: u32 = parts.next().and_then(|m| m.parse().ok()).unwrap_or(29);
        format!("v{major}.{}.7", minor.saturating_sub(3))
    } else {
        format!("v{kube}")
    };
    let pool = if control {
        "control-plane".to_string()
    } else if windows {
        "winpool1".to_string()
    } else {
        "linuxpool1".to_string()
    };
    let os = if windows { "Windows" } else { "Linux" };
    let zone = n % 3;
    let team = ["payments", "retail", "logistics", "platform"]
        .get(n % 4)
        .copied()
        .unwrap_or("platform");
    let mut labels = json!({
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": os.to_lowercase(),
        "node.kubernetes.io/instance-type": "Standard_A4_v2",
        "topology.kubernetes.io/region": site,
        "topology.kubernetes.io/zone": format!("{site}-{zone}"),
        "msft.microsoft/nodepool-name": pool,
        "kubernetes.azure.com/mode": if control { "system" } else { "user" },
        "team": team,
    });
    if control {
        if let Some(obj) = labels.as_object_mut() {
            obj.insert("node-role.kubernetes.io/control-plane".into(), json!(""));
        }
    }
    let mut node = json!({
        "name": name,
        "role": if control { "control-plane" } else { "worker" },
        "nodePool": pool,
        "os": os,
        "kubeletVersion": kubelet,
        "kubeProxyVersion": kubelet,
        "image": { "version": "2025.05.12", "released": "2025-05-12", "published": true },
        "powerState": "Running",
        "labels": labels,
        "annotations": {
            "node.alpha.kubernetes.io/ttl": "0",
            "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            "projectcalico.org/IPv4Address": format!("10.{}.{}.{}/16", n % 250, suffix % 250, (suffix >> 8) % 250),
        },
        "tags": { "site": site, "owner": "edge-ops" },
        "network": { "subnet": "aks-default", "aksDefinedSubnet": true, "nicCustomized": false },
    });
    if rng.chance(1) {
        if let Some(obj) = node.as_object_mut() {
            obj.insert(
                "modifications".into(),
                json!([{ "via": "hyperv", "description": "memory raised from 8 to 16 GiB", "at": "2025-06-02" }]),
            );
        }
    }
    node
}

/// Every deployment of the fleet, in order, with the embedded catalog's releases.
pub fn fleet(shape: &Shape) -> impl Iterator<Item = Value> + '_ {
    let releases = releases();
    (0..shape.deployments).map(move |i| deployment(shape, &releases, i))
}

/// Writes the fleet as one pretty-printed file per deployment into `dir`,
/// and, when `ndjson` is given, the same fleet as one NDJSON file.
pub fn write(
    shape: &Shape,
    dir: Option<&std::path::Path>,
    ndjson: Option<&std::path::Path>,
) -> std::io::Result<u64> {
    use std::io::Write;
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir)?;
    }
    let mut stream = match ndjson {
        Some(path) => Some(std::io::BufWriter::new(std::fs::File::create(path)?)),
        None => None,
    };
    let mut bytes = 0u64;
    for (i, value) in fleet(shape).enumerate() {
        if let Some(dir) = dir {
            let mut text = serde_json::to_string_pretty(&value)?;
            text.push('\n');
            bytes += text.len() as u64;
            std::fs::write(dir.join(file_name(i)), text)?;
        }
        if let Some(out) = stream.as_mut() {
            let line = serde_json::to_string(&value)?;
            if dir.is_none() {
                bytes += line.len() as u64 + 1;
            }
            writeln!(out, "{line}")?;
        }
    }
    if let Some(mut out) = stream {
        out.flush()?;
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fleet_is_deterministic_and_valid() {
        let shape = Shape {
            deployments: 5,
            ..Shape::default()
        };
        let a: Vec<Value> = fleet(&shape).collect();
        let b: Vec<Value> = fleet(&shape).collect();
        assert_eq!(a, b);
        for value in &a {
            let text = serde_json::to_string_pretty(value).unwrap();
            akspol::inventory::load("gen", &text, akspol::inventory::LoadOptions::default())
                .unwrap();
            assert!(text.len() > 20_000 && text.len() < 45_000, "{}", text.len());
        }
    }
}
