//! The two product lines akspol judges. Each has its own release scheme, its
//! own releases in the catalog and its own editions of the support policy.

use serde::{Deserialize, Serialize};

/// A product line, as the inventory's `deployment.product` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Product {
    /// The AksHci PowerShell line on Azure Stack HCI and Windows Server
    /// (versions `W.X.Y.ZZZZ`, such as `1.0.24.11029`).
    #[serde(rename = "aks-hybrid")]
    AksHybrid,
    /// AKS enabled by Azure Arc on Azure Local (`az aksarc`), released with
    /// Azure Local (release `2510`, builds such as `12.2510.1002.94`).
    #[serde(rename = "aks-arc")]
    AksArc,
}

impl Product {
    pub const ALL: [Product; 2] = [Product::AksHybrid, Product::AksArc];

    pub fn as_str(self) -> &'static str {
        match self {
            Product::AksHybrid => "aks-hybrid",
            Product::AksArc => "aks-arc",
        }
    }

    /// What people call it.
    pub fn title(self) -> &'static str {
        match self {
            Product::AksHybrid => "AKS hybrid (AksHci line)",
            Product::AksArc => "AKS Arc on Azure Local",
        }
    }

    /// What its releases are called in messages.
    pub fn releases(self) -> &'static str {
        match self {
            Product::AksHybrid => "AKS hybrid releases",
            Product::AksArc => "Azure Local releases",
        }
    }

    pub fn parse(text: &str) -> Option<Product> {
        Product::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl std::fmt::Display for Product {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
