//! Random inputs beyond the fixed-seed ones: the variants still agree.

use perf_hints::hints::{batched_lookups, index_tree, small_vec, struct_padding, with_capacity};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn with_capacity_agrees(values in prop::collection::vec(any::<u32>(), 0..2_000)) {
        let bad = with_capacity::bad(&values);
        prop_assert_eq!(&bad, &with_capacity::good(&values));
        prop_assert_eq!(&bad, &with_capacity::collect(&values));
    }

    #[test]
    fn struct_padding_agrees(records in prop::collection::vec((any::<bool>(), any::<i64>(), any::<i32>()), 0..500)) {
        use struct_padding::{Ordered, Padded, Plain};
        let padded: Vec<Padded> = records.iter().map(|&(flag, value, count)| Padded { flag, value, count }).collect();
        let ordered: Vec<Ordered> = records.iter().map(|&(flag, value, count)| Ordered { value, count, flag }).collect();
        let plain: Vec<Plain> = records.iter().map(|&(flag, value, count)| Plain { flag, value, count }).collect();
        let bad = struct_padding::bad(&padded);
        prop_assert_eq!(bad, struct_padding::good(&ordered));
        prop_assert_eq!(bad, struct_padding::plain(&plain));
    }

    /// Small key ranges force duplicates; sorted runs make degenerate trees.
    #[test]
    fn index_tree_agrees(
        keys in prop::collection::vec(0u32..200, 0..300),
        probes in prop::collection::vec(0u32..250, 0..50),
        sorted in any::<bool>(),
    ) {
        let mut keys = keys;
        if sorted {
            keys.sort_unstable();
        }
        let bad = index_tree::bad(&keys, &probes);
        prop_assert_eq!(bad, index_tree::good(&keys, &probes));
        let mut distinct = keys.clone();
        distinct.sort_unstable();
        distinct.dedup();
        prop_assert_eq!(bad.len, distinct.len());
    }

    #[test]
    fn small_vec_agrees(tags in prop::collection::vec(any::<u32>(), 0..400), len in 0usize..20) {
        let bad = small_vec::bad(&tags, len);
        prop_assert_eq!(bad, small_vec::good(&tags, len));
        prop_assert_eq!(bad, small_vec::vec_grown(&tags, len));
    }

    #[test]
    fn batched_lookups_agree(
        entries in prop::collection::vec((0u64..100, any::<u64>()), 0..100),
        keys in prop::collection::vec(0u64..120, 0..200),
    ) {
        let cache: batched_lookups::SharedCache = batched_lookups::SharedCache::new(&entries);
        let none = perf_hints::hint::NoProbe;
        prop_assert_eq!(batched_lookups::bad(&cache, &keys, &none), batched_lookups::good(&cache, &keys, &none));
    }
}

// main: hash_join, dedup, sorted_intersection, lookup_structure
mod algo_main {
    use perf_hints::hints::{dedup, hash_join, lookup_structure, sorted_intersection};
    use proptest::prelude::*;

    fn sorted_distinct(v: Vec<u32>) -> Vec<u32> {
        let mut v = v;
        v.sort_unstable();
        v.dedup();
        v
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Small key ranges force many matches per key.
        #[test]
        fn hash_join_agrees(
            left in prop::collection::vec((0u32..20, any::<u32>()), 0..60),
            right in prop::collection::vec((0u32..20, any::<u32>()), 0..60),
        ) {
            prop_assert_eq!(hash_join::bad(&left, &right), hash_join::good(&left, &right));
        }

        #[test]
        fn dedup_agrees(items in prop::collection::vec(0u64..50, 0..300)) {
            let bad = dedup::bad(&items);
            prop_assert_eq!(&bad, &dedup::good(&items));
            prop_assert_eq!(&bad, &dedup::sort_dedup(&items));
            // The order-keeping variants keep first-seen order exactly.
            prop_assert_eq!(bad.values, dedup::good(&items).values);
        }

        #[test]
        fn sorted_intersection_agrees(
            a in prop::collection::vec(0u32..100, 0..80),
            b in prop::collection::vec(0u32..100, 0..80),
        ) {
            let (a, b) = (sorted_distinct(a), sorted_distinct(b));
            let none = &perf_hints::hint::NoProbe;
            let bad = sorted_intersection::bad(&a, &b, none);
            prop_assert_eq!(&bad, &sorted_intersection::good(&a, &b, none));
            prop_assert_eq!(&bad, &sorted_intersection::merge(&a, &b, none));
            prop_assert_eq!(&bad, &sorted_intersection::scan(&a, &b));
            let p = sorted_intersection::Pair::new(a, b);
            prop_assert_eq!(&bad, &sorted_intersection::sort_merge(&p.ua, &p.ub, none));
        }

        #[test]
        fn lookup_structure_agrees(n in 0usize..300) {
            let m = lookup_structure::input(n);
            let bad = lookup_structure::bad(&m);
            prop_assert_eq!(bad, lookup_structure::good(&m));
            prop_assert_eq!(bad, lookup_structure::sorted_vec(&m));
            prop_assert_eq!(bad, lookup_structure::linear_scan(&m));
        }
    }
}

