//! What `collect --resource-graph` writes, line by line: an inventory
//! (`crate::collect::written`, what every collector writes, with what Azure
//! knows as the inventory's own types) that `check` reads
//! (`docs/spec/inventory.md`), or a not-collected record it reports.

use serde::Serialize;

use crate::collect::written::Inventory;
use crate::inventory::RawNotCollected;

/// One line of the stream.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Record<'a> {
    Inventory(Box<Inventory<'a>>),
    NotCollected(NotCollected<'a>),
}

/// Something no inventory could be made of, said where the inventories go.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotCollected<'a> {
    pub schema_version: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<&'a str>,
    pub not_collected: RawNotCollected,
}
