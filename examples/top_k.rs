//! The 10 largest of n values: sort them all, keep a heap of 10, or select.
//!
//! `cargo run --release --example top_k`

perf_hints::count_allocations!();

use perf_hints::hints::top_k::{self, Case, K};

fn main() {
    let values = top_k::input(1_000_000);
    println!(
        "The {K} largest of a million random u32s: {:?}\n",
        top_k::good(&values, K)
    );
    perf_hints::example::run::<Case>(&[10, 100, 10_000, 1_000_000]);
}
