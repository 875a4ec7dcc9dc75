//! JSON parsed to a generic `serde_json::Value` tree against a derived struct
//! with owned strings and one with `Cow` strings that borrow the input.
//!
//! `cargo run --release --example typed_deserialize`

perf_hints::count_allocations!();

use std::borrow::Cow;

use perf_hints::hints::typed_deserialize::{Case, RecordRef, Size};

fn main() {
    for json in [
        r#"{"id":1,"name":"plain","email":"a@b.c","tags":[],"score":1.5,"level":2}"#,
        r#"{"id":1,"name":"es\"caped","email":"a@b.c","tags":[],"score":1.5,"level":2}"#,
    ] {
        let r: RecordRef = serde_json::from_str(json).expect("valid JSON");
        let how = match r.name {
            Cow::Borrowed(_) => "borrows the input",
            Cow::Owned(_) => "had to decode into a new String",
        };
        println!("name {:?} {how}", r.name);
    }
    println!();
    let sizes: Vec<Size> = [0, 100]
        .into_iter()
        .flat_map(|escaped_pct| {
            [10, 1_000].map(|records| Size {
                escaped_pct,
                records,
            })
        })
        .collect();
    perf_hints::example::run::<Case>(&sizes);
}
