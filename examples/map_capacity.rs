//! `HashMap::new()` filled by inserts against `HashMap::with_capacity(n)`.
//!
//! `cargo run --release --example map_capacity`

perf_hints::count_allocations!();

use std::collections::HashMap;

use perf_hints::hints::map_capacity::Case;

fn main() {
    let mut map = HashMap::new();
    let mut caps = vec![];
    for i in 0..100u32 {
        if map.len() == map.capacity() {
            caps.push(map.capacity());
        }
        map.insert(i, i);
    }
    println!(
        "An empty HashMap filled with 100 entries was full, and grew (rehashing \
         everything in it), at these capacities: {caps:?}\n"
    );
    perf_hints::example::run::<Case>(&[10, 1_000, 100_000]);
}
