//! A sorted, deduplicated `Vec` built by inserting each item in place, against
//! sorting and deduplicating once at the end.
//!
//! `cargo run --release --example bulk_build`

perf_hints::count_allocations!();

use perf_hints::hint::NoProbe;
use perf_hints::hints::bulk_build::{self, Case};

fn main() {
    let items = bulk_build::input(1_000);
    println!(
        "Inserting 1,000 random items one by one into a sorted Vec moves {} elements;\n\
         sorting once then deduplicating gives the same {} values.\n",
        bulk_build::expected_moves(&items),
        bulk_build::good(&items, &NoProbe).len()
    );
    perf_hints::example::run::<Case>(&[10, 1_000, 100_000]);
}
