//! Every thread locking one `Mutex<u64>` per item against per-thread sums
//! merged once, and one shared `AtomicU64`, across threads and work per item.
//!
//! `cargo run --release --example lock_contention`

perf_hints::count_allocations!();

use perf_hints::Hint;
use perf_hints::hints::lock_contention::Case;

fn main() {
    perf_hints::example::run::<Case>(Case::sizes());
}
