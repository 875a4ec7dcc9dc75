//! `Vec<Box<dyn Shape>>` against `Vec<ShapeEnum>`: a box per element, or none.
//!
//! `cargo run --release --example enum_dispatch`

perf_hints::count_allocations!();

use perf_hints::hints::enum_dispatch::{Case, Circle, Rect, Shape, ShapeEnum, Triangle};

fn main() {
    println!(
        "Per shape: a Box<dyn Shape> is {} bytes in the Vec plus a heap block of {}, {} or {} \
         bytes (circle, rectangle, triangle) and the allocator's header; a ShapeEnum is {} bytes \
         inline, whatever the shape.\n",
        size_of::<Box<dyn Shape>>(),
        size_of::<Circle>(),
        size_of::<Rect>(),
        size_of::<Triangle>(),
        size_of::<ShapeEnum>()
    );
    perf_hints::example::run::<Case>(&[10, 1_000, 100_000, 1_000_000]);
}
