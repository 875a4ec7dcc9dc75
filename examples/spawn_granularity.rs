//! One tokio task per item, one per chunk, and no task at all, on runtimes
//! with 1 and 2 worker threads and at several amounts of work per item.
//!
//! `cargo run --release --example spawn_granularity`

perf_hints::count_allocations!();

use perf_hints::Hint;
use perf_hints::hints::spawn_granularity::Case;

fn main() {
    perf_hints::example::run::<Case>(Case::sizes());
}
