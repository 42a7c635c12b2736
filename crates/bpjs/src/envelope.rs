//! The response envelope and its payload: parsing, decryption, decompression, typing.
//!
//! Pure functions, no IO: the client, the fuzz target and the benches all call these.

use crate::crypto::{DecryptError, ResponseKey};
use crate::lz::{self, LzFailure};
use crate::redact::excerpt;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;

/// Why a body could not be turned into a typed payload.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The body is not a JSON envelope (HTML gateway page, truncated JSON, …).
    #[error("body is not a JSON envelope: {excerpt}")]
    NotJson {
        /// A short, tag-stripped excerpt of the body.
        excerpt: String,
    },
    /// `response` could not be decrypted.
    #[error(transparent)]
    Decrypt(#[from] DecryptError),
    /// The decrypted text is not a valid LZ-string stream.
    #[error("{0}")]
    Decompress(&'static str),
    /// The JSON does not have the expected shape.
    #[error("schema mismatch at `{field}`: {detail}")]
    Schema {
        /// Path of the offending field, e.g. `[3].kodedokter`.
        field: String,
        /// What was expected (never the value itself).
        detail: String,
    },
}

/// `response` as it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseField {
    /// Absent, `null` or `""`.
    Absent,
    /// A Base64 ciphertext (data endpoints).
    Cipher(String),
    /// Plain JSON object or array (dashboards), as text.
    Plain(String),
}

/// A parsed envelope: `metadata` (or `metaData`) and `response`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// `metadata.code` as an integer (numbers and numeric strings accepted).
    pub code: i64,
    /// `metadata.message` (empty when missing).
    pub message: String,
    /// `response`.
    pub response: ResponseField,
}

#[derive(Deserialize)]
struct RawEnvelope<'a> {
    #[serde(alias = "metaData")]
    metadata: Option<RawMeta>,
    #[serde(borrow)]
    response: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct RawMeta {
    #[serde(deserialize_with = "crate::model::flex::int")]
    code: i64,
    #[serde(default, deserialize_with = "crate::model::flex::string")]
    message: String,
}

impl Envelope {
    /// Parses a response body.
    pub fn parse(body: &[u8]) -> Result<Self, DecodeError> {
        let not_json = || DecodeError::NotJson { excerpt: excerpt(body) };
        let raw: RawEnvelope<'_> = serde_json::from_slice(body).map_err(|_| not_json())?;
        let meta = raw.metadata.ok_or_else(not_json)?;
        let response = match raw.response {
            None => ResponseField::Absent,
            Some(value) => {
                let text = value.get().trim_start();
                match text.as_bytes().first() {
                    Some(b'"') => {
                        let s: String = serde_json::from_str(text).map_err(|_| not_json())?;
                        if s.is_empty() {
                            ResponseField::Absent
                        } else {
                            ResponseField::Cipher(s)
                        }
                    }
                    Some(b'{') | Some(b'[') => ResponseField::Plain(text.to_owned()),
                    Some(b'n') => ResponseField::Absent,
                    _ => {
                        return Err(DecodeError::Schema {
                            field: "response".into(),
                            detail: "expected a string, an object or null".into(),
                        })
                    }
                }
            }
        };
        Ok(Self {
            code: meta.code,
            message: meta.message,
            response,
        })
    }

    /// The payload as JSON text: decrypted and decompressed, or plain; `None` when absent.
    pub fn payload_json(&self, key: &ResponseKey) -> Result<Option<String>, DecodeError> {
        match &self.response {
            ResponseField::Absent => Ok(None),
            ResponseField::Plain(text) => Ok(Some(text.clone())),
            ResponseField::Cipher(b64) => decrypt_payload(b64, key).map(Some),
        }
    }

    /// The payload as a list: a bare array or `{"list": [...]}`; absent means empty.
    pub fn list<T: DeserializeOwned>(&self, key: &ResponseKey) -> Result<Vec<T>, DecodeError> {
        match self.payload_json(key)? {
            None => Ok(Vec::new()),
            Some(json) => parse_list(&json),
        }
    }

    /// The payload as one object (absent is a schema error).
    pub fn object<T: DeserializeOwned>(&self, key: &ResponseKey) -> Result<T, DecodeError> {
        match self.payload_json(key)? {
            None => Err(DecodeError::Schema {
                field: "response".into(),
                detail: "missing".into(),
            }),
            Some(json) => parse_typed(&json),
        }
    }
}