// hints-b: word_count, view_types, soa_vs_aos, enum_dispatch
mod hints_b {
    use perf_hints::hints::{enum_dispatch, soa_vs_aos, view_types, word_count};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Few short words force repeats; mixed whitespace and non-ASCII
        /// letters check that every variant splits the same way.
        #[test]
        fn word_count_agrees(
            lead in prop::sample::select(vec!["", " ", "\n\t"]),
            words in prop::collection::vec(("[abcé]{1,3}", prop::sample::select(vec![" ", "  ", "\t", "\n", " \r\n"])), 0..300),
        ) {
            let mut text = String::from(lead);
            for (w, sep) in &words {
                text.push_str(w);
                text.push_str(sep);
            }
            let bad = word_count::bad(&text, &perf_hints::hint::NoProbe);
            prop_assert_eq!(&bad, &word_count::good(&text, &perf_hints::hint::NoProbe));
            prop_assert_eq!(&bad, &word_count::ahash(&text, &perf_hints::hint::NoProbe));
            prop_assert_eq!(&bad, &word_count::owned_key(&text, &perf_hints::hint::NoProbe));
            prop_assert_eq!(bad.0.iter().map(|(_, n)| n).sum::<usize>(), words.len());
        }

        #[test]
        fn view_types_agree(
            records in prop::collection::vec(("\\PC{0,24}", prop::collection::vec(any::<u32>(), 0..20)), 0..100),
        ) {
            let records: Vec<view_types::Record> = records
                .into_iter()
                .map(|(name, scores)| view_types::Record { name, scores })
                .collect();
            let bad = view_types::bad(&records);
            prop_assert_eq!(bad, view_types::good(&records));
            prop_assert_eq!(bad, view_types::cow(&records));
        }

        /// Every field count, any number of particles (including fewer than
        /// the four running sums); the sums must match to the bit.
        #[test]
        fn soa_vs_aos_agrees(
            fields in prop::collection::vec(-1e6f64..1e6, 0..(8 * 40)),
            read in 0usize..=8,
        ) {
            let aos: Vec<soa_vs_aos::Particle> = fields
                .chunks_exact(8)
                .map(|f| soa_vs_aos::Particle {
                    x: f[0], y: f[1], z: f[2], vx: f[3], vy: f[4], vz: f[5], mass: f[6], charge: f[7],
                })
                .collect();
            let soa = soa_vs_aos::Particles::from(aos.as_slice());
            prop_assert_eq!(
                soa_vs_aos::bad(&aos, read).to_bits(),
                soa_vs_aos::good(&soa, read).to_bits()
            );
        }

        #[test]
        fn enum_dispatch_agrees(
            specs in prop::collection::vec((0u8..3, 0.1f64..100.0, 0.1f64..100.0, 0.05f64..0.95), 0..300),
        ) {
            use enum_dispatch::{Kind, Spec};
            let specs: Vec<Spec> = specs
                .into_iter()
                .map(|(k, a, b, t)| match k {
                    0 => Spec { kind: Kind::Circle, dims: [a, 0.0, 0.0] },
                    1 => Spec { kind: Kind::Rect, dims: [a, b, 0.0] },
                    _ => {
                        let (lo, hi) = ((a - b).abs(), a + b);
                        Spec { kind: Kind::Triangle, dims: [a, b, lo + (hi - lo) * t] }
                    }
                })
                .collect();
            prop_assert_eq!(
                enum_dispatch::bad(&specs).to_bits(),
                enum_dispatch::good(&specs).to_bits()
            );
        }
    }
}

