//! `loket-sim --port P --seed S [--fault ENDPOINT=KIND ...]`: the simulator as a program.

use clap::Parser;
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
    let sim = Sim::start(config).await?;
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
    println!("Ctrl-C to stop.");
    tokio::signal::ctrl_c().await?;
    sim.shutdown().await;
    Ok(())
}
