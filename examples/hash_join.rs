//! Joining two tables: nested loops against a hash table.
//!
//! `cargo run --release --example hash_join`

perf_hints::count_allocations!();

use perf_hints::hints::hash_join::Case;

fn main() {
    perf_hints::example::run::<Case>(&[10, 100, 1_000, 10_000]);
}
