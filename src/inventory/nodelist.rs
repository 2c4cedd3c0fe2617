//! `nodeList`: the verbatim output of `kubectl get nodes -o json`, read
//! leniently. Only the fields akspol needs are taken; everything else kubectl
//! prints (spec, conditions, addresses, capacity, ...) is skipped while it is
//! read, never kept: a list of a million nodes once became a 1.7 GB tree of
//! JSON values before a single node was looked at. A field of another type
//! than expected is ignored, as a lenient reader would; a duplicate key
//! anywhere inside is an error, as everywhere else.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::labels::LabelMap;

/// A `nodeList` as read: its kind, and its items (`None` when `items` is
/// absent or not an array, or the list not an object).
#[derive(Debug, Default)]
pub struct RawNodeList {
    pub kind: Option<String>,
    pub items: Option<Vec<ListedItem>>,
}

/// What akspol takes of one item of the list.
#[derive(Debug, Default)]
pub struct ListedItem {
    pub(super) kind: Option<String>,
    pub(super) name: Option<String>,
    pub(super) labels: Option<LabelMap>,
    pub(super) annotations: Option<LabelMap>,
    pub(super) kubelet_version: Option<String>,
    pub(super) kube_proxy_version: Option<String>,
    pub(super) operating_system: Option<String>,
    pub(super) os_image: Option<String>,
}

// ---------------------------------------------------------------------------
// Reading: one seed per level that matters, and `Skip` for everything else.
// Every seed asks for any value (`deserialize_any`): an object is read as its
// level needs, anything else is consumed and ignored.

/// Values of another type than the level expects are consumed and ignored.
macro_rules! ignore_other_types {
    () => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element_seed(Skip)?.is_some() {}
            Ok(Default::default())
        }
    };
}

/// Each seed reads any value, with itself as the visitor.
macro_rules! seeds_of_any {
    ($($seed:ty),* $(,)?) => {$(
        impl<'de> DeserializeSeed<'de> for $seed {
            type Value = <Self as Visitor<'de>>::Value;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
        }
    )*};
}

seeds_of_any!(
    Items,
    Item,
    Metadata<'_>,
    Status<'_>,
    NodeInfo<'_>,
    Text,
    Labels,
    Skip,
);

/// Reads an object's members in turn, refusing a duplicate key.
fn members<'de, A: MapAccess<'de>>(
    mut access: A,
    mut member: impl FnMut(&str, &mut A) -> Result<(), A::Error>,
) -> Result<(), A::Error> {
    let mut seen = HashSet::new();
    while let Some(key) = access.next_key::<String>()? {
        if !seen.insert(key.clone()) {
            return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
        }
        member(&key, &mut access)?;
    }
    Ok(())
}

impl<'de> Deserialize<'de> for RawNodeList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ListSeed)
    }
}

/// The list: `kind` and `items`.
struct ListSeed;

impl<'de> Visitor<'de> for ListSeed {
    type Value = RawNodeList;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a kubectl NodeList")
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(RawNodeList::default())
    }
    ignore_other_types!();
    fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<Self::Value, A::Error> {
        let mut list = RawNodeList::default();
        members(access, |key, access| {
            match key {
                "kind" => list.kind = access.next_value_seed(Text)?,
                "items" => list.items = access.next_value_seed(Items)?,
                _ => access.next_value_seed(Skip)?,
            }
            Ok(())
        })?;
        Ok(list)
    }
}

/// `items`: the list's items when it is an array.
struct Items;

impl<'de> Visitor<'de> for Items {
    type Value = Option<Vec<ListedItem>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of Nodes")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<Self::Value, A::Error> {
        members(access, |_, access| access.next_value_seed(Skip))?;
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(Item)? {
            items.push(item);
        }
        Ok(Some(items))
    }
}

/// One item: `kind`, `metadata` and `status`.
struct Item;

impl<'de> Visitor<'de> for Item {
    type Value = ListedItem;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Node")
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(ListedItem::default())
    }
    ignore_other_types!();
    fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<Self::Value, A::Error> {
        let mut item = ListedItem::default();
        members(access, |key, access| {
            match key {
                "kind" => item.kind = access.next_value_seed(Text)?,
                "metadata" => access.next_value_seed(Metadata(&mut item))?,
                "status" => access.next_value_seed(Status(&mut item))?,
                _ => access.next_value_seed(Skip)?,
            }
            Ok(())
        })?;
        Ok(item)
    }
}

/// `metadata`: `name`, `labels`, `annotations`.
struct Metadata<'i>(&'i mut ListedItem);

impl<'de> Visitor<'de> for Metadata<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Node's metadata")
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    ignore_other_types!();
    fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<(), A::Error> {
        let Metadata(item) = self;
        members(access, |key, access| {
            match key {
                "name" => item.name = access.next_value_seed(Text)?,
                "labels" => item.labels = access.next_value_seed(Labels)?,
                "annotations" => item.annotations = access.next_value_seed(Labels)?,
                _ => access.next_value_seed(Skip)?,
            }
            Ok(())
        })
    }
}

/// `status`, and in it `nodeInfo` with the versions and the operating system.
struct Status<'i>(&'i mut ListedItem);

impl<'de> Visitor<'de> for Status<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Node's status")
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    ignore_other_types!();
    fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<(), A::Error> {
        let Status(item) = self;
        members(access, |key, access| {
            match key {
                "nodeInfo" => access.next_value_seed(NodeInfo(&mut *item))?,
                _ => access.next_value_seed(Skip)?,
            }
            Ok(())
        })
    }
}

struct NodeInfo<'i>(&'i mut ListedItem);

impl<'de> Visitor<'de> for NodeInfo<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Node's nodeInfo")
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    ignore_other_types!();
    fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<(), A::Error> {
        let NodeInfo(item) = self;
        members(access, |key, access| {
            match key {
                "kubeletVersion" => item.kubelet_version = access.next_value_seed(Text)?,
                "kubeProxyVersion" => item.kube_proxy_version = access.next_value_seed(Text)?,
                "operatingSystem" => item.operating_system = access.next_value_seed(Text)?,
                "osImage" => item.os_image = access.next_value_seed(Text)?,
                _ => access.next_value_seed(Skip)?,
            }
            Ok(())
        })
    }
}

/// A string, or nothing when the value is not one.
struct Text;

impl<'de> Visitor<'de> for Text {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    ignore_other_types!();
    fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<Self::Value, A::Error> {
        members(access, |_, access| access.next_value_seed(Skip))?;
        Ok(None)
    }
}

/// Labels or annotations: the members whose values are strings (others are
/// ignored, as before); nothing when the value is not an object.
struct Labels;

impl<'de> Visitor<'de> for Labels {
    type Value = Option<LabelMap>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("labels")
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    ignore_other_types!();
    fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<Self::Value, A::Error> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        members(access, |key, access| {
            if let Some(value) = access.next_value_seed(Text)? {
                pairs.push((key.to_string(), value));
            }
            Ok(())
        })?;
        Ok(Some(pairs.into_iter().collect()))
    }
}

/// Any value, consumed without being kept; duplicate keys are still refused.
/// serde_json's recursion limit (128) bounds the depth.
struct Skip;

impl<'de> Visitor<'de> for Skip {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    ignore_other_types!();
    fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<(), A::Error> {
        members(access, |_, access| access.next_value_seed(Skip))
    }
}
