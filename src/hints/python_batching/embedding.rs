//! The embedding of `python_batching`: the extension module, twice (timed
//! and counted), the Rust side of the variants other than the pair, the
//! Python driver around [`PAIR`], and the input and output as Python objects.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyList;

use super::{PAIR, Shape, mix, mix_all, values};
use crate::hint::Probe;
use crate::support::python::{self, Report};

/// At the entry of every function Python calls: one of "calls into Rust".
#[inline(always)]
pub(super) fn called<R: Report>() {
    R::add("calls into Rust", 1);
}

/// Where the Rust work on `items` items runs: that many of "items
/// scored", and one of "GIL releases" if this thread does not hold the
/// GIL there.
#[inline(always)]
pub(super) fn scoring<R: Report>(items: usize) {
    if R::ON {
        R::add("items scored", items as u64);
        // SAFETY: callable from any thread, attached or not.
        let released = unsafe { pyo3::ffi::PyGILState_Check() } == 0;
        R::add("GIL releases", u64::from(released));
    }
}

fn score_batch_held<R: Report>(xs: Vec<u64>, rounds: u32) -> Vec<u64> {
    called::<R>();
    scoring::<R>(xs.len());
    mix_all(xs, rounds)
}

fn score_buffer<'py, R: Report>(
    py: Python<'py>,
    xs: &Bound<'py, PyAny>,
    rounds: u32,
) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
    called::<R>();
    // An empty array's pointer need not be aligned, which `PyBuffer<u64>` refuses.
    let xs = pyo3::buffer::PyUntypedBuffer::get(xs)?;
    let xs = match xs.item_count() {
        0 => Vec::new(),
        _ => xs.into_typed::<u64>()?.to_vec(py)?,
    };
    R::add("buffer bytes copied", (xs.len() * 8) as u64);
    let out = py.detach(move || {
        scoring::<R>(xs.len());
        mix_all(xs, rounds)
    });
    pyo3::types::PyBytes::new_with(py, out.len() * 8, |bytes| {
        for (b, x) in bytes.chunks_exact_mut(8).zip(&out) {
            b.copy_from_slice(&x.to_ne_bytes());
        }
        Ok(())
    })
}

/// Reads the caller's buffer where it lies (no copy into Rust memory) and
/// writes each score straight into the `bytes` it returns. Reading memory
/// that Python owns, and that another Python thread may write, needs the
/// GIL held throughout: zero-copy costs the release that `score_buffer`'s
/// copy buys.
fn score_view<'py, R: Report>(
    py: Python<'py>,
    xs: &Bound<'py, PyAny>,
    rounds: u32,
) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
    called::<R>();
    let xs = pyo3::buffer::PyUntypedBuffer::get(xs)?;
    let n = xs.item_count();
    let typed = match n {
        0 => None,
        _ => Some(xs.into_typed::<u64>()?),
    };
    let first = match &typed {
        None => std::ptr::NonNull::<u64>::dangling(),
        Some(b) => b
            .as_slice_ptr()
            .ok_or_else(|| {
                pyo3::exceptions::PyBufferError::new_err("not a C-contiguous buffer")
            })?
            .cast::<u64>(),
    };
    R::add("buffer bytes copied", 0);
    scoring::<R>(n);
    pyo3::types::PyBytes::new_with(py, n * 8, |bytes| {
        for (i, b) in bytes.chunks_exact_mut(8).enumerate() {
            // SAFETY: `typed` keeps the exporter's buffer alive and its size
            // fixed; `into_typed` checked that it holds aligned `u64`s and
            // `as_slice_ptr` that `n` of them are contiguous from `first`.
            // The GIL is held and no Python code runs in this loop, so no
            // Python thread writes them while they are read (by value).
            let x = unsafe { first.add(i).read() };
            b.copy_from_slice(&mix(x, rounds).to_ne_bytes());
        }
        Ok(())
    })
}

