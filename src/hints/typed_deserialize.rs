//! # Deserialize into typed structs, borrowing strings where possible (`typed_deserialize`)
//!
//! ## Cost model
//! Parsing JSON into a generic tree (`serde_json::Value`) builds the whole
//! document as heap objects before the program looks at any of it: every
//! object a map (a B-tree node) with a `String` for each of its keys, every
//! string value a `String`, every array a `Vec`. A record of six fields
//! costs a dozen allocations and as many copies, the same keys copied once
//! per record, and reading a field afterwards is a lookup by name in the map.
//! Deserializing into a struct that derives `Deserialize` skips the tree:
//! the generated code matches each key against the field names as it reads
//! it and writes the value into its slot, so keys are never copied, numbers
//! go straight into their fields, and the only allocations are the struct's
//! own `String`s and `Vec`s. A struct whose string fields are
//! `Cow<'a, str>` marked `#[serde(borrow)]` goes one step further: where a
//! string in the input has no escape sequence, its text in the input is
//! already the value, and the field borrows it (`Cow::Borrowed`) with no
//! allocation and no copy. A string with an escape (`\"`, `\n`, `\u00e9`)
//! has to be decoded into new memory, and that field is `Cow::Owned`.
//!
//! The job: a JSON array of records (`id`, `name`, `email`, three `tags`, a
//! `score`, a `level`), each exactly [`RECORD_BYTES`] bytes of JSON plus a
//! comma; the result is a checksum of the ids, scores and levels and the
//! total length of the decoded strings. `bad` parses to a `Value` and reads
//! the fields by key, `good` to `Vec<Record>` with owned `String`s,
//! `borrowed` to `Vec<RecordRef>` with `Cow` strings. A size is a number of
//! records and the share of records whose strings all contain an escape,
//! 0 % or 100 %: the case where borrowing works and the case where it
//! cannot.
//!
//! ## The fix
//! Declare the shape you expect as a struct and deserialize into it
//! (`serde_json::from_str::<Vec<Record>>`); unknown fields are skipped
//! without being built. Where the input outlives the parsed records (a
//! buffer read whole, a request body), borrow the strings: `&'a str` fails
//! on an escaped string, so use `Cow<'a, str>` with `#[serde(borrow)]`,
//! which borrows when it can and owns when it must. The attribute reaches a
//! `Cow` only when it is the field's own type: `Vec<Cow<'a, str>>` gets the
//! standard `Deserialize` of `Cow`, which always copies (in this crate's
//! first version of `borrowed`, the tags were all copies), so wrap the
//! element in a newtype with `#[serde(borrow)]` on its field ([`Tag`]).
//!
//! ## When it does not help
//! When the shape is not known in advance (a JSON viewer, a generic
//! transformer, a document whose fields are discovered at run time) the
//! tree is the job. Borrowing needs the input kept alive as long as the
//! records, and a parse from a reader (`from_reader`) cannot borrow at all.
//! Where every string is escaped (text full of quotes, non-ASCII text
//! written as `\u` escapes), `Cow` allocates as much as `String` does, and
//! does the work `good` does; small documents are dominated by the
//! parse itself either way.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: allocation profile. `serde_json::Value` trees (`BTreeMap`/`Map`
//! nodes, one `String` per key) built only to read a few fields; this crate
//! counts `strings copied` in `cargo bench -- typed_deserialize/`.
//!
//! ## Claim
//! msgspec's typed structs decode 1 KB of JSON in 5-15 µs where the standard
//! library's `json` takes 50-100 µs (sources): a factor of at least 3.3
//! (50/15), in Python, where the generic tree is Python dicts and strings.
//! Checked here as the same job in Rust: a generic `Value` tree against a
//! derived struct, at about 1 KB (10 records) and 120 KB (1,000 records),
//! with and without escapes.
//!
//! ## Measured
//! The allocations are exact (`validate` and `tests/hint_typed_deserialize.rs`
//! check them): per record, `bad` makes 13 (the map's node, six keys, five
//! string values, the tags' array), `good` 6 (five strings and the tags'
//! `Vec`), `borrowed` 1 without escapes (the tags' `Vec`) and 6 with them; on
//! top, each makes the outer array's `Vec` and its regrowths, and where
//! strings are escaped serde_json's decoding buffer (one allocation and one
//! regrowth). The `strings copied` counter counts, in the work, the strings
//! each variant holds as copies (for `bad` its keys as well): it is what
//! borrowing saves.
//!
//! Time per KB: every record is [`RECORD_BYTES`] + 1 bytes of JSON, so a size
//! of `n` records is `n × (RECORD_BYTES + 1) + 1` bytes
//! (`tests/hint_typed_deserialize.rs` checks it); divide a time in the table
//! below by that many KB (about 1.2 KB at 10 records, 119 KB at 1,000) for the
//! claim's unit.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- typed_deserialize/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/typed_deserialize.md"))]

