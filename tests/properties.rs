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
        prop_assert_eq!(small_vec::bad(&tags, len), small_vec::good(&tags, len));
    }

    #[test]
    fn batched_lookups_agree(
        entries in prop::collection::vec((0u64..100, any::<u64>()), 0..100),
        keys in prop::collection::vec(0u64..120, 0..200),
    ) {
        let cache: batched_lookups::SharedCache = batched_lookups::SharedCache::new(&entries);
        prop_assert_eq!(batched_lookups::bad(&cache, &keys), batched_lookups::good(&cache, &keys));
    }
}

// hints-a: string_building, top_k, sort_once, memoize
mod hints_a {
    use perf_hints::hints::{memoize, sort_once, string_building, top_k};
    use proptest::prelude::*;
    use string_building::NoTally;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Pieces of any length, empty ones and multi-byte characters included.
        #[test]
        fn string_building_agrees(pieces in prop::collection::vec(".{0,12}", 0..200)) {
            let bad = string_building::bad(&pieces, &mut NoTally);
            prop_assert_eq!(&bad, &string_building::good(&pieces, &mut NoTally));
            prop_assert_eq!(&bad, &string_building::concat(&pieces, &mut NoTally));
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
            let bad = memoize::bad(&keys, f);
            prop_assert_eq!(&bad, &memoize::good(&keys, f));
            prop_assert_eq!(&bad, &memoize::bounded(&keys, f));
        }

        #[test]
        fn memoize_agrees_on_generated_inputs(repeat_percent in 0usize..=100) {
            let keys = memoize::input(repeat_percent);
            let bad = memoize::bad(&keys, memoize::expensive);
            prop_assert_eq!(&bad, &memoize::good(&keys, memoize::expensive));
            prop_assert_eq!(&bad, &memoize::bounded(&keys, memoize::expensive));
        }
    }
}
