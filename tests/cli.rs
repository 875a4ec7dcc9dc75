//! The `perf-hints` tool's command line: help for the tool and each command,
//! and clap's errors, naming what was wrong, for unknown commands and options.

use std::process::{Command, Output};

fn tool(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_perf-hints"))
        .args(args)
        .output()
        .expect("the perf-hints binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn help_names_every_command_and_how_to_run_it() {
    for flag in ["--help", "-h"] {
        let o = tool(&[flag]);
        assert!(o.status.success(), "{flag}: {}", stderr(&o));
        let out = stdout(&o);
        for command in ["list", "validate", "report", "compare"] {
            assert!(out.contains(command), "{flag} lacks {command}:\n{out}");
        }
        assert!(out.contains("cargo bench"), "{out}");
    }
    let out = stdout(&tool(&["--help"]));
    assert!(out.contains("cargo run --release -- <command>"), "{out}");
}

#[test]
fn each_command_has_help() {
    for command in ["list", "validate", "report", "compare", "counts", "exec"] {
        let o = tool(&[command, "--help"]);
        assert!(o.status.success(), "{command} --help: {}", stderr(&o));
        assert!(
            stdout(&o).contains(&format!("perf-hints {command}")),
            "{command} --help:\n{}",
            stdout(&o)
        );
    }
    let out = stdout(&tool(&["compare", "--help"]));
    assert!(
        out.contains("--only-moved") && out.contains("OLD") && out.contains("NEW"),
        "{out}"
    );
    assert!(stdout(&tool(&["report", "--help"])).contains("--check"));
}

/// Clap's usage errors exit with 2 and name what was wrong.
fn usage_error(args: &[&str], named: &str) {
    let o = tool(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    assert!(stderr(&o).contains(named), "{args:?}:\n{}", stderr(&o));
}

#[test]
fn unknown_commands_and_options_are_named() {
    usage_error(&["frobnicate"], "frobnicate");
    usage_error(&["--frobnicate"], "--frobnicate");
    usage_error(&["list", "--frobnicate"], "--frobnicate");
    usage_error(&["report", "--chek"], "--chek");
    usage_error(&["compare", "--only-moves"], "--only-moves");
    usage_error(&["validate", "--all"], "--all");
}

#[test]
fn compare_takes_two_records_or_none() {
    usage_error(&["compare", "a.json"], "NEW");
    usage_error(&["compare", "a.json", "b.json", "c.json"], "c.json");
}

#[test]
fn internal_commands_check_their_arguments() {
    usage_error(&["exec", "with_capacity", "good"], "SIZE");
    usage_error(&["counts", "with_capacity"], "ID:SIZE");
    // A size that is not one of the hint's is the registry's error: it names
    // the size and the sizes the hint has.
    let o = tool(&["exec", "with_capacity", "good", "ten"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("\"ten\"") && stderr(&o).contains("1000000"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_command_error_is_not_a_usage_error() {
    let o = tool(&["exec", "no_such_hint", "good", "10"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("no_such_hint"), "{}", stderr(&o));
}

#[test]
fn list_names_the_hints() {
    let o = tool(&["list"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for id in perf_hints::hints::IDS {
        assert!(stdout(&o).contains(id), "list lacks {id}:\n{}", stdout(&o));
    }
}