use std::borrow::Cow;

use rand::Rng;
use serde::Deserialize;
use serde_json::Value;

use crate::hint::{Hint, Probe, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure, Growth};
use crate::judge::predict::Prediction;
use crate::model::Param;

/// The counter: strings a variant holds as copies of the input's text.
pub const COPIED: &str = "strings copied";

/// Bytes of JSON in one record, commas between records not counted.
pub const RECORD_BYTES: usize = RECORD_TEMPLATE.len();

/// The shape of one record; every `x` run is replaced by data of the same
/// width, so every record has the same length.
const RECORD_TEMPLATE: &str = r#"{"id":xxxxxx,"name":"xxxxxxxx","email":"xxxxxxxx@example.com","tags":["xxxx","xxxx","xxxx"],"score":xx.xx,"level":x}"#;

/// Strings per record: the name, the email and three tags.
pub const STRINGS: usize = 5;

/// Keys per record.
pub const KEYS: usize = 6;

/// A size: the number of records and the percentage of them whose strings
/// all contain an escape. Sizes sort by the percentage, then the count; a
/// chart draws one line per percentage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Size {
    pub escaped_pct: u32,
    pub records: usize,
}

impl Param for Size {
    fn key(&self) -> String {
        format!("e{}-{}", self.escaped_pct, self.records)
    }
    fn parse(key: &str) -> Option<Self> {
        let (pct, n) = key.strip_prefix('e')?.split_once('-')?;
        let escaped_pct: u32 = pct.parse().ok()?;
        (escaped_pct <= 100).then_some(())?;
        Some(Size {
            escaped_pct,
            records: n.parse().ok()?,
        })
    }
    fn label(&self) -> String {
        format!(
            "{}, {} % escaped",
            crate::support::fmt::plural(self.records, "record"),
            self.escaped_pct
        )
    }
    fn series(&self) -> String {
        format!("{} % escaped", self.escaped_pct)
    }
    fn x(&self) -> f64 {
        self.records as f64
    }
    fn tick(&self) -> String {
        self.records.tick()
    }
    fn edges() -> Vec<Self> {
        [0, 100]
            .into_iter()
            .flat_map(|escaped_pct| {
                [0, 1].map(|records| Size {
                    escaped_pct,
                    records,
                })
            })
            .collect()
    }
    fn from_legacy(_size: usize) -> Option<Self> {
        None
    }
}

/// The document, and what it was built from.
#[derive(Clone, Debug)]
pub struct Input {
    pub json: String,
}

/// What every variant computes from the records.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub records: u64,
    /// Wrapping sum of the ids.
    pub ids: u64,
    /// Sum of the scores in hundredths.
    pub score_cents: u64,
    pub levels: u64,
    /// Bytes of decoded text in the names, emails and tags.
    pub text_bytes: u64,
}

impl Summary {
    fn add(&mut self, id: u64, score: f64, level: u64, strings: &[&str]) {
        self.records += 1;
        self.ids = self.ids.wrapping_add(id);
        self.score_cents += (score * 100.0).round() as u64;
        self.levels += level;
        self.text_bytes += strings.iter().map(|s| s.len() as u64).sum::<u64>();
    }
}

/// A record with owned strings.
#[derive(Deserialize)]
pub struct Record {
    pub id: u64,
    pub name: String,
    pub email: String,
    pub tags: Vec<String>,
    pub score: f64,
    pub level: u64,
}

/// A record whose strings borrow from the input where they have no escapes.
#[derive(Deserialize)]
pub struct RecordRef<'a> {
    pub id: u64,
    #[serde(borrow)]
    pub name: Cow<'a, str>,
    #[serde(borrow)]
    pub email: Cow<'a, str>,
    /// Not `Vec<Cow<'a, str>>`: `#[serde(borrow)]` reaches a `Cow` only
    /// when it is the field's own type; inside a `Vec` the standard
    /// `Deserialize` of `Cow` runs, and it always copies.
    #[serde(borrow)]
    pub tags: Vec<Tag<'a>>,
    pub score: f64,
    pub level: u64,
}

/// A tag that borrows from the input where it has no escapes.
#[derive(Deserialize)]
#[serde(transparent)]
pub struct Tag<'a>(#[serde(borrow)] pub Cow<'a, str>);