/// The extension module `$name`, its functions reporting through `$report`.
macro_rules! extension {
    ($(#[$doc:meta])* $name:ident, $report:ty) => {
        $(#[$doc])*
        #[pymodule]
        pub mod $name {
            use pyo3::prelude::*;

            type R = $report;

            /// `mix(x, rounds)`: one item per call.
            #[pyfunction]
            fn score(x: u64, rounds: u32) -> u64 {
                crate::hints::python_batching::score::<R>(x, rounds)
            }

            /// `[mix(x, rounds) for x in xs]` in one call, holding the GIL throughout.
            #[pyfunction]
            fn score_batch_held(xs: Vec<u64>, rounds: u32) -> Vec<u64> {
                super::score_batch_held::<R>(xs, rounds)
            }

            /// The same, with the GIL released for the Rust-only part: the list
            /// is read into a `Vec` and the result list built while holding it.
            #[pyfunction]
            fn score_batch(py: Python<'_>, xs: Vec<u64>, rounds: u32) -> Vec<u64> {
                crate::hints::python_batching::score_batch::<R>(py, xs, rounds)
            }

            /// The same on a typed buffer (`array('Q')`, a NumPy `uint64` array):
            /// the batch is copied out with one `memcpy` and the scores come back
            /// as `bytes`, with no Python int per item on either side.
            #[pyfunction]
            fn score_buffer<'py>(
                py: Python<'py>,
                xs: &Bound<'py, PyAny>,
                rounds: u32,
            ) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
                super::score_buffer::<R>(py, xs, rounds)
            }

            /// The same, reading the buffer in place (zero-copy) with the GIL
            /// held, and writing the scores straight into the `bytes` returned.
            #[pyfunction]
            fn score_view<'py>(
                py: Python<'py>,
                xs: &Bound<'py, PyAny>,
                rounds: u32,
            ) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
                super::score_view::<R>(py, xs, rounds)
            }
        }
    };
}

extension!(
    /// The extension as Python sees it: `import perf_hints_ext`. The timed
    /// calls use it.
    perf_hints_ext,
    crate::support::python::Silent
);

extension!(
    /// The same functions, reporting to the probe of the counted call
    /// (`perf-hints counts`, the tests): the drivers' twins call it.
    perf_hints_ext_counted,
    crate::support::python::Scoped
);

/// The rest of the driver a Python user of the extension would write, after
/// its imports and [`PAIR`]: the other variants, and the split between
/// Python threads.
const REST: &str = r#"
def batched_held(xs, rounds):
    return ext.score_batch_held(xs, rounds)

def batched_buffer(xs, rounds):
    return array("Q", ext.score_buffer(array("Q", xs), rounds))

def batched_view(xs, rounds):
    return array("Q", ext.score_view(array("Q", xs), rounds))

def split(fn, pool, parts, rounds):
    futures = [pool.submit(fn, part, rounds) for part in parts]
    out = []
    for f in futures:
        out += f.result()
    return out

def make_pool(n):
    pool = ThreadPoolExecutor(max_workers=n, thread_name_prefix="python_batching")
    started = threading.Barrier(n)
    for f in [pool.submit(started.wait) for _ in range(n)]:
        f.result()
    return pool

