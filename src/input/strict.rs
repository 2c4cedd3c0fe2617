//! Two guards between serde_json and the raw types, so that a file means one
//! thing to every reader (a JSON Schema validator, jq, PowerShell, akspol):
//!
//! - [`ObjectsOnly`]: serde's derived structs also accept a JSON *array* of
//!   their fields in declaration order (`"deployment": ["d", "1.0.24.11029"]`).
//!   No other reader of the format does; this wrapper asks for a map wherever a
//!   struct is wanted, at every depth, so an array is a type error. It can
//!   also note whether a value was skipped ([`ObjectsOnly::noting_skips`]):
//!   serde skips the value of a key the target type does not declare, so a
//!   document read without a skip has no unknown key, proven in one pass.
//! - [`StrictValue`]: a free-form JSON value (an inventory's `provenance`, the
//!   command outputs `collect` reads) that, unlike `serde_json::Value`,
//!   rejects duplicate keys instead of keeping the last. (kubectl's
//!   `nodeList` refuses duplicate keys itself: `inventory::nodelist`.)

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

/// A deserializer that reads every struct as a map (see the module docs).
pub struct ObjectsOnly<'f, D> {
    de: D,
    /// Set when a value is skipped.
    skipped: Option<&'f Cell<bool>>,
}

impl<D> ObjectsOnly<'_, D> {
    pub fn new(de: D) -> Self {
        Self { de, skipped: None }
    }
}

impl<'f, D> ObjectsOnly<'f, D> {
    /// Also sets `skipped` when any value is skipped, at any depth.
    pub fn noting_skips(de: D, skipped: &'f Cell<bool>) -> Self {
        Self {
            de,
            skipped: Some(skipped),
        }
    }
}

macro_rules! forward {
    ($($method:ident),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
                self.de.$method(Wrap(visitor, self.skipped))
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectsOnly<'_, D> {
    type Error = D::Error;

    forward!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier,
    );

    /// What serde asks for the value of a key the target does not declare.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        if let Some(skipped) = self.skipped {
            skipped.set(true);
        }
        self.de.deserialize_ignored_any(Wrap(visitor, self.skipped))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.de
            .deserialize_unit_struct(name, Wrap(visitor, self.skipped))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.de
            .deserialize_newtype_struct(name, Wrap(visitor, self.skipped))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.de.deserialize_tuple(len, Wrap(visitor, self.skipped))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.de
            .deserialize_tuple_struct(name, len, Wrap(visitor, self.skipped))
    }

    /// The point of the wrapper: a struct is read as a map, never a sequence.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.de.deserialize_map(Wrap(visitor, self.skipped))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        // Every enum in akspol's formats is a unit variant written as a string:
        // asking for a string makes `"powerState": 1` say "invalid type: integer
        // `1`, expected one of ..." instead of serde_json's bare "expected value".
        let _ = name;
        self.de.deserialize_str(UnitVariant { variants, visitor })
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

/// Passes every value on, wrapping what holds further values.
struct Wrap<'f, V>(V, Option<&'f Cell<bool>>);

macro_rules! visit_scalar {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(
            fn $method<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
                self.0.$method(v)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.0.expecting(f)
    }

    visit_scalar!(
        visit_bool: bool,
        visit_i8: i8,
        visit_i16: i16,
        visit_i32: i32,
        visit_i64: i64,
        visit_i128: i128,
        visit_u8: u8,
        visit_u16: u16,
        visit_u32: u32,
        visit_u64: u64,
        visit_u128: u128,
        visit_f32: f32,
        visit_f64: f64,
        visit_char: char,
        visit_str: &str,
        visit_borrowed_str: &'de str,
        visit_string: String,
        visit_bytes: &[u8],
        visit_borrowed_bytes: &'de [u8],
        visit_byte_buf: Vec<u8>,
    );

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.0.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.0.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.visit_some(ObjectsOnly {
            de: d,
            skipped: self.1,
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.visit_newtype_struct(ObjectsOnly {
            de: d,
            skipped: self.1,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.0.visit_seq(Seq(seq, self.1))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.visit_map(Entries(map, self.1))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        self.0.visit_enum(data)
    }
}

/// Reads a unit enum variant from a string.
struct UnitVariant<V> {
    variants: &'static [&'static str],
    visitor: V,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for UnitVariant<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let names: Vec<String> = self.variants.iter().map(|v| format!("`{v}`")).collect();
        write!(f, "a string: one of {}", names.join(", "))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.visitor
            .visit_enum(de::IntoDeserializer::<E>::into_deserializer(v))
    }
}

struct Seq<'f, A>(A, Option<&'f Cell<bool>>);

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Seq<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        self.0.next_element_seed(Seed(seed, self.1))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

struct Entries<'f, A>(A, Option<&'f Cell<bool>>);

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Entries<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        self.0.next_key_seed(seed)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<T::Value, Self::Error> {
        self.0.next_value_seed(Seed(seed, self.1))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

struct Seed<'f, S>(S, Option<&'f Cell<bool>>);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(ObjectsOnly {
            de: d,
            skipped: self.1,
        })
    }
}

/// Any JSON value; a duplicate key anywhere inside it is an error.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StrictValue(pub Value);

impl<'de> Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(StrictValue)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        StrictValue::deserialize(d).map(|v| v.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(StrictValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if map.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
            }
            let StrictValue(value) = access.next_value()?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Pair {
        a: u8,
        inner: Option<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        b: u8,
    }

    fn read<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
        let mut json = serde_json::Deserializer::from_str(text);
        T::deserialize(ObjectsOnly::new(&mut json))
    }

    #[test]
    fn structs_must_be_objects_at_every_depth() {
        assert!(read::<Pair>(r#"{"a": 1, "inner": {"b": 2}}"#).is_ok());
        // serde alone accepts both of these.
        assert!(serde_json::from_str::<Pair>("[1, null]").is_ok());
        let top = read::<Pair>("[1, null]").unwrap_err().to_string();
        assert!(
            top.contains("invalid type: sequence, expected struct Pair"),
            "{top}"
        );
        let nested = read::<Vec<Pair>>(r#"[{"a": 1, "inner": [2]}]"#).unwrap_err();
        assert!(
            nested.to_string().contains("expected struct Inner"),
            "{nested}"
        );
    }

    #[derive(Debug, Deserialize, PartialEq)]
    enum Power {
        On,
        Off,
    }

    #[test]
    fn enums_are_strings() {
        assert_eq!(
            read::<Vec<Power>>(r#"["On", "Off"]"#).unwrap(),
            [Power::On, Power::Off]
        );
        let number = read::<Power>("1").unwrap_err().to_string();
        assert!(
            number.contains("invalid type: integer `1`, expected a string: one of `On`, `Off`"),
            "{number}"
        );
        let unknown = read::<Power>(r#""Up""#).unwrap_err().to_string();
        assert!(
            unknown.contains("unknown variant `Up`, expected `On` or `Off`"),
            "{unknown}"
        );
    }

    #[test]
    fn strict_values_reject_duplicate_keys_at_any_depth() {
        let ok: StrictValue = serde_json::from_str(r#"{"a": [{"b": 1}], "c": null}"#).unwrap();
        assert_eq!(ok.0["a"][0]["b"], 1);
        let dup = serde_json::from_str::<StrictValue>(r#"{"a": [{"b": 1, "b": 2}]}"#);
        assert!(dup.unwrap_err().to_string().contains("duplicate key `b`"));
    }
}
