//! Logging in a hot loop: an eager message, the macro's lazy arguments, a hoisted level check,
//! a compile-time maximum level.
//!
//! `cargo run --release --example logging_hot_path`

perf_hints::count_allocations!();

use perf_hints::hints::logging_hot_path::Case;

fn main() {
    perf_hints::example::run::<Case>(&[0, 1]);
}