// hints-a: string_building, top_k, sort_once, memoize
mod hints_a {
    use perf_hints::hint::NoProbe;
    use perf_hints::hints::{memoize, sort_once, string_building, top_k};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Pieces of any length, empty ones and multi-byte characters included.
        #[test]
        fn string_building_agrees(pieces in prop::collection::vec(".{0,12}", 0..200)) {
            let bad = string_building::bad(&pieces, &NoProbe);
            prop_assert_eq!(&bad, &string_building::good(&pieces, &NoProbe));
            prop_assert_eq!(&bad, &string_building::concat(&pieces, &NoProbe));
            prop_assert_eq!(&bad, &string_building::quadratic(&pieces, &NoProbe));
            prop_assert_eq!(bad.len(), pieces.iter().map(String::len).sum::<usize>());
        }

        /// Small value ranges force ties; k from 0 to past the input's length.
        #[test]
        fn top_k_agrees(values in prop::collection::vec(0u32..50, 0..300), k in 0usize..40, sorted in any::<bool>()) {
            let mut values = values;
            if sorted {
                // Ascending input: every value enters the heap.
                values.sort_unstable();
            }
            let bad = top_k::bad(&values, k);
            prop_assert_eq!(&bad, &top_k::good(&values, k));
            prop_assert_eq!(&bad, &top_k::select_nth(&values, k));
            prop_assert_eq!(bad.len(), k.min(values.len()));
            prop_assert!(bad.windows(2).all(|w| w[0] >= w[1]));
        }

        /// Duplicates, queries outside the values' range, empty sides.
        #[test]
        fn sort_once_agrees(
            values in prop::collection::vec(0u32..100, 0..200),
            queries in prop::collection::vec(0u32..120, 0..100),
        ) {
            let bad = sort_once::bad(&values, &queries);
            prop_assert_eq!(&bad, &sort_once::good(&values, &queries));
            for (q, r) in queries.iter().zip(&bad) {
                prop_assert_eq!(*r, values.iter().filter(|&&v| v < *q).count());
            }
        }

        /// Key ranges below and above the bounded cache's capacity, so it evicts.
        #[test]
        fn memoize_agrees(keys in prop::collection::vec(0u64..400, 0..1_000)) {
            let f = |k: u64| k.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (k >> 3);
            let bad = memoize::bad(&keys, f, &NoProbe);
            prop_assert_eq!(&bad, &memoize::good(&keys, f, &NoProbe));
            prop_assert_eq!(&bad, &memoize::bounded(&keys, f, &NoProbe));
            prop_assert_eq!(&bad, &memoize::lru(&keys, f, &NoProbe));
        }

        #[test]
        fn memoize_agrees_on_generated_inputs(repeat_percent in 0usize..=100) {
            let keys = memoize::input(repeat_percent);
            let bad = memoize::bad(&keys, memoize::expensive, &NoProbe);
            prop_assert_eq!(&bad, &memoize::good(&keys, memoize::expensive, &NoProbe));
            prop_assert_eq!(&bad, &memoize::bounded(&keys, memoize::expensive, &NoProbe));
            let skewed = memoize::skewed_input(repeat_percent);
            let bad = memoize::bad(&skewed, memoize::expensive, &NoProbe);
            prop_assert_eq!(&bad, &memoize::lru(&skewed, memoize::expensive, &NoProbe));
            prop_assert_eq!(&bad, &memoize::bounded(&skewed, memoize::expensive, &NoProbe));
        }
    }
}

