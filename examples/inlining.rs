//! A small checked step of another crate, without and with `#[inline]`;
//! a leaf step rustc inlines by itself, a forced `#[inline(never)]` call,
//! `&dyn Fn` and `impl Fn`.
//!
//! `cargo run --release --example inlining`

perf_hints::count_allocations!();

use perf_hints::hints::inlining::Case;

fn main() {
    perf_hints::example::run::<Case>(&[16, 1_000, 100_000]);
}
