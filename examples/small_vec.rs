//! Short per-row collections: `Vec` against `SmallVec<[u32; 8]>`.
//!
//! `cargo run --release --example small_vec`

perf_hints::count_allocations!();

use perf_hints::hints::small_vec::Case;
use smallvec::SmallVec;

fn main() {
    let mut v: SmallVec<[u32; 8]> = SmallVec::new();
    for i in 0..9 {
        v.push(i);
        if i == 7 || i == 8 {
            println!("{} tags: spilled to the heap = {}", v.len(), v.spilled());
        }
    }
    println!();
    perf_hints::example::run::<Case>(&[2, 8, 16, 64]);
}