// main: inlining, logging_hot_path
mod work_main {
    use perf_hints::hints::{inlining, logging_hot_path as lh};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn inlining_agrees(items in prop::collection::vec(any::<u64>(), 0..500)) {
            let bad = inlining::bad(&items);
            prop_assert_eq!(bad, inlining::good(&items));
            prop_assert_eq!(bad, inlining::leaf(&items));
            prop_assert_eq!(bad, inlining::never(&items));
            prop_assert_eq!(bad, inlining::dyn_fn(&items));
            prop_assert_eq!(bad, inlining::generic(&items));
        }

        /// The level is process-wide and other tests may change it: the
        /// result must not depend on it.
        #[test]
        fn logging_agrees(items in prop::collection::vec(any::<u64>(), 0..300)) {
            let bad = lh::bad(&items, &perf_hints::hint::NoProbe);
            prop_assert_eq!(bad, lh::good(&items, &perf_hints::hint::NoProbe));
            prop_assert_eq!(bad, lh::hoisted(&items, &perf_hints::hint::NoProbe));
            prop_assert_eq!(bad, lh::static_filter(&items, &perf_hints::hint::NoProbe));
        }
    }
}

// hints-c: avoid_clone, reuse_buffer, cow_strings, iterator_fusion, buffered_io (random contents, empty records and
// strings, multi-byte characters included).
mod hints_c {
    use perf_hints::hints::{avoid_clone, buffered_io, cow_strings, iterator_fusion, reuse_buffer};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn avoid_clone_agrees(fields in prop::collection::vec((".{0,40}", ".{0,12}"), 0..100)) {
            let records: Vec<avoid_clone::ResponseData> = fields
                .into_iter()
                .map(|(name, id)| avoid_clone::ResponseData { name, id })
                .collect();
            let bad = avoid_clone::bad(&records);
            prop_assert_eq!(&bad, &avoid_clone::good(&records));
            for (r, s) in records.iter().zip(&bad) {
                prop_assert_eq!(s.len(), "User  ()".len() + r.name.len() + r.id.len());
            }
        }

        /// Empty records, long records (the buffer grows past earlier lines).
        #[test]
        fn reuse_buffer_agrees(records in prop::collection::vec(prop::collection::vec(any::<u32>(), 0..60), 0..100)) {
            prop_assert_eq!(reuse_buffer::bad(&records), reuse_buffer::good(&records));
        }

        /// Any text: titlecase letters, final sigma, letters that lowercase
        /// to two chars; plus some ASCII mixes.
        #[test]
        fn cow_strings_agrees(words in prop::collection::vec(prop_oneof![".{0,12}", "[a-zA-Z]{0,10}", Just("ǅ Σ İ ß".to_string())], 0..100)) {
            prop_assert_eq!(cow_strings::bad(&words), cow_strings::good(&words));
            for w in &words {
                let (cow, lower) = (cow_strings::lowercase(w), w.to_lowercase());
                prop_assert_eq!(cow.as_ref(), lower.as_str());
            }
        }

        #[test]
        fn cow_strings_agrees_on_generated_inputs(share in 0usize..=100) {
            let words = cow_strings::input(share);
            prop_assert_eq!(cow_strings::bad(&words), cow_strings::good(&words));
        }

        /// Any values, including ones whose square overflows `u64`.
        #[test]
        fn iterator_fusion_agrees(values in prop::collection::vec(any::<u32>(), 0..2_000)) {
            prop_assert_eq!(iterator_fusion::bad(&values), iterator_fusion::good(&values));
        }

