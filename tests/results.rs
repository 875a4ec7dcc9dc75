//! Bad input to the results tools gives an error that names the file and the
//! fix, and never writes anything.

use perf_hints::report::{Machine, Run, SCHEMA};
use perf_hints::results;

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(filter: Option<&str>, quick: bool) -> Run {
    Run {
        schema: SCHEMA,
        started: "2026-01-01T00:00:00Z".into(),
        command: "cargo bench".into(),
        filter: filter.map(str::to_string),
        quick,
        seconds: 1.0,
        machine: Machine::default(),
        hints: Vec::new(),
    }
}

#[test]
fn a_corrupt_record_names_the_file_and_the_fix() {
    let dir = scratch("corrupt");
    let path = dir.join("2026-01-01T00-00-00Z-abc.json");
    std::fs::write(&path, "{ not json").unwrap();
    let err = results::load(&path).unwrap_err();
    assert!(err.contains(&path.display().to_string()), "{err}");
    assert!(err.contains(results::RECORD_COMMAND), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{ not json");
}

#[test]
fn a_missing_record_names_the_file_and_the_fix() {
    let path = scratch("missing").join("nope.json");
    let err = results::load(&path).unwrap_err();
    assert!(
        err.contains("nope.json") && err.contains(results::RECORD_COMMAND),
        "{err}"
    );
}

#[test]
fn an_empty_results_directory_says_how_to_record() {
    let dir = scratch("empty");
    let err = results::records(&dir).unwrap_err();
    assert!(err.contains(results::RECORD_COMMAND), "{err}");
}

#[test]
fn filtered_quick_and_incomplete_runs_are_never_recorded() {
    let err = results::record(&run(Some("with_capacity/"), false)).unwrap_err();
    assert!(err.contains("filtered"), "{err}");
    let err = results::record(&run(None, true)).unwrap_err();
    assert!(err.contains("quick"), "{err}");
    let err = results::record(&run(None, false)).unwrap_err();
    assert!(
        err.contains("incomplete") && err.contains("with_capacity/bad/10"),
        "{err}"
    );
}
