//! Records what built the binaries: `PERF_HINTS_RUSTC` (the `rustc -V` of the
//! compiler cargo runs) and `PERF_HINTS_GIT` (the checkout's short revision,
//! `-dirty` when tracked files differ from it, `unknown` without git or a
//! repository), so a record names its compiler and source even where no
//! rustc or git is on PATH at run time.
//!
//! With the `python` feature on, also: links the binaries, tests, benches and
//! examples with an rpath to the directory of the libpython that PyO3 found
//! (the interpreter on PATH, or `PYO3_PYTHON`), so they start without
//! `LD_LIBRARY_PATH`; and records that interpreter's `sys.base_prefix` as
//! `PERF_HINTS_PYTHON_HOME`, the home the embedded interpreter starts with,
//! so it loads the standard library that belongs to that libpython whatever
//! `python3` is first on PATH at run time.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    provenance();
    #[cfg(feature = "python")]
    python();
}

/// Trimmed stdout of a command that ran and succeeded.
fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn provenance() {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let version = output(Command::new(&rustc).arg("-V")).unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=PERF_HINTS_RUSTC={version}");

    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let git = |args: &[&str]| output(Command::new("git").arg("-C").arg(&dir).args(args));

    // Edits to the sources (cargo scans directories recursively) rerun this,
    // so the `-dirty` mark follows them; a path that does not exist is left
    // out, as cargo would rerun the script on every build for it.
    for path in [
        "Cargo.toml",
        "Cargo.lock",
        "src",
        "benches",
        "tests",
        "examples",
        "crates",
    ] {
        if dir.join(path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    // Commits, checkouts and staging: HEAD, the branch it points to (loose
    // or packed) and the index. In a worktree these live outside the tree.
    if let Some(git_dir) = git(&["rev-parse", "--absolute-git-dir"]) {
        let git_dir = PathBuf::from(git_dir);
        let mut watch = vec![git_dir.join("HEAD"), git_dir.join("index")];
        let mut refs = vec!["packed-refs".to_string()];
        refs.extend(git(&["symbolic-ref", "-q", "HEAD"]));
        for name in refs {
            if let Some(path) = git(&["rev-parse", "--git-path", &name]) {
                watch.push(dir.join(path)); // relative to `dir` unless absolute
            }
        }
        for path in watch.iter().filter(|p| p.exists()) {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }

    let revision = match git(&["rev-parse", "--short=12", "HEAD"]) {
        Some(rev) => {
            let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.is_empty());
            if dirty { format!("{rev}-dirty") } else { rev }
        }
        None => "unknown".into(),
    };
    println!("cargo:rustc-env=PERF_HINTS_GIT={revision}");
}

#[cfg(feature = "python")]
fn python() {
    println!("cargo:rerun-if-env-changed=PYO3_PYTHON");
    pyo3_build_config::add_libpython_rpath_link_args();
    let config = pyo3_build_config::get();
    let home = config.executable().and_then(|exe| {
        let out = std::process::Command::new(exe)
            .args(["-c", "import sys; print(sys.base_prefix)"])
            .output()
            .ok()?;
        let home = String::from_utf8(out.stdout).ok()?;
        (out.status.success() && !home.trim().is_empty()).then(|| home.trim().to_string())
    });
    match home {
        Some(home) => println!("cargo:rustc-env=PERF_HINTS_PYTHON_HOME={home}"),
        None => println!(
            "cargo:warning=could not ask {:?} for sys.base_prefix; the embedded interpreter \
             will look for its standard library the default way (set PYTHONHOME if it fails)",
            config.executable()
        ),
    }
}
