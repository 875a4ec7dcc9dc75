//! Judging: what a hint's figures must show (`validate`'s expectations) and
//! the phrases verdicts are made of. Lessons use this vocabulary; the verdict
//! types themselves ([`crate::model::Level`], [`crate::model::Verdict`]) are
//! part of the data model.

pub mod expect;
pub mod predict;
pub mod verdict;
