//! One object-safe [`Entry`] per hint, so that every question asked of a hint
//! by its id is one line: `hints::get(id)?.verdict(row)`.
//!
//! The list macro in `src/hints/mod.rs` builds one [`Registered<H>`] per hint:
//! everything generic (inputs, variants, counting, one call for callgrind) is
//! monomorphised inside it and reached through `dyn Entry` from outside. The
//! timed code does not come through here: the bench walks the list with the
//! generic [`EachHint`](crate::hint::EachHint) visitor, so no dynamic dispatch sits in a
//! timed loop.

use std::marker::PhantomData;

use crate::hint::{self, Hint};
use crate::judge::expect::Expect;
use crate::measure::{callgrind, counts};
use crate::model::{HintRun, Row, Verdict};

/// A hint seen through its id: its description, its sizes, and what can be
/// done with it without knowing its types.
pub trait Entry: Sync {
    /// The module name ([`Hint::ID`]).
    fn id(&self) -> &'static str;
    /// What the size counts ([`Hint::SIZE`]).
    fn axis(&self) -> &'static str;
    /// The sources' claim ([`Hint::CLAIM`]).
    fn claim(&self) -> &'static str;
    /// The cargo feature the hint needs, if any.
    fn feature(&self) -> Option<&'static str>;
    /// False when that feature is off in this build: the hint has no variants
    /// here, but a record that has it still renders.
    fn enabled(&self) -> bool;
    /// False where the work depends on thread timing: no allocation or
    /// instruction counts are taken.
    fn deterministic(&self) -> bool;
    /// True where callgrind also simulates the caches.
    fn cache_sim(&self) -> bool;
    /// The sizes the bench measures, increasing.
    fn sizes(&self) -> Vec<usize>;
    /// How tables and charts show `size` ([`Hint::label`]).
    fn label(&self, size: usize) -> String;
    /// The variant names, `bad` first (none when the hint is not enabled).
    fn variants(&self) -> Vec<&'static str>;
    /// `size_of` figures, where layout is the point.
    fn layout(&self) -> Vec<(&'static str, usize)>;
    /// The row judged against the claim ([`Hint::verdict`]).
    fn verdict(&self, row: &Row) -> Verdict;
    /// What `validate` checks ([`Hint::expect`]).
    fn expect(&self) -> Vec<Expect>;
    /// The module's source text, for the docs the tools print.
    fn source(&self) -> &'static str;
    /// Builds the input of `size` and checks every variant against `bad`.
    fn agree(&self, size: usize) -> Result<(), String>;
    /// Deterministic counts per call at each of `sizes` (allocations only
    /// where the counting allocator is installed).
    fn count(&self, sizes: &[usize]) -> HintRun;
    /// One call of `variant` at `size`, for callgrind to count.
    fn exec(&self, variant: &str, size: usize) -> Result<(), String>;
}

/// The [`Entry`] of hint `H`, built by the list macro.
pub struct Registered<H> {
    source: &'static str,
    hint: PhantomData<fn() -> H>,
}

impl<H> Registered<H> {
    /// The entry of `H`, whose module source is `source`.
    pub const fn new(source: &'static str) -> Self {
        Registered {
            source,
            hint: PhantomData,
        }
    }
}

impl<H: Hint> Entry for Registered<H> {
    fn id(&self) -> &'static str {
        H::ID
    }
    fn axis(&self) -> &'static str {
        H::SIZE
    }
    fn claim(&self) -> &'static str {
        H::CLAIM
    }
    fn feature(&self) -> Option<&'static str> {
        H::FEATURE
    }
    fn enabled(&self) -> bool {
        H::ENABLED
    }
    fn deterministic(&self) -> bool {
        H::DETERMINISTIC
    }
    fn cache_sim(&self) -> bool {
        H::CACHE_SIM
    }
    fn sizes(&self) -> Vec<usize> {
        H::sizes().to_vec()
    }
    fn label(&self, size: usize) -> String {
        H::label(size)
    }
    fn variants(&self) -> Vec<&'static str> {
        hint::variant_names::<H>()
    }
    fn layout(&self) -> Vec<(&'static str, usize)> {
        H::layout()
    }
    fn verdict(&self, row: &Row) -> Verdict {
        H::verdict(row)
    }
    fn expect(&self) -> Vec<Expect> {
        H::expect()
    }
    fn source(&self) -> &'static str {
        self.source
    }
    fn agree(&self, size: usize) -> Result<(), String> {
        hint::check_agreement::<H>(size, &H::input(size))
    }
    fn count(&self, sizes: &[usize]) -> HintRun {
        counts::count::<H>(sizes)
    }
    fn exec(&self, variant: &str, size: usize) -> Result<(), String> {
        callgrind::exec::<H>(variant, size)
    }
}
