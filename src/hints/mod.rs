//! The list of hints. Each name here is a module file in `src/hints/`, an
//! example in `examples/`, a criterion group and a row key in the results; the
//! tidy test fails when any of those fall out of step with this list.

use crate::hint::{EachHint, Hint};

macro_rules! hint_list {
    ($($id:ident),* $(,)?) => {
        $(pub mod $id;)*

        /// Every hint id, in the order the table shows them.
        pub const IDS: &[&str] = &[$(stringify!($id)),*];

        /// The source of each hint module, so examples and the tidy test can read
        /// the docs from the one place they are written.
        pub const SOURCES: &[(&str, &str)] = &[$((stringify!($id), include_str!(concat!(stringify!($id), ".rs")))),*];

        /// Hands every hint this build can run to `v`, in list order: a hint
        /// whose cargo feature is off ([`Hint::ENABLED`] false) is left out.
        pub fn for_each<V: EachHint>(v: &mut V) {
            $(if <$id::Case as Hint>::ENABLED { v.hint::<$id::Case>(); })*
        }

        /// Hands every hint of the list to `v`, runnable or not: for rendering
        /// a record and for the tidy checks, which need no variants.
        pub fn for_each_listed<V: EachHint>(v: &mut V) {
            $(v.hint::<$id::Case>();)*
        }

        /// `(id, feature)` of every hint this build leaves out, for messages
        /// that say how to turn it on.
        pub fn disabled() -> Vec<(&'static str, &'static str)> {
            let mut d = Vec::new();
            $(if !<$id::Case as Hint>::ENABLED {
                d.push((stringify!($id), <$id::Case as Hint>::FEATURE.unwrap_or("?")));
            })*
            d
        }

        /// The cargo features this build has on, of those hints need, for the
        /// command line a record names.
        pub fn features_on() -> Vec<&'static str> {
            let mut f = Vec::new();
            $(if let (true, Some(x)) = (<$id::Case as Hint>::ENABLED, <$id::Case as Hint>::FEATURE) {
                f.push(x);
            })*
            f.sort_unstable();
            f.dedup();
            f
        }
    };
}

hint_list! {
    struct_padding,
    index_tree,
    small_vec,
    with_capacity,
    bounded_concurrency,
    batched_lookups,
    view_types,
    sharded_map,
    hash_join,
    dedup,
    sorted_intersection,
    lookup_structure,
    string_building,
    top_k,
    sort_once,
    memoize,
    word_count,
    soa_vs_aos,
    enum_dispatch,
    avoid_clone,
    reuse_buffer,
    cow_strings,
    iterator_fusion,
    varint_fast_path,
    defer_work,
    hoist_invariants,
    inlining,
    bounds_checks,
    logging_hot_path,
    spawn_granularity,
    parallel_iter,
    lock_contention,
    fast_hasher,
    buffered_io,
    python_batching,
}

/// `Ok` when this build can run the hint `id`; otherwise an error that names
/// the id and the command that fixes it (the list, or the cargo feature the
/// hint needs).
pub fn runnable(id: &str) -> Result<(), String> {
    if let Some((_, feature)) = disabled().into_iter().find(|(d, _)| *d == id) {
        return Err(format!(
            "hint {id:?} needs the cargo feature `{feature}`, which this build does not have; \
             rerun with `--features {feature}` (e.g. `cargo run --release --features {feature} -- ...`)"
        ));
    }
    if !IDS.contains(&id) {
        return Err(format!(
            "unknown hint id {id:?}; `cargo run --release -- list` shows the ids"
        ));
    }
    Ok(())
}

/// The module source of a hint, or `None` for an id the list does not have.
pub fn source(id: &str) -> Option<&'static str> {
    SOURCES.iter().find(|(i, _)| *i == id).map(|(_, s)| *s)
}

/// The `///` lines right above `pub fn <name>` in a hint module, joined.
pub fn variant_doc(source: &str, name: &str) -> Option<String> {
    let lines: Vec<&str> = source.lines().collect();
    let at = lines.iter().position(|l| {
        let l = l.trim_start();
        let l = l
            .strip_prefix("pub async fn ")
            .or_else(|| l.strip_prefix("pub fn "));
        l.and_then(|l| l.strip_prefix(name))
            .is_some_and(|rest| rest.starts_with('(') || rest.starts_with('<'))
    })?;
    let mut doc: Vec<&str> = lines[..at]
        .iter()
        .rev()
        .map(|l| l.trim())
        .skip_while(|l| l.starts_with("#["))
        .take_while(|l| l.starts_with("///"))
        .map(|l| l.trim_start_matches("///").trim())
        .collect();
    doc.reverse();
    (!doc.is_empty()).then(|| doc.join(" "))
}

/// The `//!` doc of a hint module, as markdown.
pub fn module_doc(source: &str) -> String {
    source
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| {
            l.trim_start_matches("//!")
                .strip_prefix(' ')
                .unwrap_or(l.trim_start_matches("//!"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}
