//! What the sources say, in one shape for both product lines, before it
//! becomes inventory parts.

use serde_json::Value;

use super::reader::Reader;
use crate::base::version::{AksVersion, KubeVersion};
use crate::input::JsonPath;

/// A cluster as its management plane (`Get-AksHciCluster`, `az aksarc`) reports it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClusterFacts {
    pub name: String,
    /// As reported (`v1.29.4` or `1.29.4`); checked to be a Kubernetes version.
    pub kubernetes_version: Option<String>,
    pub provisioning_state: Option<String>,
    /// `az aksarc`: `status.currentState`.
    pub current_state: Option<String>,
    /// `az aksarc`: `networkProfile.networkPolicy` (the CNI).
    pub network_policy: Option<String>,
    /// `az aksarc`: the custom location (`extendedLocation.name`).
    pub custom_location: Option<String>,
    /// The nodes it says it has (control plane and node pools), when it says.
    pub node_count: Option<u64>,
}

/// A node pool as `Get-AksHciNodePool` or `az aksarc nodepool list` reports it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoolFacts {
    /// `Get-AksHciNodePool`'s `ClusterName`; for `az` the file's cluster.
    pub cluster: Option<String>,
    pub name: String,
    pub kubernetes_version: Option<String>,
    /// `Linux` or `Windows`, as written.
    pub os_type: Option<String>,
    /// `az aksarc`: the OS SKU (`CBLMariner`, `Windows2019`, `Windows2022`).
    pub os_sku: Option<String>,
    pub count: Option<u64>,
    /// `az aksarc`: the VM size.
    pub vm_size: Option<String>,
}

/// A Kubernetes version a release or custom location offers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfferedVersion {
    pub version: String,
    /// Why it is not ready, per OS, when the source says (`az aksarc get-versions`).
    pub not_ready: Vec<String>,
}

impl Reader<'_> {
    /// A Kubernetes version field, left out (with a problem) when it is not one.
    pub fn kubernetes_version(
        &mut self,
        object: &Value,
        at: &JsonPath,
        key: &str,
    ) -> Option<String> {
        let text = self.text(object, at, key)?;
        match KubeVersion::parse(text.trim()) {
            Ok(_) => Some(text.trim().to_string()),
            Err(why) => {
                let found = super::reader::field(object, key).map_or(key, |f| f.0);
                self.problem(at.key(found), why);
                None
            }
        }
    }

    /// An AKS hybrid version field (`W.X.Y.ZZZZ`), left out when it is not one.
    pub fn aks_version(&mut self, object: &Value, at: &JsonPath, key: &str) -> Option<String> {
        let text = self.text(object, at, key)?;
        match AksVersion::parse(text.trim(), false) {
            Ok(_) => Some(text.trim().to_string()),
            Err(why) => {
                let found = super::reader::field(object, key).map_or(key, |f| f.0);
                self.problem(at.key(found), why);
                None
            }
        }
    }

    /// A name that must be there and not blank, or the item is left out.
    pub fn required_name(&mut self, object: &Value, at: &JsonPath, key: &str) -> Option<String> {
        match self.text(object, at, key) {
            Some(name) if !name.trim().is_empty() => Some(name.trim().to_string()),
            Some(_) => {
                let found = super::reader::field(object, key).map_or(key, |f| f.0);
                self.problem(at.key(found), "empty: expected a name; left out");
                None
            }
            None => {
                self.problem(at.key(key), "missing: expected a name; left out");
                None
            }
        }
    }
}

/// Two versions that name the same Kubernetes release (`v1.29.4` and `1.29.4`).
pub fn same_kubernetes_version(a: &str, b: &str) -> bool {
    match (KubeVersion::parse(a), KubeVersion::parse(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
