//! A binary search tree with `Box` links against one with `u32` indices into a `Vec`.
//!
//! `cargo run --release --example index_tree`

perf_hints::count_allocations!();

use perf_hints::hints::index_tree::{self, Case};

fn main() {
    let keys = [50, 30, 70, 20, 40, 60, 80];
    let probes = [40, 45];
    println!(
        "Same tree, same answers: bad {:?}, good {:?}\n",
        index_tree::bad(&keys, &probes),
        index_tree::good(&keys, &probes)
    );
    // The table's 1M-node size takes seconds per build: the example stops at 250k.
    perf_hints::example::run::<Case>(&[1_000, 32_000, 250_000]);
}
