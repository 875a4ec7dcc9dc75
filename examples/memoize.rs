//! A pure, expensive function called 1,000 times, with and without a cache,
//! at 0 %, 50 %, 90 % and 99 % repeated keys, and 50 % skewed (zipf-like)
//! repeats where FIFO and LRU eviction differ.
//!
//! `cargo run --release --example memoize`

perf_hints::count_allocations!();

use perf_hints::Hint;
use perf_hints::hints::memoize::{self, CALLS, CAPACITY, Case};

fn main() {
    for p in [0, 50, 90, 99] {
        println!(
            "{p:>2} % repeats: {} distinct keys in {CALLS} calls; a cache can save at most {:.0}x (bounded keeps {CAPACITY})",
            memoize::distinct(p),
            CALLS as f64 / memoize::distinct(p) as f64
        );
    }
    println!();
    perf_hints::example::run::<Case>(Case::sizes());
}
