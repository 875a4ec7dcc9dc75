//! # Cross the Python↔Rust boundary once per batch (`python_batching`)
//!
//! ## Cost model
//! A call from Python into a Rust extension function pays a fixed cost
//! however little the function does: CPython's call machinery, PyO3's
//! argument parsing, each argument read out of a Python int, a new Python int
//! for the result, and the step of the Python loop around the call. Called
//! once per item, that is paid N times. One call with the whole list pays it
//! once, but the items still cross one at a time: PyO3 reads every element of
//! the list into a `Vec<u64>`, and the `Vec<u64>` it returns becomes a new
//! list with a new Python int per item. Batching a `list` removes the
//! per-call cost, not the per-item conversion.
//!
//! Rust code called from Python holds the GIL, so no other Python thread runs
//! meanwhile. `py.detach(|| ..)` (PyO3's name for the former `allow_threads`)
//! releases it for work that touches no Python object and takes it back
//! afterwards: one release and one reacquire per call.
//!
//! Here an extension module (`#[pymodule] perf_hints_ext`) is put into
//! `sys.modules` of a CPython embedded in the process. The driver functions
//! a user would write are Python source compiled once: `[score(x, rounds)
//! for x in xs]` with `score = ext.score` bound once, `ext.score_batch(xs,
//! rounds)` and so on. The list of fixed-seed ints (below 2³⁰) is built in
//! `input()`. The timed call attaches to the interpreter, calls one driver on
//! the list and frees the list that comes back: the same steps for every
//! variant. The work per item is `rounds` dependent multiply-xorshift steps:
//! 1 round, a few nanoseconds, so the boundary dominates, or 100 rounds, about
//! 100 ns, so the Rust work dominates. At 2 Python threads a `ThreadPoolExecutor`
//! started in `input()` gives each thread half the list, and the driver joins
//! the two result lists.
//!
//! ## The fix
//! Take the batch in one call, `fn score_batch(py: Python<'_>, xs: Vec<u64>,
//! rounds: u32) -> Vec<u64>`, and release the GIL for the Rust-only part:
//! `py.detach(move || mix_all(xs, rounds))`. Convert the inputs before
//! releasing the GIL and build the result after taking it back; PyO3's `Ungil`
//! bound keeps Python objects out of the closure. To drop the per-item
//! conversion too, pass a typed buffer. `buffer` turns the list into an
//! `array('Q')` in Python (a loop in C, no call per item). The extension
//! copies it out with one `memcpy` through the buffer protocol and returns
//! bytes, which become an `array('Q')` again. A NumPy array works the same
//! way, and if the data already lives in one, it needs no conversion at all.
//! `view` goes one step further, as the sources' "zero-copy types" advice
//! does: it reads the array where Python keeps it, through the buffer
//! protocol's pointer (as a `&[u8]` argument reads a `bytes` in place), and
//! writes each score straight into the `bytes` it returns. No copy of the
//! input enters Rust memory, but the GIL stays held while Rust reads Python's
//! memory (another Python thread could write to the array), so `view` cannot
//! overlap its work with other Python threads the way `buffer` can.
//!
//! ## When it does not help
//! - A batch of one: one call either way. `good` adds the release and
//!   reacquire (472 instructions), and `buffer` adds two array conversions,
//!   so `held` is the cheapest.
//! - Heavy work per item: the boundary becomes a small share of the cost.
//! - Releasing the GIL with a single Python thread buys nothing, because no
//!   other thread is waiting for it. It pays when other Python threads have
//!   work. At 2 threads with heavy work, the released Rust parts run at the
//!   same time on the 2 cores. With light work, most of a call is conversion
//!   under the GIL, so there is nothing to overlap. Handing halves to Python
//!   threads also costs a queue hand-off and two wake-ups per batch, which
//!   light work never earns back. The reference machine has 2 cores.
//!   On more cores, more threads let more released parts overlap, but the
//!   conversions under the GIL stay serial. The gain is therefore capped by
//!   the share of time spent under the GIL, not by the core count.
//! - `buffer` hands its caller an `array('Q')`. A caller who needs a `list`
//!   calls `.tolist()` and creates the per-item ints after all.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: a Python profile (py-spy, cProfile) with one call into the Rust
//! extension per item, or the GIL taken and released per item; this crate's
//! counters in `cargo bench --features python -- python_batching/`.
//!
//! ## Claim
//! "10K calls: ~2-5 ms overhead alone" and "~10-50x faster for large
//! batches" (the catalog's sources). The seed blames the 2-5 ms on GIL
//! crossings, and the same seed elsewhere gives 1 ms for the same 10K calls.
//! Checked at 10,000 items: the time that per-item calls add over one
//! batched call, and `good`'s speedup.
//!
//! ## Measured
//! Exact, from `cargo run --release --features python -- validate
//! python_batching`: `bad` makes N calls into Rust, the others make one per
//! Python thread. `good` and `buffer` each release the GIL once per thread
//! (seen from inside the released section: `PyGILState_Check()` is 0), `bad`,
//! `held` and `view` never release it. Every variant scores each of the N
//! items once. `buffer` copies 8 bytes per item out of the caller's array,
//! `view` none (the "buffer bytes copied" counter, counted where the copy is
//! made).
//! The hint stays `DETERMINISTIC = false` because the 2-thread sizes depend on
//! GIL hand-offs.
//!
//! Where the claim stands is the table's: at 10,000 items and light work,
//! compare what the per-item calls add with the sources' figure per 10K calls,
//! and the batched variants' speedups with the claimed range. The boundary's
//! cost depends on the binding (PyO3 0.30 on CPython 3.11 here), and a list
//! batch still converts each item to and from a Python int, which `buffer`,
//! which creates no Python int per item in Rust, does not. With heavy work per
//! item the Rust work is most of the call, and on two Python threads with
//! heavy work, releasing the GIL lets the halves overlap.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench --features python -- python_batching/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/python_batching.md"))]

