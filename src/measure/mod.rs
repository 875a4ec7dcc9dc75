//! Measuring, apart from criterion's timing: exact allocation counts (a
//! counting global allocator), instruction and cache-miss counts (callgrind),
//! the deterministic counts of one hint, the machine a run is on, and the
//! quick timer of the examples.

pub mod alloc_count;
pub mod callgrind;
pub mod counts;
pub mod machine;
pub mod paired;
pub mod probe;
pub mod quick;
