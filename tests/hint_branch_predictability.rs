//! `branch_predictability`: the variants agree on edge and random bytes, and
//! the allocations and the outcome changes are what `fn expect` declares.

perf_hints::count_allocations!();

use perf_hints::Hint;
use perf_hints::hint::NoProbe;
use perf_hints::hints::branch_predictability::{self, CHANGES, Case, Input, Kept, THRESHOLD};
use perf_hints::measure::counts;
use perf_hints::measure::probe::Counting;
use proptest::prelude::*;

fn all(input: &Input) -> [Kept; 3] {
    [
        branch_predictability::bad(input, &NoProbe),
        branch_predictability::good(input, &NoProbe),
        branch_predictability::branchless(input, &NoProbe),
    ]
}

fn of(bytes: &[u8]) -> Input {
    let mut sorted = bytes.to_vec();
    sorted.sort_unstable();
    Input {
        random: bytes.to_vec(),
        sorted,
    }
}

fn check(bytes: &[u8]) {
    let want = Kept {
        count: bytes.iter().filter(|&&b| b >= THRESHOLD).count(),
        sum: bytes
            .iter()
            .filter(|&&b| b >= THRESHOLD)
            .map(|&b| u64::from(b))
            .sum(),
    };
    for (name, got) in ["bad", "good", "branchless"].iter().zip(all(&of(bytes))) {
        assert_eq!(got, want, "{name} on {bytes:?}");
    }
}

#[test]
fn counting_allocator_is_installed() {
    assert!(perf_hints::measure::alloc_count::is_installed());
}

#[test]
fn variants_agree_on_edge_inputs() {
    check(&[]);
    check(&[0]);
    check(&[127]);
    check(&[128]);
    check(&[255, 255, 255]);
    check(&[0, 0, 0]);
    check(&[128, 127, 128, 127]);
    check(&[255, 0, 255, 0, 255]);
}

#[test]
fn allocations_and_outcome_changes_are_exact() {
    let sizes = Case::sizes();
    let run = counts::count::<Case>(sizes);
    for (row, &n) in run.rows.iter().zip(sizes) {
        for v in ["bad", "good", "branchless"] {
            let a = row.allocs(v).unwrap();
            assert_eq!((a.allocs, a.reallocs), (1, 0), "{v}/{n}: the output buffer");
        }
        assert_eq!(row.counter("good", CHANGES), Some(1), "{n}");
        assert_eq!(row.counter("branchless", CHANGES), Some(0), "{n}");
        // About half of random bytes change the outcome.
        let bad = row.counter("bad", CHANGES).unwrap();
        let half = n as u64 / 2;
        assert!(bad.abs_diff(half) < half / 10, "{n}: {bad} changes");
    }
}

#[test]
fn the_input_is_the_same_bytes_in_two_orders() {
    let input = branch_predictability::input(1_000);
    let mut random = input.random.clone();
    random.sort_unstable();
    assert_eq!(random, input.sorted);
    assert_ne!(input.random, input.sorted);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn variants_agree_on_random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2_000)) {
        let [bad, good, branchless] = all(&of(&bytes));
        prop_assert_eq!(bad, good);
        prop_assert_eq!(bad, branchless);
    }

    /// The counter is the number of neighbours on opposite sides of the threshold.
    #[test]
    fn outcome_changes_are_counted_in_the_work(bytes in prop::collection::vec(any::<u8>(), 0..500)) {
        let input = of(&bytes);
        let probe = Counting::new();
        branch_predictability::bad(&input, &probe);
        let want = bytes
            .windows(2)
            .filter(|w| (w[0] >= THRESHOLD) != (w[1] >= THRESHOLD))
            .count() as u64;
        prop_assert_eq!(probe.get(CHANGES).unwrap_or(0), want);
        let probe = Counting::new();
        branch_predictability::good(&input, &probe);
        let mixed = bytes.iter().any(|&b| b >= THRESHOLD) && bytes.iter().any(|&b| b < THRESHOLD);
        prop_assert_eq!(probe.get(CHANGES).unwrap_or(0), u64::from(mixed));
    }
}
