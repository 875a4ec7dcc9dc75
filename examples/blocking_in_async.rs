//! Blocking socket calls on a tokio worker against the same requests
//! `.await`ed, and handed to `spawn_blocking`.
//!
//! `cargo run --release --example blocking_in_async`

perf_hints::count_allocations!();

use perf_hints::hints::blocking_in_async::{Case, REQUESTS, Size, modelled};
use perf_hints::support::threads::Threads;

fn main() {
    let sizes: Vec<Size> = vec![
        Threads::new(1, 0),
        Threads::new(1, 1_000),
        Threads::new(2, 1_000),
    ];
    for s in &sizes {
        let [bad, good, pool] = modelled(s.threads, REQUESTS, s.x);
        println!(
            "model, {} worker(s), {} µs: bad {bad:.0} µs, good {good:.0} µs, spawn_blocking {pool:.0} µs",
            s.threads, s.x
        );
    }
    println!();
    perf_hints::example::run::<Case>(&sizes);
}
