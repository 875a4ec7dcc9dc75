//! A connection per request against one connection per call and a pool of
//! connections opened once, to a loopback server with a service latency.
//!
//! `cargo run --release --example connection_reuse`

perf_hints::count_allocations!();

use perf_hints::hints::connection_reuse::{Case, POOL, REQUESTS};

fn main() {
    println!(
        "{REQUESTS} one-key requests per call; the pool holds {POOL} connections. \
         Service latency in µs:\n"
    );
    perf_hints::example::run::<Case>(&[0, 100, 2_000]);
}
