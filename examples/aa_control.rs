//! The A/A control: `bad` and `good` are the same code, so the speedup is
//! the measuring method's own error on this machine.
//!
//! `cargo run --release --example aa_control`

perf_hints::count_allocations!();

use perf_hints::hints::aa_control::Case;

fn main() {
    perf_hints::example::run::<Case>(&[4_096, 32_768, 8 << 20]);
}
