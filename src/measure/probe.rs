//! The probe that counts: what a variant reports through
//! [`Probe`] when `perf-hints counts` runs it once
//! outside any timing.

use std::collections::BTreeMap;
use std::sync::Mutex;

use crate::hint::Probe;

/// One counter's state.
#[derive(Clone, Debug)]
enum Tally {
    /// A sum of events.
    Sum(u64),
    /// Events per slot; reported as the busiest slot's.
    Slots(Vec<u64>),
    /// In flight now, and the peak.
    Gauge { now: u64, peak: u64 },
    /// A value set once.
    Value(u64),
}

impl Tally {
    fn value(&self) -> u64 {
        match self {
            Tally::Sum(n) | Tally::Value(n) => *n,
            Tally::Slots(s) => s.iter().copied().max().unwrap_or(0),
            Tally::Gauge { peak, .. } => *peak,
        }
    }
}

/// Counts everything a variant reports, from any thread. A lock guards the
/// counters: this probe is only used outside timed code, and what it counts
/// (locks per operation, tasks spawned) does not depend on timing.
#[derive(Debug, Default)]
pub struct Counting(Mutex<BTreeMap<&'static str, Tally>>);

impl Counting {
    pub fn new() -> Self {
        Counting::default()
    }

    /// Every counter reported so far, by name: sums, the busiest slot, the
    /// peak in flight or the value set.
    pub fn counters(&self) -> BTreeMap<&'static str, u64> {
        self.lock().iter().map(|(k, t)| (*k, t.value())).collect()
    }

    /// One counter, or `None` when the variant never reported it.
    pub fn get(&self, counter: &str) -> Option<u64> {
        self.lock().get(counter).map(Tally::value)
    }

    /// Events per slot of a counter reported with [`Probe::hit`].
    pub fn slots(&self, counter: &str) -> Vec<u64> {
        match self.lock().get(counter) {
            Some(Tally::Slots(s)) => s.clone(),
            _ => Vec::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<&'static str, Tally>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn with(&self, counter: &'static str, init: Tally, f: impl FnOnce(&mut Tally)) {
        f(self.lock().entry(counter).or_insert(init));
    }
}

impl Probe for Counting {
    const COUNTING: bool = true;

    fn add(&self, counter: &'static str, n: u64) {
        self.with(counter, Tally::Sum(0), |t| {
            if let Tally::Sum(s) = t {
                *s += n;
            }
        });
    }

    fn hit(&self, counter: &'static str, slot: impl FnOnce() -> usize) {
        let i = slot();
        self.with(counter, Tally::Slots(Vec::new()), |t| {
            if let Tally::Slots(s) = t {
                if s.len() <= i {
                    s.resize(i + 1, 0);
                }
                s[i] += 1;
            }
        });
    }

    fn enter(&self, counter: &'static str) {
        self.with(counter, Tally::Gauge { now: 0, peak: 0 }, |t| {
            if let Tally::Gauge { now, peak } = t {
                *now += 1;
                *peak = (*peak).max(*now);
            }
        });
    }

    fn leave(&self, counter: &'static str) {
        self.with(counter, Tally::Gauge { now: 0, peak: 0 }, |t| {
            if let Tally::Gauge { now, .. } = t {
                *now = now.saturating_sub(1);
            }
        });
    }

    fn set(&self, counter: &'static str, value: u64) {
        self.with(counter, Tally::Value(0), |t| *t = Tally::Value(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_report_counts_as_documented() {
        let p = Counting::new();
        p.add("items", 2);
        p.add("items", 3);
        for slot in [0, 2, 2, 1, 2] {
            p.hit("busiest lock", || slot);
        }
        p.enter("in flight");
        p.enter("in flight");
        p.leave("in flight");
        p.enter("in flight");
        p.leave("in flight");
        p.leave("in flight");
        p.set("locks", 8);
        let c = p.counters();
        assert_eq!(c["items"], 5);
        assert_eq!(c["busiest lock"], 3);
        assert_eq!(p.slots("busiest lock"), [1, 1, 3]);
        assert_eq!(c["in flight"], 2);
        assert_eq!(c["locks"], 8);
        assert_eq!(p.get("nothing"), None);
    }
}
