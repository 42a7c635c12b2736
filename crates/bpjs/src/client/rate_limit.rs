//! Spacing requests: at most N per second, shared by every call of one client.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// The limiter's own accounting, for tests and diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateLimitStats {
    /// Requests let through.
    pub granted: u64,
    /// Of those, how many had to wait.
    pub delayed: u64,
    /// Total time spent waiting.
    pub waited: Duration,
}

/// Grants one request per `interval`; the first is immediate.
pub(crate) struct RateLimiter {
    interval: Option<Duration>,
    next_free: Mutex<Option<Instant>>,
    granted: AtomicU64,
    delayed: AtomicU64,
    waited_nanos: AtomicU64,
}

impl RateLimiter {
    pub(crate) fn new(per_second: Option<f64>) -> Self {
        let interval = per_second
            .filter(|r| r.is_finite() && *r > 0.0)
            .map(|r| Duration::from_secs_f64(1.0 / r));
        Self {
            interval,
            next_free: Mutex::new(None),
            granted: AtomicU64::new(0),
            delayed: AtomicU64::new(0),
            waited_nanos: AtomicU64::new(0),
        }
    }

    /// Waits for this request's slot.
    pub(crate) async fn acquire(&self) {
        self.granted.fetch_add(1, Ordering::Relaxed);
        let Some(interval) = self.interval else { return };
        let slot = {
            let mut next = self.next_free.lock().await;
            let now = Instant::now();
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot + interval);
            slot
        };
        let now = Instant::now();
        if slot > now {
            self.delayed.fetch_add(1, Ordering::Relaxed);
            self.waited_nanos
                .fetch_add((slot - now).as_nanos() as u64, Ordering::Relaxed);
            tokio::time::sleep_until(slot).await;
        }
    }

    pub(crate) fn stats(&self) -> RateLimitStats {
        RateLimitStats {
            granted: self.granted.load(Ordering::Relaxed),
            delayed: self.delayed.load(Ordering::Relaxed),
            waited: Duration::from_nanos(self.waited_nanos.load(Ordering::Relaxed)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "current_thread", start_paused = true)]
    async fn spaces_requests() {
        let limiter = RateLimiter::new(Some(10.0));
        let start = Instant::now();
        for _ in 0..5 {
            limiter.acquire().await;
        }
        // Paused time advances exactly: 4 intervals of 100 ms.
        assert_eq!(start.elapsed(), Duration::from_millis(400));
        let stats = limiter.stats();
        assert_eq!((stats.granted, stats.delayed), (5, 4));
    }

    #[tokio::test(flavor = "current_thread", start_paused = true)]
    async fn unlimited_never_waits() {
        let limiter = RateLimiter::new(None);
        let start = Instant::now();
        for _ in 0..5 {
            limiter.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
    }
}
