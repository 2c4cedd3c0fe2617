//! Inventories from what operators already have: the outputs of the AksHci
//! PowerShell module, `az aksarc` and `kubectl`, run here ([`live`], through
//! [`run`]) or saved by a customer ([`bundle`]), mapped by one module per
//! source ([`akshci`], [`aksarc`], [`kubectl`]: pure functions from a
//! command's text to facts) and put together by [`assemble`], which says
//! where every field came from, which source won a disagreement and what
//! stays unknown. [`resource_graph`] makes a fleet of inventories from Azure
//! Resource Graph instead. Both write the typed inventory of [`written`].
//! Nothing here prints, writes a file or reads the clock.

pub mod aksarc;
pub mod akshci;
mod assemble;
pub mod bundle;
mod conflict;
mod facts;
pub mod kubectl;
pub mod live;
mod reader;
pub mod recognize;
pub mod resource_graph;
pub mod run;
pub mod written;

pub use assemble::{assemble, Collected, Failed, Options, SourceLine, Summary};
pub use facts::{ClusterFacts, OfferedVersion, PoolFacts};
pub use reader::Parsed;
pub use written::{Gap, SourceStatus};

/// The product line an inventory describes (`deployment.product`).
pub use crate::base::product::Product;
