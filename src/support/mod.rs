//! Helpers the lessons share: for the hints measured across thread counts, a
//! pool of exactly `T` threads, the split of the items, CPU-bound work per
//! item and exact per-slot counts; and figures as text.

pub mod fmt;
pub mod threads;
