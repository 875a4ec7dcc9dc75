//! CPU-bound items as a `tokio::spawn` each, a plain loop, an awaited
//! `async fn` per item and rayon's `par_iter`, on 1 and T threads.
//!
//! `cargo run --release --example async_cpu_bound`

perf_hints::count_allocations!();

use perf_hints::Hint;
use perf_hints::hints::async_cpu_bound::Case;

fn main() {
    perf_hints::example::run::<Case>(Case::sizes());
}