        /// Any bytes in records of any size, a partial last record included:
        /// both variants leave the same file behind.
        #[test]
        fn buffered_io_writes_the_same_bytes(data in prop::collection::vec(any::<u8>(), 0..20_000), record in 1usize..10_000) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("out.bin");
            let input = buffered_io::Input { dir, path, record, data, side: buffered_io::Side::Write };
            let bad = buffered_io::bad(&input, &perf_hints::hint::NoProbe);
            let bad_bytes = std::fs::read(&input.path).unwrap();
            let good = buffered_io::good(&input, &perf_hints::hint::NoProbe);
            let good_bytes = std::fs::read(&input.path).unwrap();
            prop_assert_eq!(bad, good);
            prop_assert_eq!(&bad_bytes, &input.data);
            prop_assert_eq!(&good_bytes, &input.data);
        }
    }

    /// The generated inputs, edge sizes included: identical files, exact
    /// write-call counts, and the temporary directory gone after the drop.
    #[test]
    fn buffered_io_files_and_write_calls() {
        use buffered_io::{BUFFER, TOTAL};
        use perf_hints::measure::probe::Counting;
        let write_calls = |p: Counting| p.get("write calls").unwrap_or(0);
        for record in [0, 1, 8, 64, 512, 4_096, 8_192, 10_000] {
            let input = buffered_io::input(record);
            let b = Counting::new();
            buffered_io::bad(&input, &b);
            let b = write_calls(b);
            let bad_bytes = std::fs::read(&input.path).unwrap();
            let g = Counting::new();
            buffered_io::good(&input, &g);
            let g = write_calls(g);
            let good_bytes = std::fs::read(&input.path).unwrap();
            assert_eq!(bad_bytes, good_bytes, "record {record}");
            assert_eq!(bad_bytes, input.data, "record {record}");
            let records = if record == 0 {
                0
            } else {
                TOTAL.div_ceil(record) as u64
            };
            assert_eq!(b, records, "bad write calls at record {record}");
            if record > 0 && BUFFER.is_multiple_of(record) {
                assert_eq!(
                    g,
                    (TOTAL / BUFFER) as u64,
                    "good write calls at record {record}"
                );
            }
            assert!(g <= b, "record {record}");
            let dir = input.dir.path().to_path_buf();
            drop(input);
            assert!(!dir.exists(), "{} left behind", dir.display());
        }
    }
}

// hints-d: varint_fast_path, defer_work, hoist_invariants, bounds_checks.
mod hints_d {
    use perf_hints::hints::{bounds_checks, defer_work, hoist_invariants, varint_fast_path};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Any u64 values, one-byte and ten-byte ones included, in any mix.
        #[test]
        fn varint_fast_path_agrees(values in prop::collection::vec(
            prop_oneof![0u64..128, 128u64..16_384, any::<u64>(), Just(u64::MAX)], 0..500)) {
            let mut buf = Vec::new();
            for &v in &values {
                varint_fast_path::encode(v, &mut buf);
            }
            let probe = perf_hints::measure::probe::Counting::new();
            let bad = varint_fast_path::bad(&buf);
            prop_assert_eq!(bad, varint_fast_path::good(&buf, &probe));
            prop_assert_eq!(bad.0, values.len());
            let one_byte = values.iter().filter(|&&v| v < 128).count() as u64;
            prop_assert_eq!(probe.get("fast path"), Some(one_byte));
        }

        #[test]
        fn varint_fast_path_agrees_on_generated_inputs(single_percent in 0usize..=100) {
            let buf = varint_fast_path::input(single_percent);
            prop_assert_eq!(varint_fast_path::bad(&buf), varint_fast_path::good(&buf, &perf_hints::hint::NoProbe));
        }
        /// Small id ranges give hits and misses in any mix; empty directories and id lists.
        #[test]
        fn defer_work_agrees(
            dir in prop::collection::vec(0u64..64, 0..40),
            ids in prop::collection::vec(0u64..80, 0..200),
        ) {
            let input = defer_work::Input {
                names: dir.iter().map(|&k| (k, format!("n{k}"))).collect(),
                ids,
            };
            prop_assert_eq!(defer_work::bad(&input), defer_work::good(&input));
        }

        #[test]
        fn defer_work_agrees_on_generated_inputs(hit_percent in 0usize..=100) {
            let input = defer_work::input(hit_percent);
            prop_assert_eq!(defer_work::bad(&input), defer_work::good(&input));
        }

