//! LZ-string's URI-safe encoding (`compressToEncodedURIComponent` /
//! `decompressFromEncodedURIComponent`), bit-for-bit like the npm `lz-string` 1.5.0 package.
//!
//! Like the JavaScript original, the algorithm works on UTF-16 code units, so text outside the
//! Basic Multilingual Plane (emoji) compresses to exactly the same string as in Node.
//! The `*_utf16` functions expose the code units; the `&str` functions convert at the edges.

mod alphabet;
mod compress;
mod decompress;
mod pair_map;
mod utf16;

pub use compress::{compress_to_encoded_uri_component, compress_utf16_to_encoded_uri_component};
pub(crate) use decompress::{decompress_ascii, LzFailure, DEFAULT_MAX_UNITS};
pub use decompress::{decompress_from_encoded_uri_component, decompress_utf16_from_encoded_uri_component};
pub(crate) use utf16::utf16_to_string_lossy;
