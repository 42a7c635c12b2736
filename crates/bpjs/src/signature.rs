//! Request signing: the four headers every Antrean RS call carries.

use crate::crypto::ResponseKey;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Header names as BPJS documents them (HTTP treats them case-insensitively).
pub mod header {
    /// The consumer id.
    pub const CONS_ID: &str = "X-cons-id";
    /// Unix seconds, UTC.
    pub const TIMESTAMP: &str = "X-timestamp";
    /// Base64(HMAC-SHA256(secret, consid&timestamp)).
    pub const SIGNATURE: &str = "X-signature";
    /// The Antrean RS user key (not the VClaim one).
    pub const USER_KEY: &str = "user_key";
}

/// Base64 HMAC-SHA256 of `message` keyed by `key` (44 characters).
pub fn hmac_sha256_base64(key: &str, message: &str) -> String {
    // HMAC accepts keys of any length.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(message.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// `X-signature` for `consid&timestamp`.
pub fn signature(cons_id: &str, secret: &str, timestamp: &str) -> String {
    hmac_sha256_base64(secret, &format!("{cons_id}&{timestamp}"))
}

/// Checks a received signature in constant time (for the simulator).
pub fn verify_signature(cons_id: &str, secret: &str, timestamp: &str, received: &str) -> bool {
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(format!("{cons_id}&{timestamp}").as_bytes());
    match STANDARD.decode(received.trim()) {
        Ok(tag) => mac.verify_slice(&tag).is_ok(),
        Err(_) => false,
    }
}

/// The headers of one request, and the key that opens its response.
///
/// One timestamp per request: the same string is signed, sent and used for decryption.
#[derive(Debug, Clone)]
pub struct SignedHeaders {
    /// `X-cons-id`.
    pub cons_id: String,
    /// `X-timestamp`, decimal seconds.
    pub timestamp: String,
    /// `X-signature`.
    pub signature: String,
    /// `user_key`.
    pub user_key: String,
    /// Opens this request's `response`.
    pub response_key: ResponseKey,
}

impl SignedHeaders {
    /// Signs a request made at `unix_seconds`.
    pub fn new(cons_id: &str, secret: &str, user_key: &str, unix_seconds: u64) -> Self {
        let timestamp = unix_seconds.to_string();
        Self {
            cons_id: cons_id.to_owned(),
            signature: signature(cons_id, secret, &timestamp),
            response_key: ResponseKey::derive(cons_id, secret, &timestamp),
            user_key: user_key.to_owned(),
            timestamp,
        }
    }

    /// The headers as (name, value) pairs, in the documented spelling.
    pub fn pairs(&self) -> [(&'static str, &str); 4] {
        [
            (header::CONS_ID, &self.cons_id),
            (header::TIMESTAMP, &self.timestamp),
            (header::SIGNATURE, &self.signature),
            (header::USER_KEY, &self.user_key),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_example() {
        assert_eq!(
            hmac_sha256_base64("bbb", "aaa"),
            "20BKS3PWnD3XU4JbSSZvVlGi2WWnDa8Sv9uHJ+wsELA="
        );
        assert_eq!(
            signature("1234", "pwd", "433223232"),
            "eXMtvX2r7e7CLCIu3kpEpCrvciZgK8FuOhKv06NDAHk="
        );
        assert!(verify_signature(
            "1234",
            "pwd",
            "433223232",
            "eXMtvX2r7e7CLCIu3kpEpCrvciZgK8FuOhKv06NDAHk="
        ));
        assert!(!verify_signature(
            "1234",
            "pwd",
            "433223233",
            "eXMtvX2r7e7CLCIu3kpEpCrvciZgK8FuOhKv06NDAHk="
        ));
    }
}
