//! `loket-sim --port P --seed S [--fault ENDPOINT=KIND ...] [--hospital-port P ...]`: the
//! simulator as a program.

use clap::Parser;
use loket_sim::hospital::{HospitalConfig, HospitalFault, HospitalSim, LIST_PATH};
use loket_sim::{Fault, Sim, SimConfig};

/// A local simulator of BPJS Antrean RS (127.0.0.1 only).
#[derive(Parser, Debug)]
#[command(name = "loket-sim", version)]
struct Args {
    /// Port on 127.0.0.1 (0 = any free port).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Seed of the generated hospital.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Fault, repeatable: ENDPOINT[@TIMES]=KIND[:ARG] with KIND one of http500, http429,
    /// delay[:MS], html, malformed, wrong-key, message[:TEXT]; ENDPOINT may be a prefix or `*`.
    #[arg(long = "fault", value_parser = Fault::parse)]
    faults: Vec<Fault>,
    /// Consumer id to accept.
    #[arg(long, env = "LOKET_SIM_CONS_ID", default_value = loket_sim::DEMO_CONS_ID)]
    cons_id: String,
    /// Consumer secret to accept.
    #[arg(long, env = "LOKET_SIM_SECRET", default_value = loket_sim::DEMO_SECRET)]
    secret: String,
    /// Antrean user_key to accept.
    #[arg(long, env = "LOKET_SIM_USER_KEY", default_value = loket_sim::DEMO_USER_KEY)]
    user_key: String,
    /// Accepted X-timestamp drift in seconds (0 = no check).
    #[arg(long, default_value_t = 300)]
    tolerance: u64,
    /// Also serve the hospital dashboard API on this port of 127.0.0.1 (0 = any free port);
    /// not served without it.
    #[arg(long)]
    hospital_port: Option<u16>,
    /// Dashboard `token` header to accept.
    #[arg(long, env = "LOKET_SIM_DASHBOARD_TOKEN", default_value = loket_sim::DEMO_DASHBOARD_TOKEN)]
    hospital_token: String,
    /// Dashboard `x-api-key` header to accept.
    #[arg(long, env = "LOKET_SIM_DASHBOARD_API_KEY", default_value = loket_sim::DEMO_DASHBOARD_API_KEY)]
    hospital_api_key: String,
    /// Dashboard fault, repeatable: VIEW[:PAGE][@TIMES]=KIND[:ARG] with VIEW an id_laporan_view
    /// or `*`, KIND one of http500, delay[:MS], html[:200|502], count-drift:±D, duplicate[:ROWS],
    /// malformed-row[:wrong-type|missing-key|null-key], truncated.
    #[arg(long = "hospital-fault", value_parser = HospitalFault::parse)]
    hospital_faults: Vec<HospitalFault>,
    /// BOOKING_PASIEN (239) bookings registered per day.
    #[arg(long)]
    hospital_bookings_per_day: Option<u32>,
    /// KUNJUNGAN (310) everyday visits per day, besides DM/HT controls.
    #[arg(long)]
    hospital_visits_per_day: Option<u32>,
    /// Days of history before today.
    #[arg(long)]
    hospital_history_days: Option<u32>,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let config = SimConfig {
        seed: args.seed,
        port: args.port,
        cons_id: args.cons_id,
        secret: args.secret,
        user_key: args.user_key,
        faults: args.faults,
        timestamp_tolerance: (args.tolerance > 0).then(|| std::time::Duration::from_secs(args.tolerance)),
        ..SimConfig::default()
    };
    let hospital_config = args.hospital_port.map(|port| {
        let base = HospitalConfig::matching(&config);
        HospitalConfig {
            port,
            token: args.hospital_token,
            api_key: args.hospital_api_key,
            faults: args.hospital_faults,
            bookings_per_day: args.hospital_bookings_per_day.unwrap_or(base.bookings_per_day),
            visits_per_day: args.hospital_visits_per_day.unwrap_or(base.visits_per_day),
            history_days: args.hospital_history_days.unwrap_or(base.history_days),
            ..base
        }
    });
    let sim = Sim::start(config).await?;
    let hospital = match hospital_config {
        Some(c) => Some(HospitalSim::start(c).await?),
        None => None,
    };
    let c = sim.config();
    println!("loket-sim: BPJS Antrean RS simulator (seed {})", c.seed);
    println!("  base URL (dev):  {}", sim.base_url());
    println!("  base URL (prod): {}", sim.base_url_prod());
    println!("  cons_id:  {}", c.cons_id);
    println!("  secret:   {}", c.secret);
    println!("  user_key: {}", c.user_key);
    for f in &c.faults {
        println!(
            "  fault: {} -> {:?} ({})",
            f.endpoint,
            f.kind,
            f.times.map_or("always".into(), |n| format!("{n}x"))
        );
    }
    println!(
        "  admin: POST/GET/DELETE http://{}/__admin/fault, GET http://{}/__admin/requests",
        sim.addr(),
        sim.addr()
    );
    if let Some(h) = &hospital {
        let c = h.config();
        println!("loket-sim: hospital dashboard API simulator (seed {})", c.seed);
        println!("  dashboard base URL:  {}", h.base_url());
        println!("  dashboard endpoint:  POST {}{LIST_PATH}", h.base_url());
        println!("  dashboard token:     {}", c.token);
        println!("  dashboard x-api-key: {}", c.api_key);
        println!(
            "  dashboard views:     {}",
            loket_sim::hospital::views()
                .iter()
                .map(|(id, name, ..)| format!("{id} {name}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        println!("  dashboard bookings/day: {}", c.bookings_per_day);
        for f in &c.faults {
            println!(
                "  dashboard fault: view {} page {} -> {:?} ({})",
                f.view.map_or("*".into(), |v| v.to_string()),
                f.page.map_or("*".into(), |p| p.to_string()),
                f.kind,
                f.times.map_or("always".into(), |n| format!("{n}x"))
            );
        }
        println!(
            "  dashboard admin: POST/GET/DELETE {0}/__admin/hospital/fault, GET {0}/__admin/hospital/requests, \
POST/DELETE {0}/__admin/hospital/mutate, GET {0}/__admin/hospital/state",
            h.base_url()
        );
    }
    println!("Ctrl-C to stop.");
    tokio::signal::ctrl_c().await?;
    if let Some(h) = hospital {
        h.shutdown().await;
    }
    sim.shutdown().await;
    Ok(())
}
