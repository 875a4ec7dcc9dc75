//! Every variant of every hint returns what `bad` returns: at every size the
//! bench uses (the largest included), and at the edges (empty, one element).

#[test]
fn variants_agree_at_every_size_and_edge() {
    let mut errors = Vec::new();
    for e in perf_hints::hints::enabled() {
        for size in e.edges().into_iter().chain(e.sizes()) {
            if let Err(err) = e.agree(&size.key) {
                errors.push(err);
            }
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn sizes_increase_with_unique_keys_and_variants_start_with_bad_then_good() {
    let mut errors = Vec::new();
    for e in perf_hints::hints::enabled() {
        errors.extend(e.size_problems());
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
