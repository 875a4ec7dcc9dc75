//! The lessons: one module per hint, and the list that names each once.
//!
//! Each name in the list is a module file in `src/hints/`, an example in
//! `examples/`, a criterion group and a row key in the results; the tidy test
//! fails when any of those fall out of step with it. The list builds the
//! registry ([`all`], [`get`]): one [`Entry`] per hint, for every question
//! asked of a hint by its id, and [`for_each`], the generic walk the bench
//! times through.

use crate::hint::{EachHint, Hint};
use crate::registry::{Entry, Registered};

macro_rules! hint_list {
    ($($id:ident),* $(,)?) => {
        $(pub mod $id;)*

        /// Every hint id, in the order the table shows them.
        pub const IDS: &[&str] = &[$(stringify!($id)),*];

        /// The entry of every listed hint, runnable in this build or not, in
        /// list order.
        static ENTRIES: &[&dyn Entry] = &[$(
            &Registered::<$id::Case>::new(include_str!(concat!(stringify!($id), ".rs")))
        ),*];

        /// Hands every hint this build can run to `v`, in list order, with its
        /// types: the bench's path, so timed code is monomorphised per variant.
        /// A hint whose cargo feature is off ([`Hint::ENABLED`] false) is left out.
        pub fn for_each<V: EachHint>(v: &mut V) {
            $(if <$id::Case as Hint>::ENABLED { v.hint::<$id::Case>(); })*
        }
    };
}

/// Every listed hint's entry, runnable in this build or not, in list order.
pub fn all() -> &'static [&'static dyn Entry] {
    ENTRIES
}

/// The entries of the hints this build can run.
pub fn enabled() -> impl Iterator<Item = &'static dyn Entry> {
    ENTRIES.iter().copied().filter(|e| e.enabled())
}

/// The entry of hint `id`, or `None` for an id the list does not have.
pub fn get(id: &str) -> Option<&'static dyn Entry> {
    ENTRIES.iter().copied().find(|e| e.id() == id)
}

/// `(id, feature)` of every hint this build leaves out, for messages that say
/// how to turn it on.
pub fn disabled() -> Vec<(&'static str, &'static str)> {
    ENTRIES
        .iter()
        .filter(|e| !e.enabled())
        .map(|e| (e.id(), e.feature().unwrap_or("?")))
        .collect()
}

/// The cargo features this build has on, of those hints need, for the
/// command line a record names.
pub fn features_on() -> Vec<&'static str> {
    let mut f: Vec<&str> = enabled().filter_map(|e| e.feature()).collect();
    f.sort_unstable();
    f.dedup();
    f
}

hint_list! {
    aa_control,
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
    parallel_memory_bound,
    lock_contention,
    fast_hasher,
    buffered_io,
    python_batching,
    simd_reduction,
    bulk_build,
    vecdeque_queue,
    round_trip_batching,
    connection_reuse,
    typed_deserialize,
    branch_predictability,
    arc_clone,
    message_passing,
    blocking_in_async,
    async_vs_threads,
    async_cpu_bound,
    lazy_init,
    map_capacity,
}

/// `Ok` when this build can run the hint `id`; otherwise an error that names
/// the id and the command that fixes it (the list, or the cargo feature the
/// hint needs).
pub fn runnable(id: &str) -> Result<(), String> {
    let Some(entry) = get(id) else {
        return Err(format!(
            "unknown hint id {id:?}; `cargo run --release -- list` shows the ids"
        ));
    };
    if let (false, Some(feature)) = (entry.enabled(), entry.feature()) {
        return Err(format!(
            "hint {id:?} needs the cargo feature `{feature}`, which this build does not have; \
             rerun with `--features {feature}` (e.g. `cargo run --release --features {feature} -- ...`)"
        ));
    }
    Ok(())
}

/// The module source of a hint, or `None` for an id the list does not have.
pub fn source(id: &str) -> Option<&'static str> {
    get(id).map(|e| e.source())
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
