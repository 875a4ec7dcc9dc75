//! The commands of the `perf-hints` binary, which tie the registry, the
//! measuring, the judging and the publishing together, and the runner of
//! `examples/`.

pub mod bench;
pub mod commands;
pub mod example;
pub mod replicate;
pub mod timed;
pub mod validate;
