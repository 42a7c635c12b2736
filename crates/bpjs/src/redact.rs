//! Keeping patient data and page noise out of error messages.

/// Longest excerpt of a non-JSON body kept in an error.
pub const EXCERPT_CHARS: usize = 160;

/// Replaces every run of 10 or more digits (card numbers, NIK, phone numbers) with a marker.
pub fn redact_digits(text: &str) -> String {
    loket_core::redact::digit_runs(text, 10, |n| format!("[{n} digit]"))
}

/// A short, readable excerpt of a body: HTML tags, scripts and styles dropped, whitespace
/// collapsed, long digit runs redacted, cut to [`EXCERPT_CHARS`].
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(64 * 1024)]);
    let mut plain = String::new();
    let mut rest: &str = &text;
    while let Some(lt) = rest.find('<') {
        plain.push_str(&rest[..lt]);
        plain.push(' ');
        let after = &rest[lt..];
        let lower: String = after.chars().take(8).collect::<String>().to_ascii_lowercase();
        let skip_to = if lower.starts_with("<script") {
            after.to_ascii_lowercase().find("</script>").map(|i| i + 9)
        } else if lower.starts_with("<style") {
            after.to_ascii_lowercase().find("</style>").map(|i| i + 8)
        } else {
            after.find('>').map(|i| i + 1)
        };
        match skip_to {
            Some(n) => rest = &after[n..],
            None => {
                rest = "";
                break;
            }
        }
    }
    plain.push_str(rest);
    let collapsed = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    let redacted = redact_digits(&collapsed);
    if redacted.chars().count() > EXCERPT_CHARS {
        let mut cut: String = redacted.chars().take(EXCERPT_CHARS).collect();
        cut.push('…');
        cut
    } else {
        redacted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_long_digit_runs_only() {
        assert_eq!(redact_digits("kartu 0001234567890 poli 12"), "kartu [13 digit] poli 12");
    }

    #[test]
    fn strips_html() {
        let page = b"<html><head><title>Request Rejected</title><style>p{}</style></head>\n<body>The requested URL was rejected.<br>Support ID: 12</body></html>";
        assert_eq!(
            excerpt(page),
            "Request Rejected The requested URL was rejected. Support ID: 12"
        );
    }
}
