//! A shared cache behind a lock: one `get` per key against one `get_many` per batch.
//!
//! `cargo run --release --example batched_lookups`

perf_hints::count_allocations!();

use perf_hints::hints::batched_lookups::Case;

fn main() {
    perf_hints::example::run::<Case>(&[1, 8, 64, 1_024]);
}