def parts(xs, n):
    return [xs[i * len(xs) // n : (i + 1) * len(xs) // n] for i in range(n)]
"#;

/// The whole driver: its imports, [`PAIR`] and [`REST`].
fn driver() -> std::ffi::CString {
    std::ffi::CString::new(format!(
        "
import threading
from array import array
from concurrent.futures import ThreadPoolExecutor

import perf_hints_ext as ext
{PAIR}{REST}"
    ))
    .expect("no NUL")
}

/// The driver functions a variant calls, from [`driver`].
pub struct Functions {
    pub per_item: Py<PyAny>,
    pub batched: Py<PyAny>,
    pub held: Py<PyAny>,
    pub buffer: Py<PyAny>,
    pub view: Py<PyAny>,
}

impl Functions {
    fn of(m: &Bound<'_, PyModule>) -> PyResult<Functions> {
        let f = |name: &str| m.getattr(name).map(Bound::unbind);
        Ok(Functions {
            per_item: f("per_item")?,
            batched: f("batched")?,
            held: f("batched_held")?,
            buffer: f("batched_buffer")?,
            view: f("batched_view")?,
        })
    }
}

/// The driver functions, from [`driver`]: once calling `perf_hints_ext`,
/// once calling `perf_hints_ext_counted`.
pub struct Drivers {
    /// Calling `perf_hints_ext`, which reports nothing: the timed calls.
    pub timed: Functions,
    /// Calling `perf_hints_ext_counted`, which reports to the probe of
    /// the counted call.
    pub counted: Functions,
    split: Py<PyAny>,
    make_pool: Py<PyAny>,
    parts: Py<PyAny>,
}

/// Registers the extension in `sys.modules` and runs [`driver`] twice,
/// the second time with its `ext` the counted extension, once per process.
pub fn drivers(py: Python<'_>) -> &'static Drivers {
    static DRIVERS: PyOnceLock<Drivers> = PyOnceLock::new();
    DRIVERS
        .get_or_try_init(py, || -> PyResult<Drivers> {
            python::register(py, "perf_hints_ext", pyo3::wrap_pymodule!(perf_hints_ext)(py))?;
            let driver = driver();
            let m = PyModule::from_code(
                py,
                &driver,
                c"python_batching_driver.py",
                c"python_batching_driver",
            )?;
            let counted = PyModule::from_code(
                py,
                &driver,
                c"python_batching_driver.py",
                c"python_batching_driver_counted",
            )?;
            counted.setattr("ext", pyo3::wrap_pymodule!(perf_hints_ext_counted)(py))?;
            let f = |name: &str| m.getattr(name).map(Bound::unbind);
            Ok(Drivers {
                timed: Functions::of(&m)?,
                counted: Functions::of(&counted)?,
                split: f("split")?,
                make_pool: f("make_pool")?,
                parts: f("parts")?,
            })
        })
        .unwrap_or_else(|e| panic!("python_batching: cannot set up the embedded interpreter: {e}"))
}

/// One size's input, built outside the timed code: the batch as a
/// Python list, its split into one part per thread, and the threads.
pub struct Input {
    pub shape: Shape,
    /// The batch, as Rust sees it.
    pub values: Vec<u64>,
    /// The same batch as a Python list of ints.
    pub xs: Py<PyList>,
    parts: Py<PyAny>,
    /// A `ThreadPoolExecutor` with `threads` started workers, when threads > 1.
    pool: Option<Py<PyAny>>,
}

impl Input {
    /// The fixed-seed batch of [`values`] for `shape`.
    pub fn new(shape: super::Shape) -> Input {
        Input::with_values(shape.threads, shape.rounds, values(shape.batch))
    }

    /// Any batch, split between `threads` Python threads (at least one).
    pub fn with_values(threads: usize, rounds: u32, values: Vec<u64>) -> Input {
        let shape = Shape {
            threads: threads.max(1),
            rounds,
            batch: values.len(),
        };
        python::start();
        Python::attach(|py| -> PyResult<Input> {
            let d = drivers(py);
            let xs = PyList::new(py, &values)?;
            let parts = d.parts.bind(py).call1((&xs, shape.threads))?.unbind();
            let pool = if shape.threads > 1 {
                Some(d.make_pool.bind(py).call1((shape.threads,))?.unbind())
            } else {
                None
            };
            Ok(Input {
                shape,
                values,
                xs: xs.unbind(),
                parts,
                pool,
            })
        })
        .unwrap_or_else(|e| panic!("python_batching: cannot build the input: {e}"))
    }

    /// Calls `driver` as a Python caller would: on the whole list from
    /// this thread, or with one part per pool thread. With a probe that
    /// counts, the driver calls the counted extension, which reports to
    /// `probe` for the duration of the call.
    pub fn call<P: Probe>(
        &self,
        probe: &P,
        driver: impl Fn(&Functions) -> &Py<PyAny>,
    ) -> Scores {
        if P::COUNTING {
            python::with_probe(probe, || self.call_with(|d| driver(&d.counted)))
        } else {
            self.call_with(|d| driver(&d.timed))
        }
    }

    fn call_with(&self, driver: impl Fn(&Drivers) -> &Py<PyAny>) -> Scores {
        Python::attach(|py| {
            let d = drivers(py);
            let f = driver(d).bind(py);
            let rounds = self.shape.rounds;
            let out = match &self.pool {
                None => f.call1((self.xs.bind(py), rounds)),
                Some(pool) => {
                    d.split
                        .bind(py)
                        .call1((f, pool.bind(py), self.parts.bind(py), rounds))
                }
            };
            Scores(Some(out.expect("the driver raised").unbind()))
        })
    }
}

impl Drop for Input {
    fn drop(&mut self) {
        if let Some(pool) = self.pool.take() {
            Python::attach(|py| {
                let _ = pool.bind(py).call_method1("shutdown", (true,));
            });
        }
    }
}

/// The scores as the Python caller gets them: a list of ints, or an
/// `array('Q')` from `buffer`. Compared by value, element by element;
/// freed under the GIL when dropped, inside the timed call.
pub struct Scores(Option<Py<PyAny>>);

impl Scores {
    /// The scores as Rust integers.
    pub fn to_vec(&self) -> Vec<u64> {
        Python::attach(|py| match &self.0 {
            Some(o) => o.bind(py).extract().expect("a list of ints"),
            None => Vec::new(),
        })
    }
}

impl PartialEq for Scores {
    fn eq(&self, other: &Scores) -> bool {
        self.to_vec() == other.to_vec()
    }
}

impl std::fmt::Debug for Scores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let repr = Python::attach(|py| match &self.0 {
            Some(o) => o.bind(py).repr().map(|r| r.to_string()),
            None => Ok("None".into()),
        });
        f.write_str(&repr.unwrap_or_else(|e| format!("<repr failed: {e}>")))
    }
}

impl Drop for Scores {
    fn drop(&mut self) {
        if let Some(o) = self.0.take() {
            Python::attach(|_py| drop(o));
        }
    }
}
