//! Judging: what a hint's deterministic figures must show (`expect`, which
//! `validate` checks and which is each verdict's mechanism), and the
//! predictions with the one judge that holds every row to them (`predict`).
//! Lessons use this vocabulary; the verdict types themselves
//! ([`crate::model::Level`], [`crate::model::Verdict`]) are part of the data
//! model.

pub mod break_even;
pub mod claim;
pub mod expect;
pub mod predict;