#[cfg(feature = "python")]
use crate::hint::Probe;
#[cfg(feature = "python")]
use crate::support::python::Report;

mod case;
#[cfg(feature = "python")]
mod embedding;
mod shape;

pub use case::Case;
#[cfg(feature = "python")]
pub use embedding::{Input, Scores};
pub use shape::Shape;

/// The pair as the Python caller writes it: `bad` calls into Rust once per
/// item, `good` once per batch (the driver's other functions, for the other
/// variants and the threads, are in `embedding`).
pub const PAIR: &str = r#"
def per_item(xs, rounds):
    score = ext.score  # bound once, not looked up per item
    return [score(x, rounds) for x in xs]

def batched(xs, rounds):
    return ext.score_batch(xs, rounds)
"#;

/// `ext.score(x, rounds)`, the Rust entry point of `bad`: one item per call.
#[cfg(feature = "python")]
pub fn score<R: Report>(x: u64, rounds: u32) -> u64 {
    embedding::called::<R>();
    embedding::scoring::<R>(1);
    mix(x, rounds)
}

/// `ext.score_batch(xs, rounds)`, the Rust entry point of `good`: the whole
/// list in one call, the GIL released for the Rust-only part.
#[cfg(feature = "python")]
pub fn score_batch<R: Report>(py: pyo3::Python<'_>, xs: Vec<u64>, rounds: u32) -> Vec<u64> {
    embedding::called::<R>();
    py.detach(move || {
        embedding::scoring::<R>(xs.len());
        mix_all(xs, rounds)
    })
}

/// Calls `ext.score(x, rounds)` from Python once per item.
#[cfg(feature = "python")]
pub fn bad<P: Probe>(input: &Input, probe: &P) -> Scores {
    input.call(probe, |f| &f.per_item)
}

/// Calls `ext.score_batch(xs, rounds)` once; it releases the GIL for the Rust-only work.
#[cfg(feature = "python")]
pub fn good<P: Probe>(input: &Input, probe: &P) -> Scores {
    input.call(probe, |f| &f.batched)
}

/// Calls `ext.score_batch_held(xs, rounds)` once; it holds the GIL throughout.
#[cfg(feature = "python")]
pub fn held<P: Probe>(input: &Input, probe: &P) -> Scores {
    input.call(probe, |f| &f.held)
}

/// Copies the list into an `array('Q')` and calls `ext.score_buffer` once:
/// no Python int per item on the Rust side, an `array('Q')` back.
#[cfg(feature = "python")]
pub fn buffer<P: Probe>(input: &Input, probe: &P) -> Scores {
    input.call(probe, |f| &f.buffer)
}

/// Copies the list into an `array('Q')` and calls `ext.score_view` once,
/// which reads the array where it lies (zero-copy) with the GIL held.
#[cfg(feature = "python")]
pub fn view<P: Probe>(input: &Input, probe: &P) -> Scores {
    input.call(probe, |f| &f.view)
}

/// Rounds of [`mix`] per item for light work: a few nanoseconds of Rust, so
/// the boundary is most of the cost.
pub const LIGHT: u32 = 1;
/// Rounds of [`mix`] per item for heavy work: the Rust work is most of the cost.
pub const HEAVY: u32 = 100;
/// Items in the large batches: the claim's "10K calls".
pub const BATCH: usize = 10_000;

/// The Rust work per item: `rounds` rounds of the thread hints' mix
/// ([`crate::support::threads::work`]), and the top 32 bits of the result, so it
/// comes back to Python as a small int.
#[inline]
pub fn mix(x: u64, rounds: u32) -> u64 {
    crate::support::threads::work(x, rounds) >> 32
}

/// [`mix`] over a whole batch, in place.
pub fn mix_all(xs: Vec<u64>, rounds: u32) -> Vec<u64> {
    xs.into_iter().map(|x| mix(x, rounds)).collect()
}

/// The batch a size scores: fixed-seed integers below 2³⁰ (one CPython digit).
pub fn values(batch: usize) -> Vec<u64> {
    use rand::Rng;
    let mut rng = crate::rng(90);
    (0..batch).map(|_| rng.random_range(0..1u64 << 30)).collect()
}
