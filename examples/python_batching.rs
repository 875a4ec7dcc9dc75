//! Per-item calls from Python into a Rust extension against one batched call,
//! with the GIL released or held for the Rust work; one and two Python threads.
//!
//! `cargo run --release --features python --example python_batching`

perf_hints::count_allocations!();

use perf_hints::Hint;
use perf_hints::hints::python_batching::Case;

fn main() {
    perf_hints::example::run::<Case>(Case::sizes());
}
