//! UTF-16 to UTF-8 with a fast path for ASCII, which is nearly all of a BPJS payload.

/// Converts UTF-16 code units to a `String`; lone surrogates become U+FFFD.
pub(crate) fn utf16_to_string_lossy(units: &[u16]) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(units.len() + units.len() / 8);
    let mut i = 0;
    while i < units.len() {
        // ASCII runs, eight units at a time (the compiler vectorises the OR and the copy).
        while let Some(chunk) = units.get(i..i + 8) {
            if chunk.iter().fold(0u16, |acc, &u| acc | u) >= 0x80 {
                break;
            }
            out.extend(chunk.iter().map(|&u| u as u8));
            i += 8;
        }
        let Some(&unit) = units.get(i) else { break };
        i += 1;
        let c = match unit {
            0..=0x7F => {
                out.push(unit as u8);
                continue;
            }
            0xD800..=0xDBFF => match units.get(i) {
                Some(&low @ 0xDC00..=0xDFFF) => {
                    i += 1;
                    let cp = 0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER)
                }
                _ => char::REPLACEMENT_CHARACTER,
            },
            0xDC00..=0xDFFF => char::REPLACEMENT_CHARACTER,
            _ => char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER),
        };
        let mut buf = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }
    // Every branch above writes whole UTF-8 sequences.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_std_for_valid_text() {
        let text = "Pasién – café ✓ 😀 abcdefghijklmnopqrstuvwxyz 猫";
        let units: Vec<u16> = text.encode_utf16().collect();
        assert_eq!(utf16_to_string_lossy(&units), text);
    }

    #[test]
    fn lone_surrogates_become_replacement() {
        assert_eq!(
            utf16_to_string_lossy(&[0x61, 0xD800, 0x62, 0xDC00]),
            "a\u{FFFD}b\u{FFFD}"
        );
    }
}
