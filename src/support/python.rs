//! The embedded CPython the `python` feature brings: the interpreter, started
//! once per process ([`start`]); the probe of a counted call, reachable from
//! whichever Python thread runs an extension function ([`with_probe`],
//! [`add`]); and the choice of an extension's report, compiled out of the
//! timed calls ([`Report`], [`Silent`], [`Scoped`]).

use std::sync::{Mutex, MutexGuard};

use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::hint::Probe;

/// Starts the embedded interpreter once per process, as PyO3's
/// `auto-initialize` would (no signal handlers, the GIL released
/// afterwards), but with its home set to the `sys.base_prefix` of the
/// Python this was built against (from `build.rs`) unless `PYTHONHOME` is
/// set: left to itself, CPython looks for its standard library next to
/// the first `python3` on PATH, which need not be the one whose
/// libpython is loaded (pyenv against the system Python). String hashing
/// is fixed unless `PYTHONHASHSEED` is set.
pub fn start() {
    static START: std::sync::Once = std::sync::Once::new();
    START.call_once(|| {
        use pyo3::ffi;
        // SAFETY: runs once, before any other use of the C API in this
        // process (the interpreter is checked not to be running); the
        // config is initialised by CPython before it is read, and cleared
        // after use.
        unsafe {
            if ffi::Py_IsInitialized() != 0 {
                return;
            }
            let mut config = std::mem::MaybeUninit::<ffi::PyConfig>::uninit();
            let c = config.as_mut_ptr();
            ffi::PyConfig_InitPythonConfig(c);
            (*c).install_signal_handlers = 0;
            if std::env::var_os("PYTHONHASHSEED").is_none() {
                // Fixed `str` hashes, as `PYTHONHASHSEED=0`: the same dict
                // probes in every process, so instruction counts repeat.
                (*c).use_hash_seed = 1;
                (*c).hash_seed = 0;
            }
            let check = |status: ffi::PyStatus, what: &str| {
                if ffi::PyStatus_Exception(status) != 0 {
                    let msg = if status.err_msg.is_null() {
                        "no message".into()
                    } else {
                        std::ffi::CStr::from_ptr(status.err_msg).to_string_lossy()
                    };
                    panic!("embedded Python: {what}: {msg}");
                }
            };
            if let (Some(home), None) = (
                option_env!("PERF_HINTS_PYTHON_HOME"),
                std::env::var_os("PYTHONHOME"),
            ) {
                let home = std::ffi::CString::new(home).expect("a path without NUL");
                check(
                    ffi::PyConfig_SetBytesString(c, &raw mut (*c).home, home.as_ptr()),
                    "cannot set the interpreter's home",
                );
            }
            let status = ffi::Py_InitializeFromConfig(c);
            ffi::PyConfig_Clear(c);
            check(status, "cannot start the embedded interpreter");
            ffi::PyEval_SaveThread();
        }
    });
}

// The probe of the counted call running now, for the functions of a counted
// extension, which Python calls on any of its threads.

/// [`Probe::add`], in a form that can sit behind a pointer.
trait Sink: Sync {
    fn sink(&self, counter: &'static str, n: u64);
}

impl<P: Probe> Sink for P {
    fn sink(&self, counter: &'static str, n: u64) {
        self.add(counter, n);
    }
}

/// A probe borrowed by [`with_probe`], its lifetime erased.
struct Current(*const (dyn Sink + 'static));

// SAFETY: it points to a `Sync` probe, and is used only under the lock
// of `CURRENT`.
unsafe impl Send for Current {}

static CURRENT: Mutex<Option<Current>> = Mutex::new(None);

fn current() -> MutexGuard<'static, Option<Current>> {
    CURRENT.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs `f` with `probe` as the probe that [`add`] reports to, one call
/// at a time.
pub fn with_probe<'a, P: Probe, R>(probe: &'a P, f: impl FnOnce() -> R) -> R {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    /// Takes the probe out again, on a panic too.
    struct Clear;
    impl Drop for Clear {
        fn drop(&mut self) {
            *current() = None;
        }
    }
    let sink: *const (dyn Sink + 'a) = probe;
    // SAFETY: only the lifetime changes. `Clear` takes the pointer out,
    // under the lock, before the borrow of `probe` ends, and `add`
    // dereferences it only under that lock.
    let sink =
        unsafe { std::mem::transmute::<*const (dyn Sink + 'a), *const (dyn Sink + 'static)>(sink) };
    *current() = Some(Current(sink));
    let _clear = Clear;
    f()
}

/// Reports to the probe of the call in [`with_probe`], if one runs.
pub fn add(counter: &'static str, n: u64) {
    if let Some(Current(sink)) = &*current() {
        // SAFETY: set by `with_probe`, which takes it out under this lock
        // before the probe it points to can go away.
        unsafe { (**sink).sink(counter, n) }
    }
}

/// Where the extension's functions report what crosses the boundary.
pub trait Report {
    /// False for [`Silent`]: nothing to measure.
    const ON: bool;
    fn add(counter: &'static str, n: u64);
}

/// The timed calls' extension: reports nothing, and compiles to nothing.
pub struct Silent;

impl Report for Silent {
    const ON: bool = false;
    #[inline(always)]
    fn add(_counter: &'static str, _n: u64) {}
}

/// The counted calls' extension: reports to the probe of the variant
/// that runs now ([`with_probe`]).
pub struct Scoped;

impl Report for Scoped {
    const ON: bool = true;
    fn add(counter: &'static str, n: u64) {
        add(counter, n);
    }
}

/// Puts `module` into `sys.modules` as `name`, so Python code can import it.
pub fn register(py: Python<'_>, name: &str, module: Py<PyModule>) -> PyResult<()> {
    py.import("sys")?
        .getattr("modules")?
        .cast_into::<PyDict>()?
        .set_item(name, module)
}
