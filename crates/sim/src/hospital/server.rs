//! Starting and stopping a dashboard simulator, in the caller's tokio runtime or its own.

use super::config::HospitalConfig;
use super::faults::{HospitalFault, HospitalFaultTable};
use super::mutate::{self, Mutation, MutationReport, Mutations};
use super::routes;
use super::world::World;
use crate::time::wib_date;
use serde::Serialize;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The path of the list endpoint, under the base URL.
pub const LIST_PATH: &str = "/v3/view/view-table/list-filter-access";

/// One request as the simulator saw it. Holds no row data and no header values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HospitalRequest {
    /// `id_laporan_view`, when the body had a number there.
    pub view: Option<u32>,
    /// `pages`, when the body had a number there.
    pub page: Option<u64>,
    /// `limit`, when the body had a number there.
    pub limit: Option<u64>,
    /// Whether `token` and `x-api-key` were both right.
    pub headers_ok: bool,
    /// The HTTP status answered.
    pub status: u16,
    /// The fault applied, by name (`http500`, `duplicate`, …).
    pub fault: Option<String>,
    /// When it arrived (monotonic).
    #[serde(skip)]
    pub at: Instant,
}

/// Mutable state, behind one lock held only for short, non-async sections.
pub(crate) struct HState {
    pub(crate) faults: HospitalFaultTable,
    pub(crate) log: Vec<HospitalRequest>,
    pub(crate) muts: Arc<Mutations>,
}

pub(crate) struct HShared {
    pub(crate) config: HospitalConfig,
    pub(crate) world: World,
    pub(crate) state: Mutex<HState>,
    pub(crate) started: Instant,
    pub(crate) shutdown: watch::Receiver<bool>,
}

impl HShared {
    /// Locks the state; a panic in another request does not poison the simulator.
    pub(crate) fn lock(&self) -> MutexGuard<'_, HState> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn now_ms(&self) -> i64 {
        self.config.clock.unix_millis() as i64
    }

    pub(crate) fn today(&self) -> chrono::NaiveDate {
        wib_date(self.now_ms())
    }

    pub(crate) fn mutate(&self, m: &Mutation) -> MutationReport {
        let today = self.today();
        let now = self.now_ms().div_euclid(1000);
        let mut state = self.lock();
        let (next, report) = mutate::apply(&self.world, today, now, &state.muts, m);
        state.muts = Arc::new(next);
        report
    }

    pub(crate) fn reset_mutations(&self) {
        self.lock().muts = Arc::new(Mutations::default());
    }
}

/// Entry point: `HospitalSim::start(config).await`, or [`HospitalSim::start_blocking`].
pub struct HospitalSim;

impl HospitalSim {
    /// Binds 127.0.0.1:`config.port` (0 = any free port) and serves in the background of the
    /// current tokio runtime until [`HospitalHandle::shutdown`] (or drop).
    pub async fn start(config: HospitalConfig) -> std::io::Result<HospitalHandle> {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
        let addr = listener.local_addr()?;
        let today = wib_date(config.clock.unix_millis() as i64);
        let world = World::generate(&config, today);
        let mut faults = HospitalFaultTable::default();
        for fault in config.faults.iter().rev() {
            faults.add(fault.clone());
        }
        let (stop_tx, stop_rx) = watch::channel(false);
        let shared = Arc::new(HShared {
            config,
            world,
            state: Mutex::new(HState {
                faults,
                log: Vec::new(),
                muts: Arc::new(Mutations::default()),
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
                tracing::error!(error = %e, "dashboard simulator stopped");
            }
        });
        tracing::info!(%addr, "hospital dashboard simulator listening");
        Ok(HospitalHandle {
            addr,
            shared,
            stop: stop_tx,
            task: Some(task),
        })
    }

    /// Starts on a runtime of its own (one worker thread), for callers without one, e.g. the
    /// app's demo mode. Call it outside any tokio runtime.
    pub fn start_blocking(config: HospitalConfig) -> std::io::Result<BlockingHospital> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("loket-hospital-sim")
            .enable_all()
            .build()?;
        let handle = runtime.block_on(Self::start(config))?;
        Ok(BlockingHospital {
            handle: Some(handle),
            runtime: Some(runtime),
        })
    }
}

/// A running dashboard simulator. Dropping it stops the server too (without waiting).
pub struct HospitalHandle {
    addr: SocketAddr,
    shared: Arc<HShared>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl HospitalHandle {
    /// The bound address (always 127.0.0.1).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`: the base URL the list path goes under.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://127.0.0.1:PORT/v3/view/view-table/list-filter-access`.
    pub fn list_url(&self) -> String {
        format!("{}{LIST_PATH}", self.base_url())
    }

    /// The configuration it runs with (credentials included).
    pub fn config(&self) -> &HospitalConfig {
        &self.shared.config
    }

    /// Adds a fault (checked before older ones).
    pub fn add_fault(&self, fault: HospitalFault) {
        self.shared.lock().faults.add(fault);
    }

    /// Removes every fault and its lasting effects.
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// The faults still active.
    pub fn faults(&self) -> Vec<HospitalFault> {
        self.shared.lock().faults.list()
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<HospitalRequest> {
        self.shared.lock().log.clone()
    }

    /// Forgets the request log.
    pub fn clear_requests(&self) {
        self.shared.lock().log.clear();
    }

    /// Cancels, moves or adds bookings: the next generation of the data.
    pub fn mutate(&self, mutation: &Mutation) -> MutationReport {
        self.shared.mutate(mutation)
    }

    /// Back to generation 0 (the data as generated).
    pub fn reset_mutations(&self) {
        self.shared.reset_mutations();
    }

    /// How many mutations the data has been through.
    pub fn generation(&self) -> u64 {
        self.shared.lock().muts.generation
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

impl Drop for HospitalHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// A dashboard simulator on its own runtime ([`HospitalSim::start_blocking`]). Derefs to its
/// [`HospitalHandle`]; dropping it stops the server.
pub struct BlockingHospital {
    handle: Option<HospitalHandle>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl BlockingHospital {
    /// Stops the server and waits for it (up to 5 s). Call it outside any tokio runtime.
    pub fn shutdown(mut self) {
        if let (Some(handle), Some(runtime)) = (self.handle.take(), self.runtime.take()) {
            runtime.block_on(handle.shutdown());
            runtime.shutdown_background();
        }
    }
}

impl std::ops::Deref for BlockingHospital {
    type Target = HospitalHandle;

    fn deref(&self) -> &HospitalHandle {
        self.handle.as_ref().expect("running until shutdown")
    }
}

impl Drop for BlockingHospital {
    fn drop(&mut self) {
        self.handle.take();
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