        /// Arbitrary lines, matching and near-miss ones, empty ones, no lines.
        #[test]
        fn hoist_invariants_agrees(lines in prop::collection::vec(prop_oneof![
            ".{0,40}",
            "20[0-9]{2}-[0-9]{2}-[0-9]{2} (ERROR|WARN|INFO) \\[[a-z]{1,5}\\] .{0,10}",
        ], 0..8)) {
            // Few lines: `bad` compiles per line, slow in a debug build.
            let bad = hoist_invariants::bad(&lines, hoist_invariants::PATTERN);
            prop_assert_eq!(bad, hoist_invariants::good(&lines, hoist_invariants::PATTERN));
            prop_assert!(bad <= lines.len());
        }
        /// Any values, any equal length, empty included; a longer `b` is
        /// read only as far as `a` goes.
        #[test]
        fn bounds_checks_agrees(
            pairs in prop::collection::vec((any::<u32>(), any::<u32>()), 0..300),
            extra in prop::collection::vec(any::<u32>(), 0..4),
        ) {
            let a: Vec<u32> = pairs.iter().map(|p| p.0).collect();
            let mut b: Vec<u32> = pairs.iter().map(|p| p.1).collect();
            b.extend(extra);
            let bad = bounds_checks::bad(&a, &b);
            prop_assert_eq!(bad, bounds_checks::good(&a, &b));
            prop_assert_eq!(bad, bounds_checks::sliced(&a, &b));
        }
    }

    /// A `b` shorter than `a` panics in every variant, as the indexed loop would.
    #[test]
    fn bounds_checks_short_b_panics_in_every_variant() {
        let (a, b) = ([1u32, 2, 3], [1u32, 2]);
        for f in [
            bounds_checks::bad,
            bounds_checks::good,
            bounds_checks::sliced,
        ] {
            assert!(std::panic::catch_unwind(|| f(&a, &b)).is_err());
        }
    }
}

// spawn_granularity and fast_hasher (branch `async`).
mod hints_async {
    use std::collections::BTreeMap;

    use perf_hints::hint::NoProbe;
    use perf_hints::hints::fast_hasher::{self as fh, Keys};
    use perf_hints::hints::spawn_granularity::{self as sg, Job};
    use proptest::prelude::*;

    /// What every hasher must return: the counts from an ordered map.
    fn reference<K: Ord + Clone>(keys: &Keys<K>) -> Vec<u32> {
        let mut counts = BTreeMap::new();
        for k in &keys.stream {
            *counts.entry(k.clone()).or_insert(0) += 1;
        }
        keys.queries
            .iter()
            .map(|q| counts.get(q).copied().unwrap_or(0))
            .collect()
    }

    fn check_hashers(input: &fh::Input, want: &[u32]) -> Result<(), TestCaseError> {
        prop_assert_eq!(fh::bad(input), want);
        prop_assert_eq!(fh::good(input), want);
        prop_assert_eq!(fh::fxhash(input), want);
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        /// Any items, counts of items around the chunk count, any worker count.
        #[test]
        fn spawn_granularity_agrees(
            items in prop::collection::vec(any::<u64>(), 0..200),
            rounds in 0u32..40,
            threads in 1usize..=4,
        ) {
            let job = Job::new(threads, items.clone(), rounds);
            let want: Vec<u64> = items.iter().map(|&x| sg::work(x, rounds)).collect();
            prop_assert_eq!(sg::bad(&job, job.item_fn(), &NoProbe), want.clone());
            prop_assert_eq!(sg::good(&job, job.item_fn(), &NoProbe), want.clone());
            prop_assert_eq!(sg::inline(&job, job.item_fn(), &NoProbe), want);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Small key ranges force repeats; queries include absent keys.
        #[test]
        fn fast_hasher_counts_u64_keys(
            stream in prop::collection::vec(0u64..50, 0..300),
            queries in prop::collection::vec(prop_oneof![0u64..60, any::<u64>()], 0..80),
        ) {
            let keys = Keys { stream, queries };
            let want = reference(&keys);
            check_hashers(&fh::Input::U64(keys), &want)?;
        }

        /// Empty, short, long and near-equal strings; prefixes of each other.
        #[test]
        fn fast_hasher_counts_string_keys(
            stream in prop::collection::vec("(ab){0,3}|[a-c]{0,20}|x{100,140}", 0..200),
            queries in prop::collection::vec("(ab){0,3}|[a-c]{0,4}|x{100,140}", 0..40),
        ) {
            let boxed = |v: Vec<String>| v.into_iter().map(String::into_boxed_str).collect();
            let keys = Keys { stream: boxed(stream), queries: boxed(queries) };
            let want = reference(&keys);
            check_hashers(&fh::Input::Str(keys), &want)?;
        }
    }

    /// The generated inputs of every size: every hasher gives the reference counts.
    #[test]
    fn fast_hasher_generated_inputs_count_right() {
        use perf_hints::Hint;
        for &size in fh::Case::sizes() {
            let input = fh::input(size);
            let want = match &input {
                fh::Input::U64(k) => reference(k),
                fh::Input::Str(k) => reference(k),
            };
            assert!(
                want.iter().any(|&c| c > 1),
                "size {size:?}: no repeated key"
            );
            check_hashers(&input, &want).unwrap();
        }
    }
}

// python: python_batching (with `--features python`): every variant scores any
// batch like `mix`, split between one or two Python threads.
#[cfg(feature = "python")]
mod python {
    use perf_hints::hints::python_batching::{self as pb, Input};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Any u64 values (the full range a Python int converts from), any
        /// work, one or two threads, empty batches included.
        #[test]
        fn python_batching_agrees(
            values in prop::collection::vec(any::<u64>(), 0..200),
            rounds in 0u32..50,
            threads in 1usize..=2,
        ) {
            let want: Vec<u64> = values.iter().map(|&x| pb::mix(x, rounds)).collect();
            let input = Input::with_values(threads, rounds, values);
            let none = perf_hints::hint::NoProbe;
            prop_assert_eq!(pb::bad(&input, &none).to_vec(), want.clone());
            prop_assert_eq!(pb::good(&input, &none).to_vec(), want.clone());
            prop_assert_eq!(pb::held(&input, &none).to_vec(), want.clone());
            prop_assert_eq!(pb::buffer(&input, &none).to_vec(), want);
        }
    }
}

