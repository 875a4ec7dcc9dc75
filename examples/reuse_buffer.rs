//! A fresh `String` per record against one buffer cleared and reused.
//!
//! `cargo run --release --example reuse_buffer`

perf_hints::count_allocations!();

use perf_hints::hints::reuse_buffer::Case;

fn main() {
    perf_hints::example::run::<Case>(&[1, 100, 10_000]);
}
