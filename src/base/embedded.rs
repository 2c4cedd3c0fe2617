//! The JSON documents akspol embeds, decoded at build time (`build.rs`):
//! each is a static list of [`Token`]s that [`read`] replays to serde, so
//! the types that read a file read its embedded copy the same way, with no
//! text to scan when a command starts. The readers' tests prove that the
//! tokens give the values the text gives.

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// One value of a decoded document; a container is its length, followed by
/// its elements (or its keys and values, in turn).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Token {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(&'static str),
    Seq(usize),
    Map(usize),
}

/// The documents: `CATALOG`, `FEATURE_GATES`, `EDITION_H22`, ...
pub mod documents {
    #[allow(clippy::wildcard_imports)]
    use super::Token::*;
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// Why a decoded document does not fit the type it is read as (a test of
/// each reader rules it out).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Error(String);

impl de::Error for Error {
    fn custom<T: std::fmt::Display>(message: T) -> Self {
        Error(message.to_string())
    }
}

/// Reads a decoded document as `T`.
pub fn read<T: Deserialize<'static>>(tokens: &'static [Token]) -> Result<T, Error> {
    let mut replay = Replay { rest: tokens };
    let value = T::deserialize(&mut replay)?;
    if replay.rest.is_empty() {
        Ok(value)
    } else {
        Err(Error("tokens left after the document".to_string()))
    }
}

struct Replay {
    rest: &'static [Token],
}

impl Replay {
    fn next(&mut self) -> Result<Token, Error> {
        let (first, rest) = self
            .rest
            .split_first()
            .ok_or_else(|| Error("the document ends early".to_string()))?;
        self.rest = rest;
        Ok(*first)
    }
}

impl<'de> de::Deserializer<'de> for &mut Replay {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.next()? {
            Token::Null => visitor.visit_unit(),
            Token::Bool(b) => visitor.visit_bool(b),
            Token::U64(n) => visitor.visit_u64(n),
            Token::I64(n) => visitor.visit_i64(n),
            Token::F64(n) => visitor.visit_f64(n),
            Token::Str(s) => visitor.visit_borrowed_str(s),
            Token::Seq(len) => visitor.visit_seq(Elements {
                replay: self,
                left: len,
            }),
            Token::Map(len) => visitor.visit_map(Elements {
                replay: self,
                left: len,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.rest.first() == Some(&Token::Null) {
            self.next()?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// Every enum of akspol's data files is a unit variant written as a string.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.next()? {
            Token::Str(s) => visitor.visit_enum(s.into_deserializer()),
            other => Err(Error(format!("{other:?} where an enum's name belongs"))),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

/// The elements of an array, or the members of an object.
struct Elements<'r> {
    replay: &'r mut Replay,
    left: usize,
}

impl<'de> SeqAccess<'de> for Elements<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.replay).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

impl<'de> MapAccess<'de> for Elements<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.replay).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        seed.deserialize(&mut *self.replay)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replays_values_as_serde_json_reads_them() {
        #[derive(Debug, Deserialize, PartialEq)]
        #[serde(rename_all = "camelCase")]
        struct Doc {
            name: String,
            count: u32,
            ratio: f64,
            tags: Vec<String>,
            missing: Option<i64>,
            nested: Option<serde_json::Value>,
        }
        static TOKENS: [Token; 15] = [
            Token::Map(6),
            Token::Str("name"),
            Token::Str("a \"b\""),
            Token::Str("count"),
            Token::U64(3),
            Token::Str("ratio"),
            Token::F64(0.5),
            Token::Str("tags"),
            Token::Seq(1),
            Token::Str("x"),
            Token::Str("missing"),
            Token::Null,
            Token::Str("nested"),
            Token::Map(0),
            Token::Str("extra"),
        ];
        let text = r#"{"name": "a \"b\"", "count": 3, "ratio": 0.5, "tags": ["x"], "missing": null, "nested": {}}"#;
        let from_text: Doc = serde_json::from_str(text).unwrap();
        let tokens = TOKENS.get(..14).unwrap();
        let (replayed, rest) = {
            let mut replay = Replay { rest: tokens };
            (Doc::deserialize(&mut replay).unwrap(), replay.rest.len())
        };
        assert_eq!(rest, 0);
        assert_eq!(replayed, from_text);
        // A token left over is an error, and so is a document cut short.
        assert!(read::<Doc>(&TOKENS).is_err());
        assert!(read::<Doc>(TOKENS.get(..10).unwrap()).is_err());
    }
}
