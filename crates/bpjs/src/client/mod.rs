//! The async HTTP client: signing, rate limit, timeouts, retries, envelope classification.

mod rate_limit;
mod retry;

pub use rate_limit::RateLimitStats;

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::crypto::ResponseKey;
use crate::envelope::{DecodeError, Envelope};
use crate::error::{Error, Result};
use crate::redact::excerpt;
use crate::signature::SignedHeaders;
use rate_limit::RateLimiter;
use retry::{backoff, Jitter};
use serde::Serialize;
use std::sync::Arc;

/// Content type the TrustMark samples prescribe for POST bodies (which are JSON anyway).
const POST_CONTENT_TYPE: &str = "Application/x-www-form-urlencoded";

/// A BPJS Antrean RS client. Cheap to clone; clones share the rate limit.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    config: Config,
    base: String,
    clock: Arc<dyn Clock>,
    limiter: RateLimiter,
    jitter: Jitter,
}

/// A parsed answer and the key of the request that produced it.
pub(crate) struct Answer {
    pub(crate) envelope: Envelope,
    pub(crate) key: ResponseKey,
}

enum Body {
    Get,
    Post(Vec<u8>),
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client using the operating system's clock for `X-timestamp`.
    pub fn new(config: Config) -> Result<Self> {
        Self::with_clock(config, Arc::new(SystemClock))
    }

    /// A client with an injected clock.
    pub fn with_clock(config: Config, clock: Arc<dyn Clock>) -> Result<Self> {
        let base = config.base_url.trim_end_matches('/').to_owned();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(Error::Config("base_url must start with http:// or https://".into()));
        }
        if config.cons_id.is_empty() || config.secret.is_empty() {
            return Err(Error::Config("cons_id and secret are required".into()));
        }
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {e}")))?;
        let limiter = RateLimiter::new(config.rate_limit_per_second);
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                base,
                clock,
                limiter,
                jitter: Jitter::new(),
                config,
            }),
        })
    }

    /// The configuration in use.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// How many requests the rate limiter let through, and how long they waited.
    pub fn rate_limit_stats(&self) -> RateLimitStats {
        self.inner.limiter.stats()
    }

    pub(crate) async fn get(&self, label: &'static str, path: &str) -> Result<Answer> {
        self.send(label, path, Body::Get).await
    }

    pub(crate) async fn post<B: Serialize>(&self, label: &'static str, path: &str, body: &B) -> Result<Answer> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Config(format!("request body: {e}")))?;
        self.send(label, path, Body::Post(bytes)).await
    }

    async fn send(&self, label: &'static str, path: &str, body: Body) -> Result<Answer> {
        let policy = self.inner.config.retry;
        let mut attempt = 0u32;
        loop {
            self.inner.limiter.acquire().await;
            match self.send_once(path, &body).await {
                Err(e) if e.is_transient() && attempt < policy.max_retries => {
                    let delay = backoff(&policy, attempt, &self.inner.jitter);
                    tracing::warn!(
                        endpoint = label,
                        attempt,
                        code = e.code(),
                        ?delay,
                        "BPJS call failed, retrying"
                    );
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Err(e) => {
                    tracing::warn!(endpoint = label, attempt, code = e.code(), "BPJS call failed");
                    return Err(e);
                }
                Ok(answer) => {
                    tracing::debug!(endpoint = label, attempt, code = answer.envelope.code, "BPJS answered");
                    return Ok(answer);
                }
            }
        }
    }

    async fn send_once(&self, path: &str, body: &Body) -> Result<Answer> {
        let inner = &self.inner;
        let cfg = &inner.config;
        let signed = SignedHeaders::new(&cfg.cons_id, &cfg.secret, &cfg.user_key, inner.clock.unix_seconds());
        let url = format!("{}/{}", inner.base, path);
        let mut request = match body {
            Body::Get => inner.http.get(&url),
            Body::Post(bytes) => inner
                .http
                .post(&url)
                .header(reqwest::header::CONTENT_TYPE, POST_CONTENT_TYPE)
                .body(bytes.clone()),
        };
        for (name, value) in signed.pairs() {
            request = request.header(name, value);
        }
        request = request.header(reqwest::header::ACCEPT, "application/json");
        let response = request.send().await?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await?;
        let envelope = match Envelope::parse(&bytes) {
            Ok(envelope) => envelope,
            Err(DecodeError::NotJson { excerpt: text }) => {
                return Err(if (200..300).contains(&status) {
                    Error::NotJson { status, excerpt: text }
                } else {
                    Error::Http { status, excerpt: text }
                });
            }
            Err(other) if !(200..300).contains(&status) => {
                tracing::debug!(error = %other, "non-2xx body with a malformed envelope");
                return Err(Error::Http {
                    status,
                    excerpt: excerpt(&bytes),
                });
            }
            Err(other) => return Err(other.into()),
        };
        // A failure envelope under a retryable HTTP status (gateway trouble) stays retryable.
        let retryable_status = status == 408 || status == 429 || status >= 500;
        if retryable_status && !matches!(envelope.code, 1 | 200 | 204 | 208) {
            return Err(Error::Http {
                status,
                excerpt: crate::redact::redact_digits(&envelope.message),
            });
        }
        Ok(Answer {
            envelope,
            key: signed.response_key,
        })
    }
}
