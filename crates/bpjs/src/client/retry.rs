//! Backoff delays: exponential, capped, with "equal jitter" (half fixed, half random).

use crate::config::RetryPolicy;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// A small xorshift generator, seeded per process; good enough to spread retries.
pub(crate) struct Jitter(AtomicU64);

impl Jitter {
    pub(crate) fn new() -> Self {
        let seed = RandomState::new().build_hasher().finish() | 1;
        Self(AtomicU64::new(seed))
    }

    fn next(&self) -> u64 {
        let mut x = self.0.load(Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0.store(x, Ordering::Relaxed);
        x
    }
}

/// The delay before retry number `attempt` (0-based): between half and all of
/// `min(max_delay, base_delay * 2^attempt)`.
pub(crate) fn backoff(policy: &RetryPolicy, attempt: u32, jitter: &Jitter) -> Duration {
    let exp = policy
        .base_delay
        .saturating_mul(1u32 << attempt.min(20))
        .min(policy.max_delay);
    let half = exp / 2;
    let spread = half.as_nanos() as u64;
    let extra = if spread == 0 { 0 } else { jitter.next() % (spread + 1) };
    half + Duration::from_nanos(extra)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_and_is_capped() {
        let policy = RetryPolicy {
            max_retries: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
        };
        let jitter = Jitter::new();
        for attempt in 0..8 {
            let d = backoff(&policy, attempt, &jitter);
            let exp = (100u64 << attempt).min(1000);
            assert!(
                d >= Duration::from_millis(exp / 2) && d <= Duration::from_millis(exp),
                "{attempt}: {d:?}"
            );
        }
    }
}
