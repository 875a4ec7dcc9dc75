//! Field order and padding in `repr(C)` structs.
//!
//! `cargo run --release --example struct_padding`

perf_hints::count_allocations!();

use std::mem::{offset_of, size_of};

use perf_hints::hints::struct_padding::{Case, Ordered, Padded, Plain};

fn main() {
    println!("Where the fields land (byte offsets):");
    println!(
        "  Padded  repr(C), bad order:  flag @{} value @{} count @{}  size {}",
        offset_of!(Padded, flag),
        offset_of!(Padded, value),
        offset_of!(Padded, count),
        size_of::<Padded>()
    );
    println!(
        "  Ordered repr(C), largest first: value @{} count @{} flag @{}  size {}",
        offset_of!(Ordered, value),
        offset_of!(Ordered, count),
        offset_of!(Ordered, flag),
        size_of::<Ordered>()
    );
    println!(
        "  Plain   repr(Rust), bad order: flag @{} value @{} count @{}  size {} (the compiler reordered it)\n",
        offset_of!(Plain, flag),
        offset_of!(Plain, value),
        offset_of!(Plain, count),
        size_of::<Plain>()
    );
    perf_hints::example::run::<Case>(&[1_000, 64_000, 4_000_000]);
}
