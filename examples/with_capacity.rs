//! Growing a `Vec` by doubling against reserving its length up front.
//!
//! `cargo run --release --example with_capacity`

perf_hints::count_allocations!();

use perf_hints::hints::with_capacity::Case;

fn main() {
    let mut v: Vec<u64> = Vec::new();
    let mut caps = vec![v.capacity()];
    for i in 0..100 {
        v.push(i);
        if v.capacity() != *caps.last().unwrap() {
            caps.push(v.capacity());
        }
    }
    println!("Capacities a Vec<u64> passes through on 100 pushes: {caps:?}");
    println!(
        "Vec::with_capacity(100) allocates once: {}\n",
        Vec::<u64>::with_capacity(100).capacity()
    );
    perf_hints::example::run::<Case>(&[10, 1_000, 100_000, 1_000_000]);
}
