//! Client configuration: credentials, where BPJS lives, and the call policy.

use std::time::Duration;

/// Retries for transient failures: exponential backoff with jitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 = never retry).
    pub max_retries: u32,
    /// Delay before the first retry; doubled for each further one.
    pub base_delay: Duration,
    /// Upper bound on one delay.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
        }
    }
}

/// Everything [`crate::Client`] needs. `Debug` hides the secret and the user key.
#[derive(Clone, PartialEq)]
pub struct Config {
    /// `X-cons-id`.
    pub cons_id: String,
    /// Consumer secret: signs requests and derives the response key.
    pub secret: String,
    /// The Antrean RS `user_key` (not VClaim's).
    pub user_key: String,
    /// Service root including the base path, e.g. `https://…/antreanrs` or
    /// `http://127.0.0.1:8080/antreanrs_dev`.
    pub base_url: String,
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Connection timeout.
    pub connect_timeout: Duration,
    /// Requests per second across all calls of one client (`None` = unlimited).
    pub rate_limit_per_second: Option<f64>,
    /// Retry policy for transient failures.
    pub retry: RetryPolicy,
}

impl Config {
    /// A configuration with the default policy: 15 s timeout, 5 requests per second,
    /// 3 retries starting at 500 ms.
    pub fn new(
        cons_id: impl Into<String>,
        secret: impl Into<String>,
        user_key: impl Into<String>,
        base_url: impl Into<String>,
    ) -> Self {
        Self {
            cons_id: cons_id.into(),
            secret: secret.into(),
            user_key: user_key.into(),
            base_url: base_url.into(),
            timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(5),
            rate_limit_per_second: Some(5.0),
            retry: RetryPolicy::default(),
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("cons_id", &self.cons_id)
            .field("secret", &"[hidden]")
            .field("user_key", &"[hidden]")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("rate_limit_per_second", &self.rate_limit_per_second)
            .field("retry", &self.retry)
            .finish()
    }
}
