//! Helpers the lessons share: for the hints measured across thread counts, a
//! pool of exactly `T` threads, the split of the items, CPU-bound work per
//! item and exact per-slot counts; for the network hints, a loopback
//! key-value server and its client; figures as text; and, with the `python`
//! feature, the embedded CPython (`python`).

pub mod fmt;
pub mod kv_server;
#[cfg(feature = "python")]
pub mod python;
pub mod threads;
