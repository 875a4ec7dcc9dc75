//! By-value parameters force clones; views borrow; `Cow` allocates only for what changes.
//!
//! `cargo run --release --example view_types`

perf_hints::count_allocations!();

use perf_hints::hints::view_types::{Case, RECORDS, bad, cow, good, input};
use perf_hints::measure::alloc_count::measure;

fn main() {
    let records = input(10);
    println!("Allocations for {RECORDS} records, 10 % of names with uppercase:");
    for (name, run) in [("bad", bad as fn(&[_]) -> _), ("good", good), ("cow", cow)] {
        let (_, counts) = measure(|| run(&records));
        println!("  {name:>4}: {}", counts.total());
    }
    println!();
    perf_hints::example::run::<Case>(&[0, 10, 50, 100]);
}
