//! `buffered_io`, read side: both variants read back exactly the bytes the
//! input holds, and the read and write calls are exactly what `fn expect`
//! declares.

use perf_hints::Hint;
use perf_hints::hint::NoProbe;
use perf_hints::hints::buffered_io::{self as bio, BUFFER, Case, READS, Side, TOTAL, WRITES};
use perf_hints::measure::counts;
use perf_hints::measure::probe::Counting;
use perf_hints::model::Param;
use proptest::prelude::*;

fn calls(f: fn(&bio::Input, &Counting) -> u64, input: &bio::Input) -> (u64, u64, u64) {
    let p = Counting::new();
    let n = f(input, &p);
    (n, p.get(READS).unwrap(), p.get(WRITES).unwrap())
}

#[test]
fn reads_return_the_file_for_any_record_size() {
    for record in [0, 1, 7, 8, 64, 512, 4_096, 8_192, 10_000] {
        let input = bio::read_input(record);
        assert_eq!(input.side, Side::Read);
        for buffered in [false, true] {
            assert_eq!(bio::read_back(&input, buffered), input.data, "{record}");
        }
        let (b, g) = (bio::bad(&input, &NoProbe), bio::good(&input, &NoProbe));
        assert_eq!(b, input.data.len() as u64, "{record}");
        assert_eq!(b, g, "{record}");
        // The file is still there for the next call: reading does not consume it.
        assert_eq!(std::fs::read(&input.path).unwrap(), input.data);
    }
}

#[test]
fn read_calls_are_exact() {
    for record in [1, 8, 100, 512, 4_096, 8_192, 10_000] {
        let input = bio::read_input(record);
        let (_, bad_reads, bad_writes) = calls(bio::bad, &input);
        let (_, good_reads, good_writes) = calls(bio::good, &input);
        assert_eq!((bad_writes, good_writes), (0, 0), "{record}");
        assert_eq!(bad_reads, TOTAL.div_ceil(record) as u64, "{record}");
        if BUFFER.is_multiple_of(record) {
            assert_eq!(good_reads, (TOTAL / BUFFER) as u64, "{record}");
        }
        assert!(good_reads <= bad_reads, "{record}");
    }
}

#[test]
fn counters_match_expect_at_every_size() {
    let sizes = Case::sizes();
    let run = counts::count::<Case>(sizes);
    for (row, s) in run.rows.iter().zip(sizes) {
        let per_record = (TOTAL / s.record) as u64;
        let per_buffer = (TOTAL / BUFFER) as u64;
        let (mine, other) = match s.side {
            Side::Read => (READS, WRITES),
            Side::Write => (WRITES, READS),
        };
        assert_eq!(row.counter("bad", mine), Some(per_record), "{}", s.key());
        assert_eq!(row.counter("good", mine), Some(per_buffer), "{}", s.key());
        assert_eq!(row.counter("bad", other), Some(0), "{}", s.key());
        assert_eq!(row.counter("good", other), Some(0), "{}", s.key());
    }
}

#[test]
fn keys_round_trip_and_write_keys_stay_plain() {
    for s in Case::sizes().iter().chain(&<Case as Hint>::Param::edges()) {
        assert_eq!(<Case as Hint>::Param::parse(&s.key()), Some(*s));
        assert_eq!(s.key().starts_with("read-"), s.side == Side::Read);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Any bytes in records of any size, a partial last record included.
    #[test]
    fn reads_agree_on_random_files(data in prop::collection::vec(any::<u8>(), 0..20_000), record in 1usize..10_000) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.bin");
        std::fs::write(&path, &data).unwrap();
        let input = bio::Input { dir, path, record, data, side: Side::Read };
        prop_assert_eq!(bio::bad(&input, &NoProbe), input.data.len() as u64);
        prop_assert_eq!(bio::good(&input, &NoProbe), input.data.len() as u64);
        prop_assert_eq!(&bio::read_back(&input, false), &input.data);
        prop_assert_eq!(&bio::read_back(&input, true), &input.data);
    }
}
