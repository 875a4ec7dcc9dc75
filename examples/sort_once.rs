//! Sorting a copy for every query against sorting once and binary-searching.
//!
//! `cargo run --release --example sort_once`

perf_hints::count_allocations!();

use perf_hints::hints::sort_once::Case;

fn main() {
    for n in [4u64, 32, 256, 2_048] {
        let log = (n as f64).log2();
        println!(
            "n = {n:>5}: bad sorts {n} copies (~{:.0} comparisons), good sorts one (~{:.0})",
            n as f64 * n as f64 * log,
            n as f64 * log
        );
    }
    println!();
    perf_hints::example::run::<Case>(&[4, 32, 256, 2_048]);
}
