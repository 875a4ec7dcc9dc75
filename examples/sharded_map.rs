//! One `RwLock<HashMap>` (or `Mutex<HashMap>`) shared by all threads against a
//! `DashMap`, across threads and the share of writes.
//!
//! `cargo run --release --example sharded_map`

perf_hints::count_allocations!();

use perf_hints::Hint;
use perf_hints::hints::sharded_map::Case;

fn main() {
    perf_hints::example::run::<Case>(Case::sizes());
}
