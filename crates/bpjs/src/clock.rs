//! The source of `X-timestamp`: injected, so tests and the simulator control time.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Seconds since 1970-01-01 UTC.
pub trait Clock: Send + Sync {
    /// The current Unix time in whole seconds (UTC, never local time).
    fn unix_seconds(&self) -> u64;

    /// The current Unix time in milliseconds. Defaults to whole seconds × 1000.
    fn unix_millis(&self) -> u64 {
        self.unix_seconds() * 1000
    }
}

impl<F> Clock for F
where
    F: Fn() -> u64 + Send + Sync,
{
    fn unix_seconds(&self) -> u64 {
        self()
    }
}

/// The operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl SystemClock {
    #[allow(clippy::disallowed_methods)] // the one place in this crate that reads the OS clock
    fn since_epoch() -> std::time::Duration {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
    }
}

impl Clock for SystemClock {
    fn unix_seconds(&self) -> u64 {
        // floor(millis / 1000), as the spec asks
        Self::since_epoch().as_secs()
    }

    fn unix_millis(&self) -> u64 {
        Self::since_epoch().as_millis() as u64
    }
}

/// A clock that stands still until told otherwise (tests, demos).
#[derive(Debug, Clone, Default)]
pub struct ManualClock {
    millis: Arc<AtomicU64>,
}

impl ManualClock {
    /// A clock showing `unix_seconds`.
    pub fn at(unix_seconds: u64) -> Self {
        Self {
            millis: Arc::new(AtomicU64::new(unix_seconds * 1000)),
        }
    }

    /// Sets the time in seconds.
    pub fn set(&self, unix_seconds: u64) {
        self.millis.store(unix_seconds * 1000, Ordering::SeqCst);
    }

    /// Moves the time forward.
    pub fn advance_millis(&self, millis: u64) {
        self.millis.fetch_add(millis, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn unix_seconds(&self) -> u64 {
        self.millis.load(Ordering::SeqCst) / 1000
    }

    fn unix_millis(&self) -> u64 {
        self.millis.load(Ordering::SeqCst)
    }
}