fn field<'v>(record: &'v Value, key: &str) -> &'v Value {
    record.get(key).expect("every record has every field")
}

fn text<'v>(record: &'v Value, key: &str) -> &'v str {
    field(record, key).as_str().expect("a string field")
}

/// A generic `Value` tree, then each field looked up by its key.
pub fn bad<P: Probe>(input: &Input, probe: &P) -> Summary {
    let doc: Value = serde_json::from_str(&input.json).expect("valid JSON");
    let mut s = Summary::default();
    for r in doc.as_array().expect("an array of records") {
        let tags = field(r, "tags").as_array().expect("an array of tags");
        // Every key and every string value of the tree is its own String.
        let keys = r.as_object().map_or(0, |o| o.len());
        probe.add(COPIED, (keys + 2 + tags.len()) as u64);
        let [a, b, c] =
            [0, 1, 2].map(|i| tags.get(i).map_or("", |t| t.as_str().expect("a string tag")));
        s.add(
            field(r, "id").as_u64().expect("an integer id"),
            field(r, "score").as_f64().expect("a number"),
            field(r, "level").as_u64().expect("an integer level"),
            &[text(r, "name"), text(r, "email"), a, b, c],
        );
    }
    s
}

/// A derived struct with owned `String`s: no keys built, one allocation per string.
pub fn good<P: Probe>(input: &Input, probe: &P) -> Summary {
    let records: Vec<Record> = serde_json::from_str(&input.json).expect("valid JSON");
    let mut s = Summary::default();
    for r in &records {
        probe.add(COPIED, (2 + r.tags.len()) as u64);
        let [a, b, c] = [0, 1, 2].map(|i| r.tags.get(i).map_or("", String::as_str));
        s.add(r.id, r.score, r.level, &[&r.name, &r.email, a, b, c]);
    }
    s
}

/// A derived struct with `Cow` strings and `#[serde(borrow)]`: unescaped strings borrow the input.
pub fn borrowed<P: Probe>(input: &Input, probe: &P) -> Summary {
    let records: Vec<RecordRef> = serde_json::from_str(&input.json).expect("valid JSON");
    let mut s = Summary::default();
    for r in &records {
        if P::COUNTING {
            let owned = [&r.name, &r.email]
                .into_iter()
                .chain(r.tags.iter().map(|t| &t.0))
                .filter(|c| matches!(c, Cow::Owned(_)))
                .count();
            probe.add(COPIED, owned as u64);
        }
        let [a, b, c] = [0, 1, 2].map(|i| r.tags.get(i).map_or("", |t| t.0.as_ref()));
        s.add(r.id, r.score, r.level, &[&r.name, &r.email, a, b, c]);
    }
    s
}

const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyz";

/// `width` random lowercase letters; escaped, the first two become `\"`.
fn word(rng: &mut impl Rng, width: usize, escaped: bool) -> String {
    let mut w: String = (0..width)
        .map(|_| LETTERS[rng.random_range(0..LETTERS.len())] as char)
        .collect();
    if escaped {
        w.replace_range(..2, "\\\"");
    }
    w
}

/// `size.records` records, the first `escaped_pct` % of them (rounded
/// down) with an escape in every string, the same on every run.
pub fn input(size: Size) -> Input {
    let mut rng = crate::rng(152);
    let n = size.records;
    let escaped_records = n * size.escaped_pct as usize / 100;
    let mut json = String::with_capacity(n * (RECORD_BYTES + 1) + 2);
    json.push('[');
    for i in 0..n {
        let e = i < escaped_records;
        if i > 0 {
            json.push(',');
        }
        let record = format!(
            r#"{{"id":{},"name":"{}","email":"{}@example.com","tags":["{}","{}","{}"],"score":{}.{:02},"level":{}}}"#,
            rng.random_range(100_000..1_000_000u32),
            word(&mut rng, 8, e),
            word(&mut rng, 8, e),
            word(&mut rng, 4, e),
            word(&mut rng, 4, e),
            word(&mut rng, 4, e),
            rng.random_range(10..100u32),
            rng.random_range(0..100u32),
            rng.random_range(0..10u32),
        );
        debug_assert_eq!(record.len(), RECORD_BYTES);
        json.push_str(&record);
    }
    json.push(']');
    Input { json }
}

/// Regrowths of a `Vec` pushed `n` items one at a time from empty: the
/// first push allocates 4 slots, each later growth doubles.
pub fn vec_growths(n: usize) -> u64 {
    let mut cap = 4;
    let mut grows = 0;
    while cap < n {
        cap *= 2;
        grows += 1;
    }
    grows
}

