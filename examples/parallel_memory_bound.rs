//! A sum over a `u64` buffer in cache and one streamed from memory, on one
//! thread against rayon's `par_chunks` on T threads (`replicated`: every
//! thread sums the whole buffer).
//!
//! `cargo run --release --example parallel_memory_bound`

perf_hints::count_allocations!();

use perf_hints::Hint;
use perf_hints::hints::parallel_memory_bound::Case;

fn main() {
    perf_hints::example::run::<Case>(Case::sizes());
}
