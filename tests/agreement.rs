//! Every variant of every hint returns what `bad` returns: at every size the
//! bench uses (the largest included), and at the edges (empty, one element).

#[test]
fn variants_agree_at_every_size_and_edge() {
    let mut errors = Vec::new();
    for e in perf_hints::hints::enabled() {
        let mut sizes = vec![0, 1];
        sizes.extend(e.sizes());
        for size in sizes {
            if let Err(err) = e.agree(size) {
                errors.push(err);
            }
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn sizes_are_increasing_and_variants_start_with_bad_then_good() {
    let mut errors = Vec::new();
    for e in perf_hints::hints::enabled() {
        if !e.sizes().windows(2).all(|w| w[0] < w[1]) {
            errors.push(format!("{}: sizes not increasing", e.id()));
        }
        let names = e.variants();
        if names.len() < 2 || names[0] != "bad" || names[1] != "good" {
            errors.push(format!(
                "{}: variants {names:?} must start bad, good",
                e.id()
            ));
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
