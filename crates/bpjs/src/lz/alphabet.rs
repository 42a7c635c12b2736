//! The URI-safe alphabet and the bit-order tables shared by both directions.

/// LZ-string's URI-safe alphabet: 6 bits per character, no padding. (The JavaScript string
/// has a 65th character, `$`, whose value 64 has no bit in the 6 that are read: it counts as 0.)
pub(super) const URI_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-";

/// Reverses the low 6 bits. LZ-string writes the first bit of the stream into the most
/// significant bit of each character; reversing lets both directions use an LSB-first buffer.
pub(super) const fn rev6(v: u8) -> u8 {
    ((v & 1) << 5) | ((v & 2) << 3) | ((v & 4) << 1) | ((v & 8) >> 1) | ((v & 16) >> 3) | ((v & 32) >> 5)
}

/// For each input byte, its 6-bit value in stream order. Bytes outside the alphabet count as 0,
/// as `undefined & x` does in JavaScript; a space is read as `+`.
pub(super) static STREAM_BITS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 64 {
        table[URI_ALPHABET[i] as usize] = rev6(i as u8);
        i += 1;
    }
    table[b' ' as usize] = rev6(62);
    table
};

/// For each 6-bit chunk in stream order, the output character.
pub(super) static STREAM_CHAR: [u8; 64] = {
    let mut table = [0u8; 64];
    let mut i = 0;
    while i < 64 {
        table[i] = URI_ALPHABET[rev6(i as u8) as usize];
        i += 1;
    }
    table
};
