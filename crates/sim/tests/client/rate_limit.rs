//! The rate limit, checked on the simulator's arrival instants (lower bounds only, so a slow
//! machine cannot make it flake) and on the limiter's own accounting.

use crate::support::world;
use std::time::Duration;

#[tokio::test]
async fn concurrent_calls_are_spaced() {
    let w = world().await;
    let mut config = w.config();
    config.rate_limit_per_second = Some(20.0);
    let client = w.client_with(config);
    let n = 8;
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.ref_dokter().await.map(|d| d.len()) })
        })
        .collect();
    for t in tasks {
        assert!(t.await.unwrap().unwrap() > 0);
    }
    let mut instants: Vec<_> = w.sim.requests().into_iter().map(|r| r.at).collect();
    instants.sort();
    assert_eq!(instants.len(), n);
    let span = instants[n - 1] - instants[0];
    // 7 intervals of 50 ms; allow 20% for timer and scheduling granularity.
    assert!(span >= Duration::from_millis(280), "span {span:?}");
    for pair in instants.windows(2) {
        assert!(
            pair[1] - pair[0] >= Duration::from_millis(30),
            "gap {:?}",
            pair[1] - pair[0]
        );
    }
    let stats = client.rate_limit_stats();
    assert_eq!(stats.granted, n as u64);
    assert!(
        stats.delayed >= n as u64 - 1 && stats.waited >= Duration::from_millis(350 * 8 / 10),
        "{stats:?}"
    );
}
