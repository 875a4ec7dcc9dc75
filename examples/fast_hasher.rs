//! SipHash, ahash and FxHash counting u64, short-string and long-string keys.
//!
//! `cargo run --release --example fast_hasher`

perf_hints::count_allocations!();

use perf_hints::Hint;
use perf_hints::hints::fast_hasher::Case;

fn main() {
    perf_hints::example::run::<Case>(Case::sizes());
}
