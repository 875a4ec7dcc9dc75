//! The main source document's cost table on this machine, in a few seconds:
//! each row it gives (an L1 reference, a branch mispredict, an uncontended mutex, a
//! `tokio::spawn`...) beside what this machine does, measured with a short
//! budget. A full `cargo bench` measures it longer and records it.
//!
//! `cargo run --release --example cost_table`
//!
//! No counting allocator here (unlike the hint examples): the allocation
//! rows must time the allocator itself.

use std::time::Instant;

use perf_hints::costs::{Budget, measure};
use perf_hints::model::{Machine, Run, SCHEMA};

fn main() {
    let clock = Instant::now();
    let machine: Machine = perf_hints::measure::machine::detect();
    eprintln!(
        "Measuring the main source's cost table on {} ({} cores), a short budget per row...",
        machine.cpu, machine.cores
    );
    let costs = measure(&Budget::QUICK, &mut |id| eprintln!("  {id}"));
    let run = Run {
        schema: SCHEMA,
        started: String::new(),
        command: "cargo run --release --example cost_table".into(),
        filter: None,
        quick: true,
        seconds: clock.elapsed().as_secs_f64(),
        machine,
        method: None,
        noise: None,
        costs,
        origin: None,
        hints: Vec::new(),
        disassembly: Vec::new(),
    };
    println!("{}", perf_hints::publish::costs::render(&run));
    println!(
        "Measured in {:.1} s with a short budget: a first look. A full `cargo bench` \
         measures longer and records the table with its run (results/costs.md).",
        clock.elapsed().as_secs_f64()
    );
}
