//! An OS thread per concurrent wait against a task per wait on a 2-worker
//! tokio runtime.
//!
//! `cargo run --release --example async_vs_threads`

perf_hints::count_allocations!();

use perf_hints::hints::async_vs_threads::{Case, modelled};

fn main() {
    for n in [1, 100, 2_000] {
        let [bad, good] = modelled(n);
        println!("model, {n} waits: bad {bad:.0} µs, good {good:.0} µs");
    }
    println!();
    perf_hints::example::run::<Case>(&[1, 100, 2_000]);
}
