//! A float sum in one accumulator against eight (and four) independent ones.
//!
//! `cargo run --release --example simd_reduction`

perf_hints::count_allocations!();

use perf_hints::hints::simd_reduction::Case;

fn main() {
    // Why the compiler keeps `bad`'s order: float addition is not associative.
    let (a, b, c) = (0.1, 0.2, 0.3);
    println!(
        "(0.1 + 0.2) + 0.3 = {:?}, 0.1 + (0.2 + 0.3) = {:?}: the inputs here are \
         multiples of 1/4, where every order gives the same sum\n",
        (a + b) + c,
        a + (b + c)
    );
    perf_hints::example::run::<Case>(&[1_000, 50_000, 8_000_000]);
}
