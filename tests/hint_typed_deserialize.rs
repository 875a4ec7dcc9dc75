//! `typed_deserialize`: the variants agree on edge and random documents, each
//! record is exactly `RECORD_BYTES` of JSON, and the allocations and the
//! strings copied are exactly what `fn expect` declares.

perf_hints::count_allocations!();

use perf_hints::Hint;
use perf_hints::hint::NoProbe;
use perf_hints::hints::typed_deserialize::{
    self, COPIED, Case, Input, KEYS, RECORD_BYTES, STRINGS, Size, Summary,
};
use perf_hints::measure::counts;
use proptest::prelude::*;

fn all(input: &Input) -> [Summary; 3] {
    [
        typed_deserialize::bad(input, &NoProbe),
        typed_deserialize::good(input, &NoProbe),
        typed_deserialize::borrowed(input, &NoProbe),
    ]
}

fn agree(json: &str) -> Summary {
    let input = Input {
        json: json.to_string(),
    };
    let [bad, good, borrowed] = all(&input);
    assert_eq!(bad, good, "good on {json}");
    assert_eq!(bad, borrowed, "borrowed on {json}");
    bad
}

#[test]
fn counting_allocator_is_installed() {
    assert!(perf_hints::measure::alloc_count::is_installed());
}

#[test]
fn variants_agree_on_edge_inputs() {
    assert_eq!(agree("[]"), Summary::default());
    let one = r#"[{"id":7,"name":"","email":"\u00e9","tags":[],"score":0.5,"level":1}]"#;
    let s = agree(one);
    assert_eq!(
        (s.records, s.ids, s.text_bytes),
        (1, 7, 2),
        "é is two bytes"
    );
    // Field order and unknown fields do not matter to any variant.
    agree(
        r#"[{"level":3,"extra":[1,{"x":null}],"tags":["a\nb","c"],"score":2.25,"email":"e","name":"n\"","id":18446744073709551615},
            {"id":1,"name":"x","email":"y","tags":["z"],"score":99.99,"level":0}]"#,
    );
}

#[test]
fn every_record_has_the_same_length() {
    for escaped_pct in [0, 50, 100] {
        for records in [0, 1, 7, 1_000] {
            let size = Size {
                escaped_pct,
                records,
            };
            let input = typed_deserialize::input(size);
            let want = if records == 0 {
                2
            } else {
                records * (RECORD_BYTES + 1) + 1
            };
            assert_eq!(input.json.len(), want, "{size:?}");
            agree(&input.json);
        }
    }
}

#[test]
fn escaped_records_are_the_share_asked_for() {
    let input = typed_deserialize::input(Size {
        escaped_pct: 30,
        records: 10,
    });
    assert_eq!(input.json.matches("\\\"").count(), 3 * STRINGS);
    let plain = typed_deserialize::input(Size {
        escaped_pct: 0,
        records: 10,
    });
    assert!(!plain.json.contains('\\'));
}

#[test]
fn allocations_and_strings_copied_are_exact() {
    let sizes = Case::sizes();
    let run = counts::count::<Case>(sizes);
    for (row, &size) in run.rows.iter().zip(sizes) {
        let n = size.records as u64;
        let escaped = n * u64::from(size.escaped_pct) / 100;
        for v in ["bad", "good", "borrowed"] {
            let a = row.allocs(v).unwrap();
            assert_eq!(
                a.total(),
                typed_deserialize::allocations(v, size),
                "{v}/{size:?}: {a:?}"
            );
        }
        let copied = |v| row.counter(v, COPIED);
        assert_eq!(copied("bad"), Some(n * (KEYS + STRINGS) as u64), "{size:?}");
        assert_eq!(copied("good"), Some(n * STRINGS as u64), "{size:?}");
        assert_eq!(
            copied("borrowed"),
            Some(escaped * STRINGS as u64),
            "{size:?}"
        );
    }
}

#[test]
fn vec_growths_double_from_four() {
    let g = typed_deserialize::vec_growths;
    assert_eq!(
        [g(0), g(1), g(4), g(5), g(8), g(9), g(1_000)],
        [0, 0, 0, 1, 1, 2, 8]
    );
}

fn word() -> impl Strategy<Value = String> {
    // Letters, quotes, backslashes, control and non-ASCII characters.
    prop::collection::vec(
        prop_oneof![
            Just('a'),
            Just('"'),
            Just('\\'),
            Just('\n'),
            Just('é'),
            Just('€'),
            Just('z')
        ],
        0..12,
    )
    .prop_map(|c| c.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn variants_agree_on_random_documents(
        records in prop::collection::vec(
            (any::<u64>(), word(), word(), prop::collection::vec(word(), 0..4), 0u32..100_000, 0u64..1_000),
            0..20,
        ),
    ) {
        let docs: Vec<String> = records
            .iter()
            .map(|(id, name, email, tags, cents, level)| {
                let tags: Vec<String> = tags.iter().map(|t| serde_json::to_string(t).unwrap()).collect();
                format!(
                    r#"{{"id":{id},"name":{},"email":{},"tags":[{}],"score":{}.{:02},"level":{level}}}"#,
                    serde_json::to_string(name).unwrap(),
                    serde_json::to_string(email).unwrap(),
                    tags.join(","),
                    cents / 100,
                    cents % 100,
                )
            })
            .collect();
        let input = Input { json: format!("[{}]", docs.join(",")) };
        let [bad, good, borrowed] = all(&input);
        prop_assert_eq!(bad, good);
        prop_assert_eq!(bad, borrowed);
        prop_assert_eq!(bad.records, records.len() as u64);
    }

    #[test]
    fn generated_inputs_agree(escaped_pct in 0u32..=100, records in 0usize..50) {
        let input = typed_deserialize::input(Size { escaped_pct, records });
        let [bad, good, borrowed] = all(&input);
        prop_assert_eq!(bad, good);
        prop_assert_eq!(bad, borrowed);
    }
}
