//! # Keep formatting out of disabled log calls (`logging_hot_path`)
//!
//! ## Cost model
//! Formatting a message costs the formatter's machinery plus a `String`
//! allocation: tens of nanoseconds an item. Code that builds the message
//! first (`let msg = format!(..)`) and then hands it to `log::debug!` pays
//! that on every item, whether or not debug logging is on.
//!
//! ## The fix
//! Give the values to the macro itself: `log::debug!("item {i}: {x}")`. The
//! `log` crate checks the level first (one atomic load and a compare) and
//! only builds the `format_args!` and calls the logger when the level is
//! enabled. In a hot loop, check `log::log_enabled!` once outside the loop
//! (`hoisted`), so the disabled case costs nothing per item.
//!
//! Or filter at compile time: a maximum level fixed when the crate is built
//! (`log`'s `max_level_*` and `release_max_level_*` features, `tracing`'s
//! `STATIC_MAX_LEVEL` from the same kind of features) turns every call above
//! it into a comparison of two constants, which the compiler folds to
//! `false` and removes with the call, its arguments and the runtime level
//! check. Here that is [`MAX_LEVEL`], a `const` below debug, checked by
//! `static_filter` before each `debug!` (the `log` features would set the
//! level for every crate in the build, this crate's other variants too).
//!
//! ## When it does not help
//! When the level is enabled every variant formats every message: laziness
//! only saves work that is not wanted, and checking the level once before the
//! loop saves nothing. What is left between the eager and the lazy call is
//! the eager one's own extra work, its message formatted into a `String`
//! (an allocation) and then formatted again by the logger. Arguments with
//! side effects or costly computations inside the macro are also skipped
//! when disabled, which is a correctness trap, not a speed-up.
//!
//! The compile-time filter saves, against the lazy macro, a relaxed load and
//! a compare per item, and against the hoisted check the test of its flag
//! per item (where the compiler does not unswitch the loop): a few
//! instructions an item, which matter only where the loop does little else.
//! Its price is that the filtered messages are gone from the binary: with
//! debug turned on at run time (size 1 here) `static_filter` still logs
//! nothing, so its row there is the cost of the logging the others do, not
//! a like-for-like saving. Raising the level means a rebuild.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: `alloc::fmt::format` under a hot loop whose messages are filtered
//! out: this crate counts the messages `formatted` per call in `cargo bench
//! -- logging_hot_path/`, with the level off.
//!
//! ## Claim
//! The sources say a disabled `debug!` still formats its message. With the
//! `log` crate that is false for the macro's own arguments; it is true only
//! for a message built eagerly before the call. Checked here as: with debug
//! off, the macro's arguments are never formatted and both lazy variants are
//! faster than the eager one; with debug on, the eager and both lazy variants
//! format every message and the lazy ones are still faster, by the eager one's second formatting
//! and its allocation. The sources' better fix, static filtering (`tracing`),
//! is `static_filter`: predicted faster than the eager variant at both
//! levels, since it never formats.
//!
//! ## Measured
//! The `formatted` counter, taken inside `Display` where the formatting
//! happens, is exact (`tests/logging.rs` asserts it): with debug off the eager
//! variant formats all 1,000 messages of a call and the macro's own arguments
//! none, with or without the hoisted check; with debug on the eager and the
//! two lazy variants format all 1,000. So a disabled `debug!` does not format its arguments;
//! only a message built before the call is paid for. The instruction counts in
//! the table below show the rest: debug off, the lazy call is left with the
//! level check per item and the hoisted one with nothing per item; debug on,
//! the eager variant runs clearly more instructions than the lazy ones (it
//! formats twice, and allocates), and hoisting the check changes nothing.
//! `static_filter` formats nothing at either level (its `formatted` is 0 and
//! it allocates nothing); with debug off it runs fewer instructions than the
//! lazy call (no level load per item) and than the hoisted loop, which still
//! tests its flag once per item since rustc does not unswitch the loop: a
//! couple of instructions per item beside the loop's own work.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- logging_hot_path/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/logging_hot_path.md"))]

use std::fmt;

use rand::Rng;

