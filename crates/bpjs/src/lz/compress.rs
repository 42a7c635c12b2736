//! `compressToEncodedURIComponent`.
//!
//! Phrases are identified by their code: the dictionary maps `(code of w, next unit)` to the
//! code of `w + unit`. One JavaScript quirk is kept on purpose: the original stores phrases as
//! keys of a plain object, where assigning the key `"__proto__"` is silently dropped, so that
//! phrase never enters its dictionary (its code is still used up). Matching it keeps the output
//! identical to Node's for any input.

use super::alphabet::STREAM_CHAR;
use super::pair_map::PairMap;
use std::collections::HashMap;

const PROTO: [u16; 9] = [95, 95, 112, 114, 111, 116, 111, 95, 95]; // "__proto__"

/// Writes values LSB-first into 6-bit characters.
struct BitWriter {
    out: Vec<u8>,
    acc: u64,
    nbits: u32,
}

impl BitWriter {
    #[inline(always)]
    fn write(&mut self, n: u32, value: u32) {
        self.acc |= u64::from(value) << self.nbits;
        self.nbits += n;
        while self.nbits >= 6 {
            self.out.push(STREAM_CHAR[(self.acc & 63) as usize]);
            self.acc >>= 6;
            self.nbits -= 6;
        }
    }

    /// JavaScript always appends one more character, zero-padded (even on a boundary).
    fn finish(mut self) -> Vec<u8> {
        self.out.push(STREAM_CHAR[(self.acc & 63) as usize]);
        self.out
    }
}

/// The current phrase `w`: its code, and its unit when it is a single unit.
#[derive(Clone, Copy)]
struct Phrase {
    code: u32,
    single: Option<u16>,
    /// Length of the prefix of `"__proto__"` that `w` equals exactly (0 if none).
    proto: u8,
}

struct Encoder {
    bits: BitWriter,
    /// Single units: code, and whether the literal still has to be written.
    units: HashMap<u16, (u32, bool)>,
    pairs: PairMap,
    dict_size: u32,
    num_bits: u32,
    enlarge_in: u64,
}

impl Encoder {
    #[inline(always)]
    fn shrink_enlarge(&mut self) {
        self.enlarge_in -= 1;
        if self.enlarge_in == 0 {
            self.enlarge_in = 1 << self.num_bits;
            self.num_bits += 1;
        }
    }

    /// Writes the code of `w` (or its literal, the first time), as in the original.
    fn emit(&mut self, w: Phrase) {
        let pending = w.single.and_then(|u| {
            let entry = self.units.get_mut(&u)?;
            std::mem::replace(&mut entry.1, false).then_some(u)
        });
        if let Some(unit) = pending {
            if unit < 256 {
                self.bits.write(self.num_bits, 0);
                self.bits.write(8, u32::from(unit));
            } else {
                self.bits.write(self.num_bits, 1);
                self.bits.write(16, u32::from(unit));
            }
            self.shrink_enlarge();
        } else {
            self.bits.write(self.num_bits, w.code);
        }
        self.shrink_enlarge();
    }
}

/// `compressToEncodedURIComponent` over UTF-16 code units.
pub fn compress_utf16_to_encoded_uri_component(input: &[u16]) -> String {
    let mut enc = Encoder {
        bits: BitWriter {
            out: Vec::with_capacity(input.len() / 3 + 8),
            acc: 0,
            nbits: 0,
        },
        units: HashMap::new(),
        pairs: PairMap::with_capacity(input.len() / 4),
        dict_size: 3,
        num_bits: 2,
        enlarge_in: 2,
    };
    let mut w: Option<Phrase> = None;
    for &unit in input {
        let unit_code = match enc.units.get(&unit) {
            Some(&(code, _)) => code,
            None => {
                let code = enc.dict_size;
                enc.dict_size += 1;
                enc.units.insert(unit, (code, true));
                code
            }
        };
        let single = Phrase {
            code: unit_code,
            single: Some(unit),
            proto: u8::from(unit == PROTO[0]),
        };
        let Some(cur) = w else {
            w = Some(single);
            continue;
        };
        if let Some(code) = enc.pairs.get(cur.code, unit) {
            let k = cur.proto as usize;
            let proto = if k > 0 && k < PROTO.len() && PROTO[k] == unit {
                cur.proto + 1
            } else {
                0
            };
            w = Some(Phrase {
                code,
                single: None,
                proto,
            });
            continue;
        }
        enc.emit(cur);
        let code = enc.dict_size;
        enc.dict_size += 1;
        let is_proto_key = cur.proto as usize == PROTO.len() - 1 && unit == PROTO[PROTO.len() - 1];
        if !is_proto_key {
            enc.pairs.insert_new(cur.code, unit, code);
        }
        w = Some(single);
    }
    if let Some(cur) = w {
        enc.emit(cur);
    }
    enc.bits.write(enc.num_bits, 2);
    let out = enc.bits.finish();
    // The alphabet is ASCII.
    String::from_utf8(out).unwrap_or_default()
}

/// `compressToEncodedURIComponent` of a Rust string (as its UTF-16 code units).
pub fn compress_to_encoded_uri_component(input: &str) -> String {
    let units: Vec<u16> = input.encode_utf16().collect();
    compress_utf16_to_encoded_uri_component(&units)
}
