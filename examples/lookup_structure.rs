//! Lookups in a BTreeMap, a HashMap, a sorted Vec and a linear scan, by map size.
//!
//! `cargo run --release --example lookup_structure`

perf_hints::count_allocations!();

use perf_hints::hints::lookup_structure::Case;

fn main() {
    perf_hints::example::run::<Case>(&[8, 64, 1_024, 65_536]);
}
