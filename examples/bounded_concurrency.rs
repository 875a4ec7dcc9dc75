//! Sequential, unbounded and `buffer_unordered(k)` clients against a real
//! loopback server with a fixed latency and a cap on requests served at once.
//!
//! `cargo run --release --example bounded_concurrency`

perf_hints::count_allocations!();

use perf_hints::hints::bounded_concurrency::{Case, LATENCY, REQUESTS, SERVER_CAP, ideal};

fn main() {
    println!(
        "Server: {LATENCY:?} per request, serves {SERVER_CAP} at once. Client: {REQUESTS} requests."
    );
    for k in [1, 4, 8, 32] {
        println!("  ideal at k = {k:>2}: {:?}", ideal(REQUESTS, k));
    }
    println!();
    perf_hints::example::run::<Case>(&[1, 4, 8, 32]);
}
