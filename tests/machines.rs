//! Records of several machines: importing runs made elsewhere, telling
//! machines apart by their CPU, and keeping the reference machine's record
//! as the published one whatever else is newer.

use std::path::{Path, PathBuf};

use perf_hints::model::{Estimate, HintRun, Machine, Row, Run, SCHEMA, VariantFigures};
use perf_hints::publish::atlas;
use perf_hints::publish::records as results;

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("results").join("records")).unwrap();
    dir
}

fn machine(cpu: &str, cores: usize, detailed: bool) -> Machine {
    Machine {
        cpu: cpu.into(),
        cpu_family: detailed.then(|| "6".into()),
        cpu_model: detailed.then(|| "207".into()),
        caches: if detailed {
            vec!["L1d 48K".into()]
        } else {
            Vec::new()
        },
        cores,
        ..Machine::default()
    }
}

fn hint(id: &str, speedups: &[(&str, f64)]) -> HintRun {
    let est = |ns: f64| Estimate {
        point: ns,
        lo: ns * 0.99,
        hi: ns * 1.01,
    };
    HintRun {
        id: id.into(),
        size_label: String::new(),
        claim: String::new(),
        layout: Vec::new(),
        rows: speedups
            .iter()
            .map(|(key, s)| {
                Row::new(
                    key.to_string(),
                    vec![
                        VariantFigures {
                            name: "bad".into(),
                            time: Some(est(100.0)),
                            ..Default::default()
                        },
                        VariantFigures {
                            name: "good".into(),
                            time: Some(est(100.0 / s)),
                            ..Default::default()
                        },
                    ],
                )
            })
            .collect(),
    }
}

fn run(started: &str, m: Machine, filter: Option<&str>, hints: Vec<HintRun>) -> Run {
    Run {
        schema: SCHEMA,
        started: started.into(),
        command: "cargo bench".into(),
        filter: filter.map(str::to_string),
        quick: false,
        seconds: 10.0,
        machine: m,
        method: None,
        noise: None,
        costs: Vec::new(),
        origin: None,
        hints,
        disassembly: Vec::new(),
    }
}

fn write(path: &Path, r: &Run) {
    std::fs::write(path, serde_json::to_string(r).unwrap()).unwrap();
}

#[test]
fn filtered_runs_of_one_machine_import_as_one_marked_record_and_stay_untouched() {
    let root = scratch("import-assembled");
    let a = root.join("a.json");
    let b = root.join("b.json");
    let xeon = || machine("Intel(R) Xeon(R) Processor", 16, false);
    write(
        &a,
        &run(
            "2026-01-01T00:00:05Z",
            xeon(),
            Some("with_capacity/"),
            vec![hint("with_capacity", &[("10", 2.0)])],
        ),
    );
    write(
        &b,
        &run(
            "2026-01-01T00:00:01Z",
            xeon(),
            Some("dedup/"),
            vec![hint("dedup", &[("10", 1.5)])],
        ),
    );
    let before = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let lscpu = root.join("lscpu.txt");
    std::fs::write(
        &lscpu,
        "CPU family:   6\nModel:   207\nStepping:  2\nL1d cache:   768 KiB (16 instances)\nL2 cache:  32 MiB (16 instances)\nL3 cache:  300 MiB (1 instance)\n",
    )
    .unwrap();
    let path =
        results::import(&root, &[a.clone(), b.clone()], Some(&lscpu), "built at abc").unwrap();
    assert_eq!(
        before,
        (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap())
    );
    let r = results::load(&path).unwrap();
    assert!(r.assembled());
    assert_eq!(r.filter, None);
    assert_eq!(r.hints.len(), 2);
    assert_eq!(
        r.started, "2026-01-01T00:00:01Z",
        "the earliest run's start"
    );
    assert_eq!(r.machine.cpu_model.as_deref(), Some("207"));
    assert_eq!(r.machine.caches, vec!["L1d 48K", "L2 2048K", "L3 307200K"]);
    assert_eq!(r.origin.as_ref().unwrap().note, "built at abc");
    // A second import never overwrites the first.
    let again = results::import(&root, &[a, b], Some(&lscpu), "").unwrap();
    assert_ne!(again, path);
}