// The thread hints (branch `threads`): random inputs and thread counts, every
// variant agrees with the sequential result.
mod threads_branch {
    use perf_hints::hint::NoProbe;
    use perf_hints::hints::{lock_contention, parallel_iter, sharded_map};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        #[test]
        fn parallel_iter_agrees(
            items in prop::collection::vec(any::<u64>(), 0..400),
            rounds in 0u32..20,
            threads in 1usize..5,
        ) {
            let input = parallel_iter::Input { pool: perf_hints::support::threads::pool(threads), items, rounds };
            prop_assert_eq!(parallel_iter::bad(&input, &NoProbe), parallel_iter::good(&input, &NoProbe));
        }

        #[test]
        fn lock_contention_agrees(
            items in prop::collection::vec(any::<u64>(), 0..400),
            rounds in 0u32..20,
            threads in 1usize..5,
        ) {
            let input = lock_contention::Input { pool: perf_hints::support::threads::pool(threads), items, rounds };
            let bad = lock_contention::bad(&input, &NoProbe);
            prop_assert_eq!(bad, lock_contention::good(&input, &NoProbe));
            prop_assert_eq!(bad, lock_contention::atomic(&input, &NoProbe));
        }

        /// Reads of keys 0..20 (all present), updates of keys 100..130 (some
        /// present), any deltas: wrapping sums, any mix, no ops at all.
        #[test]
        fn sharded_map_agrees(
            start in prop::collection::vec(any::<u64>(), 20),
            counts in prop::collection::vec(any::<u64>(), 0..30),
            ops in prop::collection::vec(prop_oneof![
                (0u64..20).prop_map(sharded_map::Op::Read),
                (100u64..130, any::<u64>()).prop_map(|(k, d)| sharded_map::Op::Add(k, d)),
            ], 0..300),
            threads in 1usize..5,
        ) {
            let start: sharded_map::Map = (0u64..).zip(start)
                .chain((100u64..).zip(counts))
                .collect();
            let input = sharded_map::Input::new(threads, start, ops);
            let want = sharded_map::sequential(&input);
            prop_assert_eq!(sharded_map::bad(&input, &NoProbe), want);
            prop_assert_eq!(sharded_map::good(&input, &NoProbe), want);
            prop_assert_eq!(sharded_map::mutex(&input, &NoProbe), want);
        }
    }
}