/// Base64 → AES-256-CBC → LZ-string → JSON text.
pub fn decrypt_payload(b64: &str, key: &ResponseKey) -> Result<String, DecodeError> {
    let plain = key.decrypt_base64(b64)?;
    let units = if plain.is_ascii() {
        lz::decompress_ascii(&plain, crate::lz::DEFAULT_MAX_UNITS)
    } else {
        let text = std::str::from_utf8(&plain).map_err(|_| DecodeError::Decompress("decrypted bytes are not text"))?;
        lz::decompress_utf16_from_encoded_uri_component(text).ok_or(LzFailure::Null)
    };
    let units = units.map_err(|f| match f {
        LzFailure::Null => DecodeError::Decompress("invalid LZ-string stream"),
        LzFailure::TooLarge => DecodeError::Decompress("decompressed payload too large"),
    })?;
    if units.is_empty() {
        return Err(DecodeError::Decompress("LZ-string stream decompressed to nothing"));
    }
    Ok(lz::utf16_to_string_lossy(&units))
}

/// JSON text → LZ-string → AES-256-CBC → Base64: what the server puts in `response`.
pub fn encrypt_payload(json: &str, key: &ResponseKey) -> String {
    key.encrypt_base64(lz::compress_to_encoded_uri_component(json).as_bytes())
}

/// Parses JSON text as a list: a bare array, or an object with a `list` array.
pub fn parse_list<T: DeserializeOwned>(json: &str) -> Result<Vec<T>, DecodeError> {
    #[derive(Deserialize)]
    struct Wrapped<T> {
        list: Vec<T>,
    }
    match json.trim_start().as_bytes().first() {
        Some(b'{') => parse_typed::<Wrapped<T>>(json).map(|w| w.list),
        _ => parse_typed::<Vec<T>>(json),
    }
}

/// Parses JSON text into `T`; on failure, reports the field path without the value.
pub fn parse_typed<T: DeserializeOwned>(json: &str) -> Result<T, DecodeError> {
    match serde_json::from_str::<T>(json) {
        Ok(v) => Ok(v),
        Err(_) => {
            // Second pass only on failure: it tracks the path, which costs time.
            let de = &mut serde_json::Deserializer::from_str(json);
            match serde_path_to_error::deserialize::<_, T>(de) {
                Ok(v) => Ok(v),
                Err(e) => {
                    let field = e.path().to_string();
                    Err(DecodeError::Schema {
                        field,
                        detail: describe(e.inner()),
                    })
                }
            }
        }
    }
}

/// serde's messages quote the offending value; keep only the expectation.
fn describe(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let text = text.split(" at line ").next().unwrap_or_default();
    if let Some(pos) = text.find("expected") {
        text[pos..].to_owned()
    } else if text.starts_with("missing field") || text.starts_with("duplicate field") {
        text.to_owned()
    } else {
        match err.classify() {
            serde_json::error::Category::Syntax => "invalid JSON syntax".into(),
            serde_json::error::Category::Eof => "JSON ends early".into(),
            _ => "unexpected value".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_spellings_and_code_types() {
        let a = Envelope::parse(br#"{"metadata":{"code":200,"message":"Ok"}}"#).unwrap();
        let b = Envelope::parse(br#"{"metaData":{"code":"201","message":"x"},"response":null}"#).unwrap();
        let c = Envelope::parse(br#"{"response":"","metadata":{"message":"OK","code":1}}"#).unwrap();
        assert_eq!((a.code, a.response), (200, ResponseField::Absent));
        assert_eq!((b.code, b.response), (201, ResponseField::Absent));
        assert_eq!((c.code, c.response), (1, ResponseField::Absent));
    }

    #[test]
    fn html_is_not_json() {
        let err = Envelope::parse(b"<html><body><h1>502 Bad Gateway</h1></body></html>").unwrap_err();
        assert_eq!(
            err,
            DecodeError::NotJson {
                excerpt: "502 Bad Gateway".into()
            }
        );
    }

    #[test]
    fn schema_error_names_field_not_value() {
        let err =
            parse_list::<crate::model::Dokter>(r#"[{"namadokter":"a","kodedokter":"6748373747440003x"}]"#).unwrap_err();
        match err {
            DecodeError::Schema { field, detail } => {
                assert_eq!(field, "[0].kodedokter");
                assert!(!detail.contains("6748373747440003"), "{detail}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn wrapped_list() {
        let v: Vec<i32> = parse_list(r#"{"list":[1,2]}"#).unwrap();
        assert_eq!(v, vec![1, 2]);
    }
}
