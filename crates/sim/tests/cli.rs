//! The `loket-sim` binary: flags, printed credentials, faults from the command line.

use loket_bpjs::{Client, Config, Error, RetryPolicy};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Kills the simulator we started, even when an assertion fails.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn binary_serves_with_flags_and_faults() {
    let mut child = KillOnDrop(
        Command::new(env!("CARGO_BIN_EXE_loket-sim"))
            .args([
                "--port",
                "0",
                "--seed",
                "3",
                "--fault",
                "ref/poli=message:Sedang pemeliharaan",
            ])
            .stdout(Stdio::piped())
            .spawn()
            .expect("loket-sim starts"),
    );
    let mut lines = BufReader::new(child.0.stdout.take().expect("stdout")).lines();
    let mut printed = Vec::new();
    while let Some(Ok(line)) = lines.next() {
        let done = line.starts_with("Ctrl-C");
        printed.push(line);
        if done {
            break;
        }
    }
    let value = |key: &str| {
        printed
            .iter()
            .find_map(|l| l.trim().strip_prefix(key).map(|v| v.trim().to_owned()))
            .unwrap_or_else(|| panic!("`{key}` not printed: {printed:?}"))
    };
    let base = value("base URL (dev):");
    assert!(
        base.starts_with("http://127.0.0.1:") && base.ends_with("/antreanrs_dev"),
        "{base}"
    );
    let mut config = Config::new(value("cons_id:"), value("secret:"), value("user_key:"), base);
    config.retry = RetryPolicy {
        max_retries: 0,
        base_delay: Duration::ZERO,
        max_delay: Duration::ZERO,
    };
    let client = Client::new(config).expect("client");
    let dokter = client.ref_dokter().await;
    let poli = client.ref_poli().await;
    drop(child);
    assert!(!dokter.expect("ref/dokter").is_empty());
    assert_eq!(
        poli.unwrap_err(),
        Error::Business {
            code: 201,
            message: "Sedang pemeliharaan".into()
        }
    );
}
