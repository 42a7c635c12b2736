//! What every service bench needs (each bench is its own binary and includes this module).

/// A size from the environment (`LOKET_BENCH_*`), else `default`.
pub fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The middle of the runs (the upper middle of an even count).
pub fn median<T: PartialOrd + Copy>(runs: &[T]) -> T {
    let mut sorted = runs.to_vec();
    sorted.sort_by(|a, b| a.partial_cmp(b).expect("bench figures are comparable"));
    sorted[sorted.len() / 2]
}
