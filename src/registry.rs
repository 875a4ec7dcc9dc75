//! One object-safe [`Entry`] per hint, so that every question asked of a hint
//! by its id is one line: `hints::get(id)?.verdict(row, margin)`.
//!
//! The list macro in `src/hints/mod.rs` builds one [`Registered<H>`] per hint:
//! everything generic (inputs, variants, counting, one call for callgrind) is
//! monomorphised inside it and reached through `dyn Entry` from outside. The
//! timed code does not come through here: the bench walks the list with the
//! generic [`EachHint`](crate::hint::EachHint) visitor, so no dynamic dispatch sits in a
//! timed loop.

use std::marker::PhantomData;

use crate::hint::{self, Hint, SourcePoint, Topic};
use crate::judge::expect;
use crate::judge::predict::{self, Prediction};
use crate::measure::{callgrind, counts};
use crate::model::{HintRun, Param, Point, Row, Verdict};

/// A hint seen through its id: its description, its sizes, and what can be
/// done with it without knowing its types.
pub trait Entry: Sync {
    /// The module name ([`Hint::ID`]).
    fn id(&self) -> &'static str;
    /// The kind of cost the hint is about.
    fn topic(&self) -> Topic;
    /// What the size counts ([`Hint::SIZE`]).
    fn axis(&self) -> &'static str;
    /// The sources' claim ([`Hint::CLAIM`]).
    fn claim(&self) -> &'static str;
    /// The points of the source documents it measures ([`Hint::SOURCES`]).
    fn sources(&self) -> &'static [SourcePoint];
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
    /// True where callgrind also simulates a branch predictor.
    fn branch_sim(&self) -> bool;
    /// The sizes the bench measures, in table order, as [`Point`]s.
    fn sizes(&self) -> Vec<Point>;
    /// The edge sizes the agreement tests add (an empty input, one element).
    fn edges(&self) -> Vec<Point>;
    /// The size whose [`Param::key`] is `key`, from this machine's sizes or
    /// not (a record from a machine with more cores); `None` for a key this
    /// hint cannot have.
    fn point(&self, key: &str) -> Option<Point>;
    /// The key a schema-1 record's packed number stood for.
    fn legacy_key(&self, size: usize) -> Option<String>;
    /// What is wrong with the sizes, if anything: each must sort after the
    /// one before, and its key must be unique, free of spaces, slashes and
    /// commas, and parse back to it.
    fn size_problems(&self) -> Vec<String>;
    /// The variant names, `bad` first (none when the hint is not enabled).
    fn variants(&self) -> Vec<&'static str>;
    /// `size_of` figures, where layout is the point.
    fn layout(&self) -> Vec<(&'static str, usize)>;
    /// The row judged by its prediction ([`Hint::predict`]); `None` when its
    /// key is not a size of this hint.
    fn verdict(&self, row: &Row, margin: f64) -> Option<Verdict>;
    /// What the hint predicts at the size keyed `key` ([`Hint::predict`]).
    fn predictions(&self, key: &str) -> Vec<Prediction>;
    /// The sources' claim at the size keyed `key` ([`Hint::claimed`]).
    fn claimed(&self, key: &str) -> Option<Prediction>;
    /// The row judged by the sources' claim alone, on its time (`None`
    /// when the key is not a size of this hint or the sources say nothing
    /// about it).
    fn claim_verdict(&self, row: &Row, margin: f64) -> Option<Verdict>;
    /// Each expectation `validate` checks ([`Hint::expect`]), with its
    /// failures against `run`'s figures.
    fn check(&self, run: &HintRun) -> Vec<ExpectationCheck>;
    /// The module's source text, for the docs the tools print.
    fn source(&self) -> &'static str;
    /// Builds the input of the size keyed `key` and checks every variant
    /// against `bad`.
    fn agree(&self, key: &str) -> Result<(), String>;
    /// Deterministic counts per call at each size keyed in `keys`
    /// (allocations only where the counting allocator is installed).
    fn count(&self, keys: &[String]) -> Result<HintRun, String>;
    /// One call of `variant` at the size keyed `key`, for callgrind to count.
    fn exec(&self, variant: &str, key: &str) -> Result<(), String>;
    /// Where, in this process, the function [`exec`](Entry::exec) calls for
    /// `variant` is (`measure::callgrind::locate`).
    fn locate(&self, variant: &str) -> Result<usize, String>;
}

/// One expectation of a hint ([`Hint::expect`]) checked against a run's
/// figures: what [`Entry::check`] returns for each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExpectationCheck {
    /// Why the expectation fails, one line per failure; empty where it holds.
    pub failures: Vec<String>,
}

