//! `Regex::new` inside a loop against compiling the pattern once before it.
//!
//! `cargo run --release --example hoist_invariants`

perf_hints::count_allocations!();

use perf_hints::hints::hoist_invariants::{Case, PATTERN, input};

fn main() {
    println!("Pattern: {PATTERN}");
    for line in input(3) {
        println!("  {line}");
    }
    println!();
    perf_hints::example::run::<Case>(&[1, 10, 100]);
}
