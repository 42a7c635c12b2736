//! Keeping patient numbers out of text that reaches logs, errors or the screen.

/// Replaces every run of at least `min_run` ASCII digits (card numbers, NIK, phone numbers) with
/// `mark(run_length)`; shorter runs (queue numbers, codes, dates) stay.
pub fn digit_runs(text: &str, min_run: usize, mark: impl Fn(usize) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() >= min_run {
            out.push_str(&mark(run.len()));
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::digit_runs;

    #[test]
    fn long_runs_are_replaced_short_ones_kept() {
        let mark = |n: usize| format!("[{n}]");
        assert_eq!(
            digit_runs("NIK 3201234567890123 antrean 12", 8, mark),
            "NIK [16] antrean 12"
        );
        assert_eq!(digit_runs("1234567", 8, mark), "1234567");
        assert_eq!(digit_runs("12345678", 8, mark), "[8]");
        assert_eq!(digit_runs("a0812345678901b", 10, |_| "…".into()), "a…b");
        assert_eq!(digit_runs("", 8, mark), "");
    }
}