#[test]
fn an_import_of_two_machines_or_a_hint_twice_is_refused_naming_the_file() {
    let root = scratch("import-refused");
    let a = root.join("a.json");
    let b = root.join("b.json");
    let c = root.join("c.json");
    write(
        &a,
        &run(
            "2026-01-01T00:00:00Z",
            machine("X", 2, false),
            None,
            vec![hint("dedup", &[("10", 1.0)])],
        ),
    );
    write(
        &b,
        &run(
            "2026-01-01T00:00:00Z",
            machine("X", 16, false),
            None,
            vec![hint("top_k", &[("10", 1.0)])],
        ),
    );
    write(
        &c,
        &run(
            "2026-01-01T00:00:00Z",
            machine("X", 2, false),
            None,
            vec![hint("dedup", &[("10", 1.0)])],
        ),
    );
    let err = results::import(&root, &[a.clone(), b.clone()], None, "").unwrap_err();
    assert!(
        err.contains(&b.display().to_string()) && err.contains("another machine"),
        "{err}"
    );
    let err = results::import(&root, &[a, c.clone()], None, "").unwrap_err();
    assert!(
        err.contains(&c.display().to_string()) && err.contains("dedup"),
        "{err}"
    );
    assert!(results::records(&root).is_err(), "nothing was written");
}

#[test]
fn the_reference_machine_keeps_the_published_record_and_old_records_join_their_machine() {
    let root = scratch("reference");
    let dir = root.join("results").join("records");
    let amd = |detailed| machine("AMD EPYC", 2, detailed);
    write(
        &dir.join("2026-01-01T00-00-00Z-a.json"),
        &run("2026-01-01T00:00:00Z", amd(false), None, vec![]),
    );
    write(
        &dir.join("2026-01-02T00-00-00Z-b.json"),
        &run("2026-01-02T00:00:00Z", amd(true), None, vec![]),
    );
    write(
        &dir.join("2026-01-03T00-00-00Z-c.json"),
        &run(
            "2026-01-03T00:00:00Z",
            machine("Intel Xeon", 16, true),
            None,
            vec![],
        ),
    );
    let reference = run("", amd(true), None, vec![]).machine_key();
    std::fs::write(root.join(results::REFERENCE_FILE), format!("{reference}\n")).unwrap();
    let machines = results::machines(&root).unwrap();
    assert_eq!(machines.len(), 2, "{machines:?}");
    assert!(machines[0].reference);
    assert_eq!(
        machines[0].records.len(),
        2,
        "the name-only record joins the AMD machine"
    );
    let published = results::published(&root).unwrap();
    assert!(
        published.path.ends_with("2026-01-02T00-00-00Z-b.json"),
        "{:?}",
        published.path
    );
    // A reference file naming no machine of the records is an error naming it.
    std::fs::write(root.join(results::REFERENCE_FILE), "Nobody, 1 cores\n").unwrap();
    let err = results::machines(&root).unwrap_err();
    assert!(
        err.contains("reference-machine.txt") && err.contains("machines"),
        "{err}"
    );
}

#[test]
fn the_atlas_shows_every_machine_and_where_verdicts_differ() {
    let a = run(
        "2026-01-01T00:00:00Z",
        machine("AMD EPYC", 2, true),
        None,
        vec![hint(
            "with_capacity",
            &[("10", 0.5), ("1000", 2.0), ("100000", 3.0)],
        )],
    );
    let b = run(
        "2026-01-01T00:00:00Z",
        machine("Intel(R) Xeon(R) Processor", 16, true),
        None,
        vec![hint(
            "with_capacity",
            &[("10", 2.0), ("1000", 2.0), ("100000", 0.5)],
        )],
    );
    let names = atlas::names(&[&a, &b]);
    let cols = vec![
        atlas::Column {
            name: names[0].clone(),
            file: "a.json".into(),
            run: &a,
            reference: true,
        },
        atlas::Column {
            name: names[1].clone(),
            file: "b.json".into(),
            run: &b,
            reference: false,
        },
    ];
    let md = atlas::render(&cols, "");
    assert!(md.contains("AMD EPYC, 2 cores (reference)"), "{md}");
    assert!(md.contains("Intel Xeon, 16 cores"), "{md}");
    assert!(md.contains("wins from ≈"), "the AMD crossing: {md}");
    assert!(md.contains("wins up to ≈"), "the Intel crossing: {md}");
    assert!(md.contains("### with_capacity"), "rows that differ: {md}");
    assert!(
        md.contains("partial:"),
        "a record without every hint says so: {md}"
    );
}
