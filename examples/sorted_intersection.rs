//! Intersecting sorted inputs: binary search, hash set, merge, scan.
//!
//! `cargo run --release --example sorted_intersection`

perf_hints::count_allocations!();

use perf_hints::hints::sorted_intersection::Case;

fn main() {
    perf_hints::example::run::<Case>(&[10, 100, 1_000, 10_000]);
}
