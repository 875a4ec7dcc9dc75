//! A `collect` between pipeline stages against one lazy iterator chain.
//!
//! `cargo run --release --example iterator_fusion`

perf_hints::count_allocations!();

use perf_hints::hints::iterator_fusion::Case;

fn main() {
    perf_hints::example::run::<Case>(&[10, 1_000, 100_000]);
}
