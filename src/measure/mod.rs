//! Measuring: the paired timing every speedup comes from (driven by
//! criterion in the bench, by a short loop in the examples), replicated over
//! processes and differently laid-out builds (`layouts`, `runner`; the
//! figures are combined in `tool::replicate`), exact
//! allocation counts (a counting global allocator), instruction and
//! cache-miss counts (callgrind), the deterministic counts of one hint, and
//! the machine a run is on.

pub mod alloc_count;
pub mod callgrind;
pub mod counts;
pub mod disasm;
pub mod layouts;
pub mod machine;
pub mod paired;
pub mod probe;
pub mod runner;
pub mod sampler;
