//! The same filter over random bytes, over the same bytes sorted, and
//! without a branch on the value.
//!
//! `cargo run --release --example branch_predictability`

perf_hints::count_allocations!();

use perf_hints::hint::NoProbe;
use perf_hints::hints::branch_predictability::{self, Case};

fn main() {
    let input = branch_predictability::input(16);
    let kept = branch_predictability::bad(&input, &NoProbe);
    println!(
        "random {:?}\nsorted {:?}\nboth keep {} bytes >= 128, summing to {}\n",
        input.random, input.sorted, kept.count, kept.sum
    );
    perf_hints::example::run::<Case>(&[1_024, 16_384, 262_144]);
}
