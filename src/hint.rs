//! The shape every hint has: one job, one input generator, two or three variants.
//!
//! A hint module implements [`Hint`] for a unit struct named `Case`. The list in
//! `src/hints/mod.rs` names every module once and builds the registry from it.
//! Timed code reaches the variants through [`EachHint`] and [`Variants`], which
//! hand each variant over as its own `Fn` type, so harness code is
//! monomorphised per variant and no dynamic dispatch sits in a timed loop;
//! everything else asks the registry (`registry::Entry`).

use std::fmt::Debug;

use crate::judge::expect::Expect;
use crate::judge::predict::Prediction;
use crate::model::Param;
pub use crate::sources::SourcePoint;

/// One hint: a job, the inputs it runs on, and the variants that do it.
pub trait Hint: Sized + 'static {
    /// Module name, criterion group and row key: one snake_case string.
    const ID: &'static str;
    /// Which kind of cost the hint is about: groups the catalogue and the site.
    const TOPIC: Topic;
    /// What the size parameter counts, for the table's first column.
    const SIZE: &'static str;
    /// The sources' claim, as a figure to check.
    const CLAIM: &'static str;
    /// The points of the source documents this hint measures
    /// ([`crate::sources`]): empty only for the crate's own additions (the
    /// A/A control, the hasher), which no source document names.
    const SOURCES: &'static [SourcePoint];
    /// False where the work depends on thread timing (a server, a runtime):
    /// allocation and instruction counts would not repeat, so none are taken.
    const DETERMINISTIC: bool = true;
    /// True where locality is the point: instruction counts then also
    /// simulate the caches and report misses.
    const CACHE_SIM: bool = false;
    /// True where branch prediction is the point: instruction counts then
    /// also simulate a branch predictor and report its mispredictions.
    const BRANCH_SIM: bool = false;
    /// The cargo feature this hint needs (`Some("python")`), or `None`.
    const FEATURE: Option<&'static str> = None;
    /// False when [`Hint::FEATURE`] is off in this build: the hint keeps its
    /// place in the list (so a record that has it still renders) but has no
    /// variants, and every harness skips it.
    const ENABLED: bool = true;

    /// What a size is: `usize` for most hints, a struct where a size has
    /// several parts (threads and work per item, key type and count).
    type Param: Param;
    /// Built once per size, outside any timed code.
    type Input: 'static;
    /// What every variant returns; the variants must agree on it.
    type Output: PartialEq + Debug;

    /// The input for one size, from a fixed seed: usually the module's
    /// public `input` function (`const INPUT: fn(usize) -> Vec<u64> =
    /// input;`), so examples and tests can build the same input by name.
    const INPUT: fn(Self::Param) -> Self::Input;

    /// The sizes the bench measures, in table order, chosen to show where
    /// the good variant stops winning.
    fn sizes() -> &'static [Self::Param];
    /// Hands every variant to `v`: `bad` first, then `good`, then any third one.
    fn variants<V: Variants<Self>>(v: &mut V);

    /// `size_of` figures, where layout is the point of the hint.
    fn layout() -> Vec<(&'static str, usize)> {
        Vec::new()
    }
    /// What the hint expects at `size`, declared before anything is
    /// measured: each compared variant faster than `bad` (by the sources'
    /// factor where they name one), level, or slower where the hint says it
    /// stops winning. The one judge (`judge::predict::judge`) holds every
    /// row to it, with the mechanism from [`Hint::expect`].
    fn predict(_size: Self::Param) -> Vec<Prediction> {
        Vec::new()
    }
    /// The sources' claim ([`Hint::CLAIM`]) as a prediction at `size`,
    /// judged apart from [`Hint::predict`], which is this crate's own model
    /// (where the hint stops winning, third variants). By default `good`
    /// faster than `bad` at every size, as the sources state their hints; a
    /// hint overrides it where the sources name a factor, or where what they
    /// claim is not a speedup (the A/A control claims level). `None` where
    /// the sources say nothing about that size.
    fn claimed(_size: Self::Param) -> Option<Prediction> {
        Some(Prediction::faster("good"))
    }
    /// What `perf-hints validate` checks, from deterministic figures only.
    fn expect() -> Vec<Expect<Self::Param>>;
}

/// The kinds of cost the hints are about, in catalogue order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Topic {
    /// The A/A control: not a hint, the measurement's own check.
    Control,
    /// Interfaces that let callers amortise fixed costs.
    Api,
    /// The complexity class first.
    Algorithm,
    /// Memory representation and cache locality.
    Layout,
    /// Fewer allocations.
    Alloc,
    /// Work that is not needed, or that the machine does badly.
    Work,
    /// Threads and async.
    Concurrency,
    /// Batching system calls.
    Io,
    /// Crossing into Python (the `python` cargo feature).
    Boundary,
}

impl Topic {
    /// Every topic, in catalogue order.
    pub const ALL: [Topic; 9] = [
        Topic::Control,
        Topic::Api,
        Topic::Algorithm,
        Topic::Layout,
        Topic::Alloc,
        Topic::Work,
        Topic::Concurrency,
        Topic::Io,
        Topic::Boundary,
    ];