/// The outer array's allocations: one, and its regrowths.
fn outer(n: usize) -> u64 {
    if n == 0 { 0 } else { 1 + vec_growths(n) }
}

/// Allocations per call at `size`, per variant: see Measured.
pub fn allocations(variant: &str, size: Size) -> u64 {
    let n = size.records as u64;
    let escaped = (size.records * size.escaped_pct as usize / 100) as u64;
    // serde_json decodes an escaped string into a scratch buffer, kept for
    // the whole parse: allocated by the first name (8 bytes) and grown once,
    // by the first email, whose 19 decoded bytes no later string passes.
    let scratch = if escaped > 0 { 2 } else { 0 };
    let per_record = match variant {
        "bad" => 1 + KEYS as u64 + STRINGS as u64 + 1,
        "good" => STRINGS as u64 + 1,
        _ => 1,
    };
    let borrowed_extra = if variant == "borrowed" {
        escaped * STRINGS as u64
    } else {
        0
    };
    n * per_record + borrowed_extra + outer(size.records) + scratch
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "typed_deserialize";
    const TOPIC: Topic = Topic::Api;
    const SOURCES: &'static [SourcePoint] = &[sources::TYPED_DECODE];
    const SIZE: &'static str = "records, escaped share";
    const CLAIM: &'static str = "typed structs decode 1 KB of JSON in 5-15 µs against the generic parse's \
         50-100 µs, at least 3.3x (sources)";
    type Param = Size;
    type Input = Input;
    type Output = Summary;

    /// About 1.2 KB (the claim's size) and 119 KB of JSON, each with no
    /// escaped strings and with all of them escaped: 12 benchmarks.
    fn sizes() -> &'static [Size] {
        &[
            Size {
                escaped_pct: 0,
                records: 10,
            },
            Size {
                escaped_pct: 0,
                records: 1_000,
            },
            Size {
                escaped_pct: 100,
                records: 10,
            },
            Size {
                escaped_pct: 100,
                records: 1_000,
            },
        ]
    }

    const INPUT: fn(Size) -> Input = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Input, probe| bad(i, probe));
        v.variant("good", |i: &Input, probe| good(i, probe));
        v.variant("borrowed", |i: &Input, probe| borrowed(i, probe));
    }

    /// The tree's cost is per key and per value, so the saving does not
    /// depend on the number of records: the typed struct faster by the
    /// sources' 3.3x at every size. With no escapes, `borrowed` skips the
    /// five string allocations of each record as well: faster by as much.
    /// With every string escaped, `borrowed` allocates what `good` does and
    /// follows it: faster than `bad`, by as much as `good`.
    /// The sources name a factor: at least 3.3x.
    fn claimed(_size: Size) -> Option<Prediction> {
        Some(Prediction::faster("good").by(3.3))
    }

    fn predict(_size: Size) -> Vec<Prediction> {
        vec![
            Prediction::faster("good").by(3.3),
            Prediction::faster("borrowed").by(3.3),
        ]
    }

    fn expect() -> Vec<Expect<Size>> {
        let from_escaped = expect::Sizes::From(Size {
            escaped_pct: 100,
            records: 0,
        });
        let up_to_plain = expect::Sizes::UpTo(Size {
            escaped_pct: 0,
            records: usize::MAX,
        });
        vec![
            expect::exactly(Figure::Allocs, "bad", |s| allocations("bad", s)),
            expect::exactly(Figure::Allocs, "good", |s| allocations("good", s)),
            expect::exactly(Figure::Allocs, "borrowed", |s| {
                allocations("borrowed", s)
            }),
            expect::exactly(Figure::Counter(COPIED), "bad", |s| {
                (s.records * (KEYS + STRINGS)) as u64
            }),
            expect::exactly(Figure::Counter(COPIED), "good", |s| {
                (s.records * STRINGS) as u64
            }),
            expect::exactly(Figure::Counter(COPIED), "borrowed", |s| {
                (s.records * s.escaped_pct as usize / 100 * STRINGS) as u64
            }),
            expect::fewer_by(Figure::Allocs, "good", "bad", 2.0),
            expect::fewer_by(Figure::Allocs, "borrowed", "good", 4.0).at(up_to_plain),
            expect::no_better(Figure::Allocs, "borrowed", "good", 1.0).at(from_escaped),
            expect::fewer(Figure::Instructions, "good", "bad"),
            expect::grows(Figure::Instructions, Growth::Linear).at(up_to_plain),
        ]
    }
}
