//! Lenient field decoders: BPJS and SIMRS send numbers as strings and vice versa.
//! Error messages state the expectation only, never the received value.

use serde::de::{self, Deserializer, Visitor};
use std::fmt;

const EXPECT_INT: &str = "expected an integer or a numeric string";

struct IntVisitor;

impl Visitor<'_> for IntVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer or a numeric string")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::custom(EXPECT_INT))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            Ok(v as i64)
        } else {
            Err(E::custom(EXPECT_INT))
        }
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<i64, E> {
        Ok(i64::from(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        v.trim().parse::<i64>().map_err(|_| E::custom(EXPECT_INT))
    }

    fn visit_unit<E: de::Error>(self) -> Result<i64, E> {
        Err(E::custom(EXPECT_INT))
    }
}

/// An integer from a number, a numeric string or a boolean (`true` = 1).
pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    d.deserialize_any(IntVisitor)
}

/// Like [`int`], with `null` read as 0 (for counters BPJS may leave empty).
pub fn int_or_zero<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    struct OrZero;
    impl<'de> Visitor<'de> for OrZero {
        type Value = i64;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an integer, a numeric string or null")
        }
        fn visit_unit<E: de::Error>(self) -> Result<i64, E> {
            Ok(0)
        }
        fn visit_none<E: de::Error>(self) -> Result<i64, E> {
            Ok(0)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
            IntVisitor.visit_i64(v)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
            IntVisitor.visit_u64(v)
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
            IntVisitor.visit_f64(v)
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<i64, E> {
            IntVisitor.visit_bool(v)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
            if v.trim().is_empty() {
                Ok(0)
            } else {
                IntVisitor.visit_str(v)
            }
        }
    }
    d.deserialize_any(OrZero)
}

/// A string from a string, a number or `null` (read as "").
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct StringVisitor;
    impl Visitor<'_> for StringVisitor {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string, a number or null")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
            Ok(v)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_unit<E: de::Error>(self) -> Result<String, E> {
            Ok(String::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<String, E> {
            Ok(String::new())
        }
    }
    d.deserialize_any(StringVisitor)
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize)]
    struct T {
        #[serde(deserialize_with = "super::int")]
        a: i64,
        #[serde(deserialize_with = "super::string")]
        b: String,
    }

    #[test]
    fn accepts_numbers_as_strings_and_back() {
        let t: T = serde_json::from_str(r#"{"a":"33690","b":12}"#).unwrap();
        assert_eq!((t.a, t.b.as_str()), (33690, "12"));
        let t: T = serde_json::from_str(r#"{"a":true,"b":null}"#).unwrap();
        assert_eq!((t.a, t.b.as_str()), (1, ""));
        assert!(serde_json::from_str::<T>(r#"{"a":"x","b":""}"#).is_err());
    }
}
