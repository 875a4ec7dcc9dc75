//! One key per request against all keys in one request (and pipelined
//! one-key requests), to a key-value server on loopback.
//!
//! `cargo run --release --example round_trip_batching`

perf_hints::count_allocations!();

use perf_hints::hint::NoProbe;
use perf_hints::hints::round_trip_batching::{self, Case, Input};

fn main() {
    let input = Input::new(round_trip_batching::keys(3));
    let values = round_trip_batching::good(&input, &NoProbe).expect("the server answers");
    println!(
        "Three keys in one request to {}: {} values back in one reply\n",
        input.server.addr(),
        values.len()
    );
    drop(input);
    perf_hints::example::run::<Case>(&[1, 8, 64, 1_024]);
}
