//! Publishing: the before/after tables, the records under `results/` and the
//! files rendered from them (pages, charts, the README's results section),
//! and `compare` between two records.

pub mod chart;
pub mod compare;
pub mod records;
pub mod report;
pub mod table;
