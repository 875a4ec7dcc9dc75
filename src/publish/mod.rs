//! Publishing: the before/after tables, the records under `results/` and the
//! files rendered from them (pages, charts, the README's results section),
//! `compare` between two records, and the atlas of every machine's newest
//! record side by side.

pub mod atlas;
pub mod chart;
pub mod compare;
pub mod costs;
pub mod lints;
pub mod outcome;
pub mod records;
pub mod report;
pub mod site;
pub mod table;
