//! With the `python` feature on: links the binaries, tests, benches and
//! examples with an rpath to the directory of the libpython that PyO3 found
//! (the interpreter on PATH, or `PYO3_PYTHON`), so they start without
//! `LD_LIBRARY_PATH`; and records that interpreter's `sys.base_prefix` as
//! `PERF_HINTS_PYTHON_HOME`, the home the embedded interpreter starts with,
//! so it loads the standard library that belongs to that libpython whatever
//! `python3` is first on PATH at run time. Without the feature this does nothing.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    #[cfg(feature = "python")]
    python();
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
