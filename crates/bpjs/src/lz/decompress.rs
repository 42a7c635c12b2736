//! `decompressFromEncodedURIComponent`.
//!
//! Every dictionary entry is a run of the output already written: a literal is the unit just
//! emitted, and `w + entry[0]` is the previous phrase followed by the first unit of the next
//! one, which in the output sit side by side. So the dictionary stores `(offset, len)` pairs
//! and each phrase is a copy within the output buffer, with no per-phrase allocation.

use super::alphabet::STREAM_BITS;
use super::utf16::utf16_to_string_lossy;

/// Upper bound on decompressed code units: a crafted stream can grow quadratically.
pub(crate) const DEFAULT_MAX_UNITS: usize = 256 * 1024 * 1024;

/// Why a stream did not decompress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LzFailure {
    /// The JavaScript library returns `null` (empty input, or a reference past the dictionary).
    Null,
    /// The output would exceed the configured bound.
    TooLarge,
}

/// Reads LSB-first from the 6-bit characters, with JavaScript's "zeros past the end".
struct BitReader<'a> {
    input: &'a [u8],
    pos: usize,
    buf: u64,
    nbits: u32,
    consumed: u64,
}

impl<'a> BitReader<'a> {
    fn new(input: &'a [u8]) -> Self {
        Self {
            input,
            pos: 0,
            buf: 0,
            nbits: 0,
            consumed: 0,
        }
    }

    #[inline(always)]
    fn read(&mut self, n: u32) -> u32 {
        if self.nbits < n {
            self.refill();
        }
        let value = (self.buf & ((1u64 << n) - 1)) as u32;
        self.buf >>= n;
        self.nbits -= n;
        self.consumed += u64::from(n);
        value
    }

    #[inline(always)]
    fn refill(&mut self) {
        while self.nbits <= 58 {
            let bits = match self.input.get(self.pos) {
                Some(&b) => STREAM_BITS[b as usize],
                None => 0,
            };
            self.buf |= u64::from(bits) << self.nbits;
            self.nbits += 6;
            self.pos += 1;
        }
    }
}

/// Decompresses ASCII input (one byte per UTF-16 code unit) into UTF-16 code units.
///
/// `Ok(empty)` is JavaScript's `""` (end marker first, or input exhausted without one).
pub(crate) fn decompress_ascii(input: &[u8], max_units: usize) -> Result<Vec<u16>, LzFailure> {
    if input.is_empty() {
        return Err(LzFailure::Null);
    }
    // JavaScript stops with "" once `data.index > length`, i.e. every input bit has been read.
    let limit = input.len() as u64 * 6;
    let mut reader = BitReader::new(input);
    let first = match reader.read(2) {
        0 => reader.read(8),
        1 => reader.read(16),
        2 => return Ok(Vec::new()),
        // JavaScript continues with `undefined` here and yields garbage or throws.
        _ => return Err(LzFailure::Null),
    };

    let mut out: Vec<u16> = Vec::with_capacity(input.len().saturating_mul(4).min(max_units));
    out.push(first as u16);
    // Codes 0..=2 are reserved; entry `i` of `dict` is code `i + 3`.
    let mut dict: Vec<(u32, u32)> = Vec::with_capacity(input.len() / 2 + 8);
    dict.push((0, 1));
    let mut w: (u32, u32) = (0, 1);
    let mut num_bits: u32 = 3;
    let mut enlarge_in: u64 = 4;

    loop {
        if reader.consumed >= limit {
            return Ok(Vec::new());
        }
        if num_bits > 40 {
            return Err(LzFailure::TooLarge);
        }
        let code = reader.read(num_bits) as usize;
        let entry_off = out.len() as u32;
        let entry_len = match code {
            0 | 1 => {
                let unit = reader.read(if code == 0 { 8 } else { 16 }) as u16;
                dict.push((entry_off, 1));
                enlarge_in -= 1;
                if enlarge_in == 0 {
                    enlarge_in = 1 << num_bits;
                    num_bits += 1;
                }
                out.push(unit);
                1
            }
            2 => return Ok(out),
            _ => {
                let dict_size = dict.len() + 3;
                if code < dict_size {
                    let (off, len) = dict[code - 3];
                    if out.len() + len as usize > max_units {
                        return Err(LzFailure::TooLarge);
                    }
                    let start = off as usize;
                    out.extend_from_within(start..start + len as usize);
                    len
                } else if code == dict_size {
                    let (off, len) = w;
                    if out.len() + len as usize + 1 > max_units {
                        return Err(LzFailure::TooLarge);
                    }
                    let start = off as usize;
                    out.extend_from_within(start..start + len as usize);
                    out.push(out[start]);
                    len + 1
                } else {
                    return Err(LzFailure::Null);
                }
            }
        };
        // The new phrase `w + entry[0]` is the output run starting at `w`.
        dict.push((w.0, w.1 + 1));
        enlarge_in -= 1;
        w = (entry_off, entry_len);
        if enlarge_in == 0 {
            enlarge_in = 1 << num_bits;
            num_bits += 1;
        }
        if out.len() >= max_units {
            return Err(LzFailure::TooLarge);
        }
    }
}

/// Maps any `&str` to one byte per UTF-16 code unit: non-ASCII units are outside the alphabet.
fn to_unit_bytes(input: &str) -> std::borrow::Cow<'_, [u8]> {
    if input.is_ascii() {
        std::borrow::Cow::Borrowed(input.as_bytes())
    } else {
        std::borrow::Cow::Owned(
            input
                .encode_utf16()
                .map(|u| if u < 0x80 { u as u8 } else { 0 })
                .collect(),
        )
    }
}

/// `decompressFromEncodedURIComponent`, returning UTF-16 code units exactly as JavaScript
/// would. `None` stands for JavaScript's `null`; garbage usually yields `Some(vec![])` (`""`).
pub fn decompress_utf16_from_encoded_uri_component(input: &str) -> Option<Vec<u16>> {
    decompress_ascii(&to_unit_bytes(input), DEFAULT_MAX_UNITS).ok()
}

/// `decompressFromEncodedURIComponent` as a Rust string. Lone surrogates (which JavaScript
/// would keep) become U+FFFD. `None` stands for JavaScript's `null`.
pub fn decompress_from_encoded_uri_component(input: &str) -> Option<String> {
    decompress_utf16_from_encoded_uri_component(input).map(|units| utf16_to_string_lossy(&units))
}