impl ExpectationCheck {
    /// True where the figures meet the expectation.
    pub fn holds(&self) -> bool {
        self.failures.is_empty()
    }
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
    fn topic(&self) -> Topic {
        H::TOPIC
    }
    fn axis(&self) -> &'static str {
        H::SIZE
    }
    fn claim(&self) -> &'static str {
        H::CLAIM
    }
    fn sources(&self) -> &'static [SourcePoint] {
        H::SOURCES
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
    fn branch_sim(&self) -> bool {
        H::BRANCH_SIM
    }
    fn sizes(&self) -> Vec<Point> {
        H::sizes().iter().map(Point::of).collect()
    }
    fn edges(&self) -> Vec<Point> {
        H::Param::edges().iter().map(Point::of).collect()
    }
    fn point(&self, key: &str) -> Option<Point> {
        H::Param::parse(key).map(|p| Point::of(&p))
    }
    fn legacy_key(&self, size: usize) -> Option<String> {
        H::Param::from_legacy(size).map(|p| p.key())
    }
    fn size_problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let sizes = H::sizes();
        for w in sizes.windows(2) {
            if w[0].partial_cmp(&w[1]) != Some(std::cmp::Ordering::Less) {
                out.push(format!(
                    "{}: size {:?} does not sort before {:?}",
                    H::ID,
                    w[0],
                    w[1]
                ));
            }
        }
        for p in sizes.iter().chain(&H::Param::edges()) {
            let key = p.key();
            if key.is_empty() || key.contains([' ', '/', ',']) {
                out.push(format!(
                    "{}: key {key:?} is empty or has a space, slash or comma",
                    H::ID
                ));
            }
            if H::Param::parse(&key) != Some(*p) {
                out.push(format!(
                    "{}: key {key:?} does not parse back to {p:?}",
                    H::ID
                ));
            }
            if sizes.iter().filter(|q| q.key() == key).count() > 1 {
                out.push(format!("{}: key {key:?} is not unique", H::ID));
            }
        }
        out
    }
    fn variants(&self) -> Vec<&'static str> {
        hint::variant_names::<H>()
    }
    fn layout(&self) -> Vec<(&'static str, usize)> {
        H::layout()
    }
    fn verdict(&self, row: &Row, margin: f64) -> Option<Verdict> {
        let size = H::Param::parse(&row.param)?;
        let predictions = H::predict(size);
        let (fails, missing) = expect::mechanism(H::ID, size, row, &H::expect());
        Some(predict::judge(&predictions, row, &fails, &missing, margin))
    }
    fn predictions(&self, key: &str) -> Vec<Prediction> {
        H::Param::parse(key).map_or_else(Vec::new, H::predict)
    }
    fn claimed(&self, key: &str) -> Option<Prediction> {
        H::claimed(H::Param::parse(key)?)
    }
    fn claim_verdict(&self, row: &Row, margin: f64) -> Option<Verdict> {
        let claimed = self.claimed(&row.param)?;
        Some(predict::judge(&[claimed], row, &[], &[], margin))
    }
    fn check(&self, run: &HintRun) -> Vec<ExpectationCheck> {
        H::expect()
            .iter()
            .map(|e| ExpectationCheck {
                failures: expect::check(run, std::slice::from_ref(e)),
            })
            .collect()
    }
    fn source(&self) -> &'static str {
        self.source
    }
    fn agree(&self, key: &str) -> Result<(), String> {
        let p = param::<H>(key)?;
        hint::check_agreement::<H>(p, &(H::INPUT)(p))
    }
    fn count(&self, keys: &[String]) -> Result<HintRun, String> {
        let sizes = keys
            .iter()
            .map(|k| param::<H>(k))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(counts::count::<H>(&sizes))
    }
    fn exec(&self, variant: &str, key: &str) -> Result<(), String> {
        callgrind::exec::<H>(variant, param::<H>(key)?)
    }
    fn locate(&self, variant: &str) -> Result<usize, String> {
        callgrind::locate::<H>(variant)
    }
}

/// The size of `H` keyed `key`, or an error naming the hint, the key and the
/// keys it has.
fn param<H: Hint>(key: &str) -> Result<H::Param, String> {
    H::Param::parse(key).ok_or_else(|| {
        let keys: Vec<String> = H::sizes().iter().map(|p| p.key()).collect();
        format!(
            "hint {} has no size {key:?}; its sizes are {} (`cargo run --release -- list`)",
            H::ID,
            keys.join(", ")
        )
    })
}