use crate::judge::expect::{self, Expect, Figure, Sizes};
use crate::judge::predict::Prediction;
use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};

/// Items per call.
pub const ITEMS: usize = 1_000;

/// A logger that formats every record it is given and throws the text away:
/// the full cost of formatting, none of I/O. (`io::sink()` would not do: it
/// may skip formatting altogether.)
pub struct SinkLogger;

/// Counts the bytes written to it and keeps none.
struct Discard(usize);

impl fmt::Write for Discard {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 += s.len();
        Ok(())
    }
}

impl log::Log for SinkLogger {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }

    fn log(&self, record: &log::Record) {
        let mut out = Discard(0);
        let _ = fmt::write(&mut out, format_args!("{} {}", record.level(), record.args()));
        std::hint::black_box(out.0);
    }

    fn flush(&self) {}
}

static SINK: SinkLogger = SinkLogger;

/// Installs [`SinkLogger`] (once per process) and sets the global level:
/// debug on or off.
pub fn set_debug(on: bool) {
    let _ = log::set_logger(&SINK);
    log::set_max_level(if on {
        log::LevelFilter::Debug
    } else {
        log::LevelFilter::Info
    });
}

/// A value that reports `formatted` to the probe each time it is formatted:
/// the count is taken inside `Display`, where the formatting happens.
pub struct Item<'p, P: Probe>(u64, &'p P);

impl<P: Probe> fmt::Display for Item<'_, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.1.add("formatted", 1);
        write!(f, "{:#x}", self.0)
    }
}

/// Reports `formatted` as a column of the variant even when nothing is
/// formatted (debug off), so the table shows 0 rather than no count.
#[inline(always)]
fn formats_counted<P: Probe>(probe: &P) {
    probe.add("formatted", 0);
}

fn work(x: u64) -> u64 {
    x.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(11)
}

/// Formats each item's message eagerly, then passes it to `debug!`.
pub fn bad<P: Probe>(items: &[u64], probe: &P) -> u64 {
    formats_counted(probe);
    let mut acc = 0u64;
    for (i, &x) in items.iter().enumerate() {
        let msg = format!("item {i}: {}", Item(x, probe));
        log::debug!("{msg}");
        acc = acc.wrapping_add(work(x));
    }
    acc
}

/// Gives the values to `debug!`, which formats only when debug is enabled.
pub fn good<P: Probe>(items: &[u64], probe: &P) -> u64 {
    formats_counted(probe);
    let mut acc = 0u64;
    for (i, &x) in items.iter().enumerate() {
        log::debug!("item {i}: {}", Item(x, probe));
        acc = acc.wrapping_add(work(x));
    }
    acc
}

/// Checks the level once before the loop, and skips logging inside it when off.
pub fn hoisted<P: Probe>(items: &[u64], probe: &P) -> u64 {
    formats_counted(probe);
    let on = log::log_enabled!(log::Level::Debug);
    let mut acc = 0u64;
    for (i, &x) in items.iter().enumerate() {
        if on {
            log::debug!("item {i}: {}", Item(x, probe));
        }
        acc = acc.wrapping_add(work(x));
    }
    acc
}

/// The maximum level this build logs at, for [`static_filter`]: a `const`
/// below debug, as `log`'s `max_level_info` feature would set it for the
/// whole build.
pub const MAX_LEVEL: log::LevelFilter = log::LevelFilter::Info;

/// `debug!` behind the compile-time maximum level: a comparison of two
/// constants, folded away with the call when debug is above [`MAX_LEVEL`].
macro_rules! static_debug {
    ($($arg:tt)+) => {
        if log::Level::Debug <= MAX_LEVEL {
            log::debug!($($arg)+);
        }
    };
}

/// Filters debug out at compile time: `debug!` behind a `const` maximum level, removed with it.
pub fn static_filter<P: Probe>(items: &[u64], probe: &P) -> u64 {
    formats_counted(probe);
    let mut acc = 0u64;
    for (i, &x) in items.iter().enumerate() {
        static_debug!("item {i}: {}", Item(x, probe));
        acc = acc.wrapping_add(work(x));
    }
    acc
}

/// [`ITEMS`] values, and whether debug logging is on for this input.
pub struct Batch {
    pub items: Vec<u64>,
    pub debug: bool,
}

