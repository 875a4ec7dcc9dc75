//! A `Vec` popped at the front with `remove(0)` against a `VecDeque`.
//!
//! `cargo run --release --example vecdeque_queue`

perf_hints::count_allocations!();

use std::collections::VecDeque;

use perf_hints::hints::vecdeque_queue::Case;

fn main() {
    let mut q: VecDeque<u64> = VecDeque::with_capacity(4);
    q.extend([1, 2, 3, 4]);
    q.pop_front();
    q.push_back(5);
    let (front, back) = q.as_slices();
    println!(
        "A full VecDeque of 4 after one pop and one push has wrapped: {front:?} then {back:?}; \
         no element moved\n"
    );
    perf_hints::example::run::<Case>(&[2, 64, 32_768]);
}
