//! Cloning fields before formatting them against formatting them in place.
//!
//! `cargo run --release --example avoid_clone`

perf_hints::count_allocations!();

use perf_hints::hints::avoid_clone::Case;

fn main() {
    perf_hints::example::run::<Case>(&[1, 100, 10_000]);
}
