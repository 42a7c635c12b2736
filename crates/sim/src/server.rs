//! Starting and stopping a simulator inside the caller's tokio runtime.

use crate::bookings::Bookings;
use crate::config::SimConfig;
use crate::faults::{Fault, FaultTable};
use crate::hfis::Hfis;
use crate::routes;
use crate::state::{RecordedRequest, Shared, SimState};
use crate::time::wib_date;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Entry point: `Sim::start(config).await`.
pub struct Sim;

impl Sim {
    /// Binds 127.0.0.1:`config.port` (0 = any free port) and serves in the background of the
    /// current tokio runtime until [`SimHandle::shutdown`] (or drop).
    pub async fn start(config: SimConfig) -> std::io::Result<SimHandle> {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
        let addr = listener.local_addr()?;
        let today = wib_date(config.clock.unix_millis() as i64);
        let window = config
            .schedule_window
            .unwrap_or((today - chrono::Days::new(30), today + chrono::Days::new(120)));
        let hfis = Hfis::generate(config.seed, config.libur_percent, window);
        let mut faults = FaultTable::default();
        for fault in config.faults.iter().rev() {
            faults.add(fault.clone());
        }
        let mut bookings = Bookings::default();
        bookings.invalid_rujukan = config.invalid_rujukan.iter().cloned().collect();
        let (stop_tx, stop_rx) = watch::channel(false);
        let shared = Arc::new(Shared {
            config,
            state: std::sync::Mutex::new(SimState {
                hfis,
                bookings,
                faults,
                log: Vec::new(),
            }),
            started: Instant::now(),
            shutdown: stop_rx.clone(),
        });
        let app = routes::router(shared.clone());
        let mut stop = stop_rx;
        let task = tokio::spawn(async move {
            let graceful = async move {
                let _ = stop.wait_for(|v| *v).await;
            };
            if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(graceful).await {
                tracing::error!(error = %e, "simulator stopped");
            }
        });
        tracing::info!(%addr, "BPJS Antrean RS simulator listening");
        Ok(SimHandle {
            addr,
            shared,
            stop: stop_tx,
            task: Some(task),
        })
    }
}

/// A running simulator. Dropping it stops the server too (without waiting).
pub struct SimHandle {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl SimHandle {
    /// The bound address (always 127.0.0.1).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/antreanrs_dev`: the development base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}/antreanrs_dev", self.addr)
    }

    /// `http://127.0.0.1:PORT/antreanrs`: the production-style base URL.
    pub fn base_url_prod(&self) -> String {
        format!("http://{}/antreanrs", self.addr)
    }

    /// The configuration it runs with (credentials included).
    pub fn config(&self) -> &SimConfig {
        &self.shared.config
    }

    /// Adds a fault (checked before older ones).
    pub fn add_fault(&self, fault: Fault) {
        self.shared.lock().faults.add(fault);
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().log.clone()
    }

    /// How many requests hit endpoints named `endpoint` or starting with `endpoint/`.
    pub fn request_count(&self, endpoint: &str) -> usize {
        let prefix = format!("{endpoint}/");
        self.shared
            .lock()
            .log
            .iter()
            .filter(|r| r.endpoint == endpoint || r.endpoint.starts_with(&prefix))
            .count()
    }

    /// Forgets the request log.
    pub fn clear_requests(&self) {
        self.shared.lock().log.clear();
    }

    /// Runs `f` on the generated reference data (e.g. to pick a real doctor and slot).
    pub fn with_hfis<R>(&self, f: impl FnOnce(&Hfis) -> R) -> R {
        f(&self.shared.lock().hfis)
    }

    /// Stops accepting requests, ends delayed answers, and waits (up to 5 s) for the server.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(mut task) = self.task.take() {
            if tokio::time::timeout(Duration::from_secs(5), &mut task).await.is_err() {
                task.abort();
            }
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}
