//! Publishing: the before/after tables, the records under `results/` and the
//! files rendered from them (pages, charts, the README's results section),
//! `compare` between two records, and the atlas of every machine's newest
//! record side by side, and the summary a run prints in the terminal.
//!
//! The files are layers (the tidy test checks there is no cycle): `records`
//! (storage: load, list, save, import, machines) under `table`, `chart` and
//! `series`; those under `atlas`, `compare`, `costs` and `lints`; all of them
//! under `report`; `summary` beside `report`. Saving a run and then
//! regenerating is the caller's.

pub mod atlas;
pub mod chart;
pub mod compare;
pub mod costs;
pub mod lints;
pub mod outcome;
pub mod records;
pub mod report;
pub mod series;
pub mod site;
pub mod summary;
pub mod table;
