//! Small records written straight to a `File` against through a `BufWriter`.
//!
//! `cargo run --release --example buffered_io`

perf_hints::count_allocations!();

use perf_hints::hints::buffered_io::Case;

fn main() {
    perf_hints::example::run::<Case>(&[8, 64, 512, 4_096]);
}