/// Size 0: debug off; any other size: debug on. Building the input sets the
/// process-wide level, so the bench times each level separately.
pub fn input(debug_on: usize) -> Batch {
    let debug = debug_on != 0;
    set_debug(debug);
    let mut rng = crate::rng(62);
    Batch {
        items: (0..ITEMS).map(|_| rng.random()).collect(),
        debug,
    }
}

/// The items of `b`, after setting the level `b` asks for: another input
/// built since may have changed the process-wide level.
fn at_level(b: &Batch) -> &[u64] {
    set_debug(b.debug);
    &b.items
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "logging_hot_path";
    const TOPIC: Topic = Topic::Work;
    const SOURCES: &'static [SourcePoint] = &[sources::LOG_FORMATTING, sources::STATIC_LOG_FILTER];
    const SIZE: &'static str = "debug on (0 = off, 1 = on)";
    const CLAIM: &'static str = "a disabled debug! still formats its message";
    type Param = usize;
    type Input = Batch;
    type Output = u64;

    fn sizes() -> &'static [usize] {
        &[0, 1]
    }

    const INPUT: fn(usize) -> Batch = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |b: &Batch, p| bad(at_level(b), p));
        v.variant("good", |b: &Batch, p| good(at_level(b), p));
        v.variant("hoisted", |b: &Batch, p| hoisted(at_level(b), p));
        v.variant("static_filter", |b: &Batch, p| static_filter(at_level(b), p));
    }

    /// Debug off (0): the lazy variants skip the formatting the eager one
    /// pays for every item. Debug on (1): all three format, the eager one
    /// twice and with an allocation, so the lazy ones still win. The static
    /// filter never formats, so it wins at both levels (with debug on, by
    /// dropping the messages the others log).
    fn predict(_debug_on: usize) -> Vec<Prediction> {
        vec![
            Prediction::faster("good"),
            Prediction::faster("hoisted"),
            Prediction::faster("static_filter"),
        ]
    }

    fn expect() -> Vec<Expect<usize>> {
        let all = |_| ITEMS as u64;
        vec![
            // The eager message is built whatever the level.
            expect::exactly(Figure::Counter("formatted"), "bad", all),
            // The macro's own arguments are formatted only when debug is on.
            expect::exactly(Figure::Counter("formatted"), "good", |on| {
                if on == 0 { 0 } else { ITEMS as u64 }
            }),
            expect::exactly(Figure::Counter("formatted"), "hoisted", |on| {
                if on == 0 { 0 } else { ITEMS as u64 }
            }),
            // The static filter removed the call: nothing formatted at
            // either level, nothing allocated.
            expect::exactly(Figure::Counter("formatted"), "static_filter", |_| 0),
            expect::exactly(Figure::Allocs, "good", |_| 0),
            expect::exactly(Figure::Allocs, "static_filter", |_| 0),
            expect::fewer_by(Figure::Instructions, "good", "bad", 5.0).at(Sizes::UpTo(0)),
            expect::fewer(Figure::Instructions, "hoisted", "good").at(Sizes::UpTo(0)),
            // Debug off: no level check per item, so fewer than the lazy
            // call; and fewer than the hoisted check, whose loop still tests
            // its flag per item (rustc does not unswitch it).
            expect::fewer(Figure::Instructions, "static_filter", "good").at(Sizes::UpTo(0)),
            expect::fewer(Figure::Instructions, "static_filter", "hoisted").at(Sizes::UpTo(0)),
            // With debug on, the eager message is formatted twice (into its
            // String, then by the logger) and allocated: the macro still wins...
            expect::fewer_by(Figure::Instructions, "good", "bad", 1.5).at(Sizes::From(1)),
            // ...but checking the level once saves nothing when it is on.
            expect::no_better(Figure::Instructions, "hoisted", "good", 0.9).at(Sizes::From(1)),
            // Debug on, the static filter still logs nothing: far fewer
            // instructions than the lazy call that formats every message.
            expect::fewer_by(Figure::Instructions, "static_filter", "good", 5.0)
                .at(Sizes::From(1)),
        ]
    }
}
