//! A tiny hot function: `#[inline(never)]`, inlinable, across a crate, `&dyn Fn`, `impl Fn`.
//!
//! `cargo run --release --example inlining`

perf_hints::count_allocations!();

use perf_hints::hints::inlining::Case;

fn main() {
    perf_hints::example::run::<Case>(&[16, 1_000, 100_000]);
}
