//! Removing repeats: `Vec::contains` against a `HashSet`, and sort + dedup.
//!
//! `cargo run --release --example dedup`

perf_hints::count_allocations!();

use perf_hints::hints::dedup::Case;

fn main() {
    perf_hints::example::run::<Case>(&[10, 100, 1_500, 20_000]);
}
