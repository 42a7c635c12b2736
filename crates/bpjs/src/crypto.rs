//! AES-256-CBC of the `response` field: key = SHA-256(consid + secret + timestamp),
//! IV = the first 16 bytes of that key, PKCS#7 padding, standard Base64.

use aes::cipher::{block_padding::NoPadding, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

type Decryptor = cbc::Decryptor<aes::Aes256>;
type Encryptor = cbc::Encryptor<aes::Aes256>;

/// Why a ciphertext could not be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecryptError {
    /// The `response` string is not standard Base64.
    #[error("response is not valid Base64")]
    Base64,
    /// The ciphertext is empty or not a whole number of 16-byte blocks.
    #[error("ciphertext length {0} is not a positive multiple of 16")]
    Length(usize),
    /// The padding is not valid PKCS#7: almost always the wrong key (secret or timestamp).
    #[error("invalid PKCS#7 padding (wrong secret, cons id or timestamp?)")]
    Padding,
}

/// The AES key and IV of one request.
#[derive(Clone)]
pub struct ResponseKey {
    key: [u8; 32],
}

impl std::fmt::Debug for ResponseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResponseKey(..)")
    }
}

impl ResponseKey {
    /// SHA-256 of `consid + secret + timestamp` (UTF-8).
    pub fn derive(cons_id: &str, secret: &str, timestamp: &str) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(cons_id.as_bytes());
        hasher.update(secret.as_bytes());
        hasher.update(timestamp.as_bytes());
        Self {
            key: hasher.finalize().into(),
        }
    }

    /// The 32-byte AES key.
    pub fn key(&self) -> &[u8; 32] {
        &self.key
    }

    /// The IV: the first 16 bytes of the key.
    pub fn iv(&self) -> [u8; 16] {
        let mut iv = [0u8; 16];
        iv.copy_from_slice(&self.key[..16]);
        iv
    }

    /// Base64-decodes and decrypts, checking the PKCS#7 padding strictly.
    pub fn decrypt_base64(&self, b64: &str) -> Result<Vec<u8>, DecryptError> {
        let mut buf = STANDARD.decode(b64.trim()).map_err(|_| DecryptError::Base64)?;
        self.decrypt_in_place(&mut buf)?;
        Ok(buf)
    }

    /// Decrypts `buf` in place and truncates the padding.
    pub fn decrypt_in_place(&self, buf: &mut Vec<u8>) -> Result<(), DecryptError> {
        if buf.is_empty() || buf.len() % 16 != 0 {
            return Err(DecryptError::Length(buf.len()));
        }
        let iv = self.iv();
        Decryptor::new(&self.key.into(), &iv.into())
            .decrypt_padded_mut::<NoPadding>(buf)
            .map_err(|_| DecryptError::Padding)?;
        let plain_len = strict_unpad(buf)?;
        buf.truncate(plain_len);
        Ok(())
    }

    /// Encrypts with PKCS#7 padding and Base64-encodes (what the server puts in `response`).
    pub fn encrypt_base64(&self, plain: &[u8]) -> String {
        let pad = 16 - plain.len() % 16;
        let mut buf = Vec::with_capacity(plain.len() + pad);
        buf.extend_from_slice(plain);
        buf.resize(plain.len() + pad, pad as u8);
        let len = buf.len();
        let iv = self.iv();
        // The buffer is a whole number of blocks, so this cannot fail.
        let _ = Encryptor::new(&self.key.into(), &iv.into()).encrypt_padded_mut::<NoPadding>(&mut buf, len);
        STANDARD.encode(&buf)
    }
}

/// Returns the plaintext length after validating PKCS#7: 1..=16, all pad bytes equal.
fn strict_unpad(buf: &[u8]) -> Result<usize, DecryptError> {
    let pad = *buf.last().ok_or(DecryptError::Padding)? as usize;
    if pad == 0 || pad > 16 || pad > buf.len() {
        return Err(DecryptError::Padding);
    }
    let (plain, padding) = buf.split_at(buf.len() - pad);
    if padding.iter().any(|&b| b as usize != pad) {
        return Err(DecryptError::Padding);
    }
    Ok(plain.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_all_lengths() {
        let key = ResponseKey::derive("1", "s", "0");
        for n in 0..40 {
            let plain: Vec<u8> = (0..n as u8).collect();
            let ct = key.encrypt_base64(&plain);
            assert_eq!(key.decrypt_base64(&ct).unwrap(), plain);
        }
    }

    #[test]
    fn wrong_key_is_padding_error_or_garbage() {
        let ct = ResponseKey::derive("1", "s", "0").encrypt_base64(b"NoXSA");
        let other = ResponseKey::derive("1", "s", "1");
        assert_ne!(other.decrypt_base64(&ct).ok(), Some(b"NoXSA".to_vec()));
    }

    #[test]
    fn rejects_bad_lengths_and_base64() {
        let key = ResponseKey::derive("1", "s", "0");
        assert_eq!(key.decrypt_base64(""), Err(DecryptError::Length(0)));
        assert_eq!(key.decrypt_base64("AAAA"), Err(DecryptError::Length(3)));
        assert_eq!(key.decrypt_base64("!!!"), Err(DecryptError::Base64));
    }
}