    /// A short heading: "Threads and async".
    pub fn title(self) -> &'static str {
        match self {
            Topic::Control => "The control",
            Topic::Api => "Interfaces that amortise fixed costs",
            Topic::Algorithm => "Complexity class first",
            Topic::Layout => "Memory layout and locality",
            Topic::Alloc => "Fewer allocations",
            Topic::Work => "Less work per item",
            Topic::Concurrency => "Threads and async",
            Topic::Io => "Batched system calls",
            Topic::Boundary => "Crossing into Python",
        }
    }

    /// A one-word slug for anchors and file names: "concurrency".
    pub fn slug(self) -> &'static str {
        match self {
            Topic::Control => "control",
            Topic::Api => "api",
            Topic::Algorithm => "algorithm",
            Topic::Layout => "layout",
            Topic::Alloc => "alloc",
            Topic::Work => "work",
            Topic::Concurrency => "concurrency",
            Topic::Io => "io",
            Topic::Boundary => "boundary",
        }
    }
}

/// Receives each variant of a hint in turn.
///
/// Each variant is a closure of the input and a [`Probe`]: the variant
/// reports its own counters (locks taken, tasks spawned, requests in flight)
/// through the probe, where the work happens. The bench hands it [`NoProbe`],
/// whose methods do nothing and inline away, so counting costs timed code
/// nothing; `perf-hints counts` hands it a probe that counts.
pub trait Variants<H: Hint> {
    /// The probe this visitor hands the variants.
    type Probe: Probe;
    fn variant<F: Fn(&H::Input, &Self::Probe) -> H::Output>(&mut self, name: &'static str, f: F);
}

/// Where a variant reports the events it counts. Counters are named; each
/// name is one column of the table's exact counts.
pub trait Probe: Sync {
    /// False for [`NoProbe`]: a variant may skip work it does only to count.
    const COUNTING: bool;
    /// `n` more events of `counter` (items processed, write calls).
    fn add(&self, counter: &'static str, n: u64);
    /// One event of `counter` on slot `slot()` (one lock of several); the
    /// counter reports the busiest slot's events. `slot` is not called when
    /// the probe does not count.
    fn hit(&self, counter: &'static str, slot: impl FnOnce() -> usize);
    /// One more of `counter` in flight, until [`Probe::leave`]; the counter
    /// reports the peak.
    fn enter(&self, counter: &'static str);
    /// One fewer of `counter` in flight.
    fn leave(&self, counter: &'static str);
    /// `counter` is `value`: a property of what the variant built (the
    /// number of locks a map has), measured where it is built.
    fn set(&self, counter: &'static str, value: u64);
}

/// The probe of timed code: it counts nothing, and every method is empty and
/// inlined, so a variant's reports compile to nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoProbe;

impl Probe for NoProbe {
    const COUNTING: bool = false;
    #[inline(always)]
    fn add(&self, _counter: &'static str, _n: u64) {}
    #[inline(always)]
    fn hit(&self, _counter: &'static str, _slot: impl FnOnce() -> usize) {}
    #[inline(always)]
    fn enter(&self, _counter: &'static str) {}
    #[inline(always)]
    fn leave(&self, _counter: &'static str) {}
    #[inline(always)]
    fn set(&self, _counter: &'static str, _value: u64) {}
}

/// Receives each hint of the list in turn.
pub trait EachHint {
    fn hint<H: Hint>(&mut self);
}

/// Every variant's output for one input, in the order the hint lists them.
pub fn outputs<H: Hint>(input: &H::Input) -> Vec<(&'static str, H::Output)> {
    struct Collect<'a, H: Hint>(&'a H::Input, Vec<(&'static str, H::Output)>);
    impl<H: Hint> Variants<H> for Collect<'_, H> {
        type Probe = NoProbe;
        fn variant<F: Fn(&H::Input, &NoProbe) -> H::Output>(&mut self, name: &'static str, f: F) {
            let out = f(self.0, &NoProbe);
            self.1.push((name, out));
        }
    }
    let mut c = Collect::<H>(input, Vec::new());
    H::variants(&mut c);
    c.1
}

/// The variant names of a hint, `bad` first.
pub fn variant_names<H: Hint>() -> Vec<&'static str> {
    struct Names(Vec<&'static str>);
    impl<H: Hint> Variants<H> for Names {
        type Probe = NoProbe;
        fn variant<F: Fn(&H::Input, &NoProbe) -> H::Output>(&mut self, name: &'static str, _f: F) {
            self.0.push(name);
        }
    }
    let mut n = Names(Vec::new());
    H::variants::<Names>(&mut n);
    n.0
}

/// Checks that every variant returns what `bad` returns for this input; the
/// error names the hint, the size and the variant that disagrees.
pub fn check_agreement<H: Hint>(size: H::Param, input: &H::Input) -> Result<(), String> {
    let size = size.key();
    let outs = outputs::<H>(input);
    let Some(((first, reference), rest)) = outs.split_first() else {
        return Err(format!("{}: no variants", H::ID));
    };
    for (name, out) in rest {
        if out != reference {
            let show = |o: &H::Output| {
                let s = format!("{o:?}");
                if s.chars().count() > 300 {
                    format!("{}…", s.chars().take(300).collect::<String>())
                } else {
                    s
                }
            };
            return Err(format!(
                "{}/{name}/{size} disagrees with {}/{first}/{size}:\n  {first}: {}\n  {name}: {}",
                H::ID,
                H::ID,
                show(reference),
                show(out)
            ));
        }
    }
    Ok(())
}
