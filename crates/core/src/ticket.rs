//! Queue tickets for thermal receipt printers: plain text laid out for 58 mm (32 columns) or
//! 80 mm (48 columns) paper, and its ESC/POS byte stream. Pure: the caller sends the bytes.

use serde::{Deserialize, Serialize};

/// What a ticket says. Every field is already formatted for the clerk's locale (WIB times).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Ticket {
    pub hospital_name: String,
    pub poli: String,
    pub doctor_name: String,
    pub code: String,
    pub date_label: String,
    pub slot_label: String,
    /// Estimated time of service, `HH:MM WIB`, when the token has a place.
    pub estimate_label: Option<String>,
    pub jenis_label: String,
    pub status_label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Paper {
    #[serde(rename = "58")]
    Mm58,
    #[serde(rename = "80")]
    Mm80,
}

impl Paper {
    pub fn columns(self) -> usize {
        match self {
            Paper::Mm58 => 32,
            Paper::Mm80 => 48,
        }
    }
    pub fn parse(s: &str) -> crate::Result<Paper> {
        match s.trim().trim_end_matches("mm").trim() {
            "58" => Ok(Paper::Mm58),
            "80" => Ok(Paper::Mm80),
            _ => Err(crate::Error::invalid("Lebar kertas printer harus 58 atau 80 (mm).")),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Paper::Mm58 => "58",
            Paper::Mm80 => "80",
        }
    }
}

const ESC: u8 = 0x1B;
const GS: u8 = 0x1D;

/// Thermal printers print one byte per character: anything outside printable ASCII becomes `?`.
fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| if c == ' ' || c.is_ascii_graphic() { c } else { '?' })
        .collect()
}

/// Wraps `text` at word boundaries into lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in ascii(text).split_whitespace() {
        let mut word = word.to_string();
        while word.len() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let rest = word.split_off(width);
            lines.push(word);
            word = rest;
        }
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn center(s: &str, width: usize) -> String {
    let pad = width.saturating_sub(s.len()) / 2;
    format!("{}{}", " ".repeat(pad), s)
}

/// The ticket as text lines (the screen preview and the printed body).
pub fn lines(t: &Ticket, paper: Paper) -> Vec<String> {
    let w = paper.columns();
    let mut out: Vec<String> = wrap(&t.hospital_name, w).iter().map(|l| center(l, w)).collect();
    out.push("-".repeat(w));
    out.extend(wrap(&format!("Poli {}", t.poli), w).iter().map(|l| center(l, w)));
    out.extend(wrap(&t.doctor_name, w).iter().map(|l| center(l, w)));
    out.push(String::new());
    out.push(center("NOMOR ANTREAN", w));
    out.push(center(&ascii(&t.code), w));
    out.push(String::new());
    let row = |k: &str, v: &str| {
        let v = ascii(v);
        let gap = w.saturating_sub(k.len() + v.len()).max(1);
        format!("{k}{}{v}", " ".repeat(gap))
    };
    out.push(row("Tanggal", &t.date_label));
    out.push(row("Jam praktik", &t.slot_label));
    if let Some(e) = &t.estimate_label {
        out.push(row("Perkiraan dilayani", e));
    }
    out.push(row("Penjamin", &t.jenis_label));
    out.push(row("Status", &t.status_label));
    out.push("-".repeat(w));
    out.extend(
        wrap("Simpan karcis ini dan tunggu nomor Anda dipanggil.", w)
            .iter()
            .map(|l| center(l, w)),
    );
    out
}

/// The ESC/POS byte stream: initialise, the body with the code in double size, feed and cut.
pub fn escpos(t: &Ticket, paper: Paper) -> Vec<u8> {
    let code = center(&ascii(&t.code), paper.columns() / 2);
    let mut out = vec![ESC, b'@'];
    for line in lines(t, paper) {
        if line.trim() == ascii(&t.code) {
            out.extend_from_slice(&[GS, b'!', 0x11, ESC, b'E', 1]);
            out.extend_from_slice(code.as_bytes());
            out.extend_from_slice(&[b'\n', ESC, b'E', 0, GS, b'!', 0x00]);
        } else {
            out.extend_from_slice(line.as_bytes());
            out.push(b'\n');
        }
    }
    out.extend_from_slice(&[ESC, b'd', 4, GS, b'V', 66, 0]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket() -> Ticket {
        Ticket {
            hospital_name: "RSUD Sehat Sentosa Kabupaten Contoh".into(),
            poli: "ANA Anak".into(),
            doctor_name: "dr. Siti Aminah, Sp.A".into(),
            code: "ANA-007".into(),
            date_label: "19/01/2026".into(),
            slot_label: "08:00-09:00".into(),
            estimate_label: Some("08:36 WIB".into()),
            jenis_label: "JKN".into(),
            status_label: "Terkonfirmasi".into(),
        }
    }

    #[test]
    fn lines_fit_the_paper() {
        for paper in [Paper::Mm58, Paper::Mm80] {
            let ls = lines(&ticket(), paper);
            assert!(ls.iter().all(|l| l.len() <= paper.columns()), "{paper:?}: {ls:#?}");
            assert!(ls.iter().any(|l| l.trim() == "ANA-007"));
            assert!(ls
                .iter()
                .any(|l| l.starts_with("Perkiraan dilayani") && l.ends_with("08:36 WIB")));
        }
        assert_eq!(lines(&ticket(), Paper::Mm58)[0].trim(), "RSUD Sehat Sentosa Kabupaten");
    }

    #[test]
    fn escpos_bytes_are_exact() {
        let b = escpos(&ticket(), Paper::Mm58);
        assert_eq!(&b[..2], &[ESC, b'@'], "initialise first");
        assert_eq!(&b[b.len() - 7..], &[ESC, b'd', 4, GS, b'V', 66, 0], "feed and cut last");
        let big = [GS, b'!', 0x11, ESC, b'E', 1];
        let at = b
            .windows(big.len())
            .position(|w| w == big)
            .expect("double-size bold code");
        let after = &b[at + big.len()..];
        let end = after.iter().position(|&c| c == b'\n').unwrap();
        assert_eq!(std::str::from_utf8(&after[..end]).unwrap().trim(), "ANA-007");
        assert!(b.iter().all(|&c| c < 0x80), "ASCII only");
    }

    #[test]
    fn non_ascii_is_replaced_and_long_words_are_cut() {
        let mut t = ticket();
        t.doctor_name = "dr. Ñoño Überlangername-tanpa-spasi-sama-sekali-dan-panjang".into();
        let ls = lines(&t, Paper::Mm58);
        assert!(ls.iter().all(|l| l.is_ascii() && l.len() <= 32));
        assert!(ls.iter().any(|l| l.contains("?o?o")));
    }

    #[test]
    fn paper_sizes() {
        assert_eq!(Paper::parse("58").unwrap(), Paper::Mm58);
        assert_eq!(Paper::parse("80mm").unwrap(), Paper::Mm80);
        assert!(Paper::parse("76").is_err());
    }
}
