//! A sequential `iter()` against rayon's `par_iter()` on a pool of exactly T
//! threads, from a few nanoseconds to a few microseconds of work per item.
//!
//! `cargo run --release --example parallel_iter`

perf_hints::count_allocations!();

use perf_hints::Hint;
use perf_hints::hints::parallel_iter::Case;

fn main() {
    perf_hints::example::run::<Case>(Case::sizes());
}
