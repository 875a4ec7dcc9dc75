//! Small records written straight to a `File` against through a `BufWriter`,
//! and read back straight from a `File` against through a `BufReader`.
//!
//! `cargo run --release --example buffered_io`

perf_hints::count_allocations!();

use perf_hints::Hint;
use perf_hints::hints::buffered_io::Case;

fn main() {
    perf_hints::example::run::<Case>(Case::sizes());
}
