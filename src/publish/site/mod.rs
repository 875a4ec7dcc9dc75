//! `perf-hints site`: the results as a static site, from the same records
//! `perf-hints report` renders. An index (the overview chart, the hints
//! grouped by topic with the sources' claim and the crate's model, filterable
//! by verdict) and a page per hint: its teaching doc, the code of its
//! variants, its chart, table and exact counts, and its history across the
//! reference machine's records. Every page is one HTML file with its style,
//! script and charts inline: nothing is fetched when it is viewed.
//!
//! The figures, verdicts and words come from the report's own functions
//! ([`report::covered`], [`report::overview_table`],
//! [`table::render_hint_body`], [`chart::hint_svg`], [`outcome::claim`]);
//! this module only lays them out.

pub mod code;
pub mod history;
pub mod html;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::hint::Topic;
use crate::model::{HintRun, Level, Run};
use crate::publish::records::{MachineRecords, machines};
use crate::publish::{atlas, chart, outcome, report, table};
use html::{escape, markdown, page};

/// Where the site goes unless `--out` says otherwise, relative to the
/// repository.
pub const DEFAULT_OUT: &str = "target/perf-hints/site";

/// The command that builds the site.
pub const SITE_COMMAND: &str = "cargo run --release -- site";

/// The lessons about generated code, whose pages say where their disassembly is.
const GENERATED_CODE: &[&str] = &[
    "bounds_checks",
    "simd_reduction",
    "inlining",
    "branch_predictability",
];

/// What the site links to outside itself.
#[derive(Clone, Debug, Default)]
pub struct Links {
    /// The repository on the web (`https://github.com/owner/name`): the
    /// modules' source and the records' commits link under it.
    pub repo: Option<String>,
    /// The revision source links point at (`main`, a commit).
    pub rev: String,
}

impl Links {
    /// From the environment GitHub Actions sets (`GITHUB_SERVER_URL`,
    /// `GITHUB_REPOSITORY`, `GITHUB_SHA`), or no links outside the site.
    pub fn from_env() -> Links {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        match (var("GITHUB_SERVER_URL"), var("GITHUB_REPOSITORY")) {
            (Some(server), Some(repo)) => Links {
                repo: Some(format!("{}/{repo}", server.trim_end_matches('/'))),
                rev: var("GITHUB_SHA").unwrap_or_else(|| "main".into()),
            },
            _ => Links::default(),
        }
    }

    fn source(&self, path: &str) -> Option<String> {
        let repo = self.repo.as_ref()?;
        let rev = if self.rev.is_empty() {
            "main"
        } else {
            &self.rev
        };
        Some(format!("{repo}/blob/{rev}/{path}"))
    }
}

/// A verdict label as a class and filter name: `model missed` → `model-missed`.
fn slug(label: &str) -> String {
    label.replace([' ', '/'], "-")
}

/// The sources' claim on a hint, as its filter value (`none` when not judged on time).
fn claim_of(h: Option<&HintRun>, margin: f64) -> String {
    h.and_then(|h| outcome::claim(h, margin))
        .map_or("none".into(), |(_, j)| slug(j.outcome.label()))
}

/// Every level the crate's model reaches on a hint's rows, as filter values.
fn model_of(h: Option<&HintRun>, margin: f64) -> BTreeSet<String> {
    h.into_iter()
        .flat_map(|h| {
            h.rows
                .iter()
                .filter_map(|r| table::verdict(&h.id, r, margin).map(|v| slug(v.level.label())))
        })
        .collect()
}

/// The filters the index offers: (group, value, label).
fn filters() -> Vec<(&'static str, String, &'static str)> {
    use crate::judge::claim::ClaimOutcome as C;
    let claims = [C::Holds, C::Bounded, C::Refuted, C::NotJudged];
    let levels = [
        Level::Holds,
        Level::Partly,
        Level::DoesNotHold,
        Level::LayoutSensitive,
    ];
    claims
        .iter()
        .map(|c| ("claim", slug(c.label()), c.label()))
        .chain(levels.iter().map(|l| ("model", slug(l.label()), l.label())))
        .collect()
}

/// The filter anchors, links and the CSS that hides what a filter leaves out
/// (`:target`, so it works without script).
fn filter_bar(counts: &dyn Fn(&str, &str) -> usize, total: usize) -> (String, String) {
    let mut anchors = String::new();
    let mut bar = format!(
        "<nav class=\"filters\" aria-label=\"filter by verdict\"><div><span class=\"label\">Show:</span>\
         <a href=\"#all\" data-filter=\"all\">all {total} hints</a></div>"
    );
    let mut css = String::new();
    let mut group = "";
    for (g, value, label) in filters() {
        if g != group {
            group = g;
            let _ = write!(
                bar,
                "{}<div><span class=\"label\">{}:</span>",
                if g == "claim" { "" } else { "</div>" },
                if g == "claim" {
                    "the sources' claim"
                } else {
                    "the crate's model, at one size or more"
                }
            );
        }
        let id = format!("{g}-{value}");
        let _ = write!(anchors, "<span class=\"anchor\" id=\"{id}\"></span>");
        let _ = write!(
            bar,
            "<a href=\"#{id}\" data-filter=\"{id}\" class=\"v-{value}\">{label} ({})</a>",
            counts(g, &value)
        );
        let _ = write!(
            css,
            "\n#{id}:target ~ section.topic tr[data-claim]:not([data-{g}~=\"{value}\"]) {{ display: none; }}\
             \n#{id}:target ~ section.topic:not(:has(tr[data-{g}~=\"{value}\"])) {{ display: none; }}"
        );
    }
    bar.push_str("</div></nav>\n");
    (format!("{anchors}\n{bar}"), css)
}

/// Marks the filter link the address names as the current one.
const FILTER_SCRIPT: &str = r#"
function markFilter() {
  var want = location.hash.slice(1) || "all";
  document.querySelectorAll(".filters a").forEach(function (a) {
    a.setAttribute("aria-current", a.dataset.filter === want ? "true" : "false");
  });
}
window.addEventListener("hashchange", markFilter);
markFilter();
"#;

/// A hint as [`report::covered`] lists it: id, its figures, its feature.
type Covered<'a> = (String, Option<&'a HintRun>, Option<&'static str>);

/// The index page.
fn index(
    run: &Run,
    record: &str,
    machines: &[MachineRecords],
    overview_svg: &str,
) -> Result<String, String> {
    let margin = run.margin();
    let hints = report::covered(run);
    let mut body = String::from(
        "<h1>perf-hints: performance hints, measured</h1>\n\
         <p>Each hint pairs a <code>bad</code> and a <code>good</code> implementation of the same work, \
         checked to agree and timed with criterion. Each is judged twice: against <strong>the sources' \
         claim</strong> (what the performance guides say it saves) and against <strong>the crate's \
         model</strong> (its own prediction per size, including where the hint stops winning). \
         Every page shows the code, the teaching, the chart, the table and the history across \
         records.</p>\n",
    );
    let reference = machines.iter().find(|m| m.reference);
    let _ = writeln!(
        body,
        "<p><strong>Reference machine:</strong> {} ({} of it). {}</p>",
        escape(&run.machine_key()),
        reference.map_or(String::new(), |m| {
            let n = m.records.len();
            format!("{n} record{}", if n == 1 { "" } else { "s" })
        }),
        {
            let others = machines.len().saturating_sub(1);
            if others == 0 {
                String::new()
            } else {
                format!(
                    "Records of {others} other machine{} are in the atlas (<code>results/atlas.md</code>); \
                     the tables here are the reference machine's newest.",
                    if others == 1 { "" } else { "s" }
                )
            }
        }
    );
    let _ = writeln!(
        body,
        "<div class=\"muted\">{}</div>",
        markdown(&format!("{} From `{record}`.", table::run_line(run)))
    );
    let _ = writeln!(
        body,
        "<details><summary>How to read the figures</summary>{}</details>",
        markdown(&table::how_to_read(run))
    );

    // The hints by topic; a hint the list no longer has goes last.
    let mut groups: Vec<(Option<Topic>, Vec<Covered>)> =
        Topic::ALL.iter().map(|t| (Some(*t), Vec::new())).collect();
    groups.push((None, Vec::new()));
    for entry in &hints {
        let topic = crate::hints::get(&entry.0).map(|e| e.topic());
        if let Some(g) = groups.iter_mut().find(|(t, _)| *t == topic) {
            g.1.push(entry.clone());
        }
    }
    let counts = |group: &str, value: &str| {
        hints
            .iter()
            .filter(|(_, h, _)| match group {
                "claim" => claim_of(*h, margin) == value,
                _ => model_of(*h, margin).contains(value),
            })
            .count()
    };
    let (bar, css) = filter_bar(&counts, hints.len());
    body.push_str(
        "<h2>The hints by topic</h2>\n<p>Each hint's page has its code, the teaching, its chart, \
         table and history; <a href=\"#overview\">the overview chart</a> shows every hint's \
         speedup at once.</p>\n",
    );
    body.push_str(&bar);
    for (topic, members) in groups.iter().filter(|(_, m)| !m.is_empty()) {
        let (slug_, title) =
            topic.map_or(("unlisted", "No longer listed"), |t| (t.slug(), t.title()));
        let md = report::overview_table(members, margin, &|id| format!("{id}.html"));
        let mut table_html = markdown(&md).replace("<table>", "<table class=\"overview\">");
        // Each body row gets its hint's verdicts, for the filters.
        if let Some(at) = table_html.find("<tbody>") {
            let (head, tail) = table_html.split_at(at);
            let mut tail = tail.to_string();
            let mut from = 0;
            for (_, h, _) in members {
                let Some(pos) = tail[from..].find("<tr>") else {
                    break;
                };
                let attrs = format!(
                    "<tr data-claim=\"{}\" data-model=\"{}\">",
                    claim_of(*h, margin),
                    model_of(*h, margin)
                        .into_iter()
                        .collect::<Vec<_>>()
                        .join(" ")
                );
                tail.replace_range(from + pos..from + pos + 4, &attrs);
                from += pos + attrs.len();
            }
            table_html = format!("{head}{tail}");
        }
        let _ = writeln!(
            body,
            "<section class=\"topic\" id=\"topic-{slug_}\"><h3>{}</h3>\n{table_html}</section>",
            escape(title)
        );
    }
    let _ = writeln!(
        body,
        "<h2 id=\"overview\">Every hint at once</h2>\n<figure class=\"chart\">{overview_svg}\
         <figcaption>Speedup of good over bad per hint, at its largest size.</figcaption></figure>"
    );
    Ok(page(
        "perf-hints results",
        &css,
        &body,
        &format!(
            "Generated by <code>{SITE_COMMAND}</code> from <code>{}</code>.",
            escape(record)
        ),
        Some(FILTER_SCRIPT),
    ))
}

/// The generated-code section of a hint page: each variant's hot loop as the
/// record keeps it (`measure::disasm`), or how to get it.
fn disassembly_section(id: &str, run: &Run, record: &str) -> String {
    let mut out = String::from(
        "<h2 id=\"disassembly\">The generated code</h2>\n<p>This lesson is about the instructions \
         the compiler emits.",
    );
    let loops: Vec<_> = run.disassembly.iter().filter(|d| d.hint == id).collect();
    if loops.is_empty() {
        let _ = writeln!(
            out,
            " The record has no disassembly (made before it was kept, or where \
             <code>objdump</code> was missing). To see it for the timed binary, build the bench \
             (<code>cargo bench --no-run</code>, which names the binary) and run \
             <code>cargo run --release -- disasm target/release/deps/hints-&lt;hash&gt; {id}</code>, or \
             <code>objdump -d --no-show-raw-insn -C</code> on it.</p>"
        );
        return out;
    }
    let _ = writeln!(
        out,
        " Each variant's hot loop, from the binary this record (<code>{}</code>) timed: the \
         variant inlined into the function callgrind counts it in. The timed loops inline the \
         same code. <code>perf-hints disasm</code> prints the same from any bench binary.</p>",
        escape(record)
    );
    for d in loops {
        let _ = write!(
            out,
            "<h3><code>{}</code></h3>\n<p class=\"muted\">{} of the function's {} instructions.</p>\n<pre><code class=\"language-asm\">{}</code></pre>\n",
            escape(&d.variant),
            d.lines.len(),
            d.instructions,
            escape(&d.lines.join("\n"))
        );
    }
    out
}

/// The code section of a hint page: `bad` and `good` side by side, any
/// other variant after them, folded.
fn code_section(id: &str, source: &str) -> String {
    let variants = match code::of_hint(id, source) {
        Ok(v) => v,
        Err(e) => {
            return format!(
                "<p>The variants could not be read from <code>src/hints/{id}.rs</code>: {}.</p>\n",
                escape(&e)
            );
        }
    };
    let block = |v: &code::Variant| {
        let mut s = String::new();
        for (_, text) in &v.functions {
            let _ = write!(
                s,
                "<pre><code class=\"language-rust\">{}</code></pre>",
                escape(text)
            );
        }
        let _ = write!(
            s,
            "<p class=\"muted\">Handed over as <code>{}</code>.</p>",
            escape(&v.closure)
        );
        s
    };
    let mut out = String::from("<div class=\"variants\">\n");
    let main: Vec<&code::Variant> = variants
        .iter()
        .filter(|v| v.name == "bad" || v.name == "good")
        .collect();
    for v in &main {
        let _ = writeln!(
            out,
            "<div><h3><code>{}</code></h3>{}</div>",
            escape(&v.name),
            block(v)
        );
    }
    out.push_str("</div>\n");
    // The module's functions `bad` and `good` call, once each.
    let mut helpers: Vec<&(String, String)> = Vec::new();
    for h in main.iter().flat_map(|v| &v.helpers) {
        if !helpers.iter().any(|(n, _)| *n == h.0)
            && !main
                .iter()
                .any(|v| v.functions.iter().any(|(n, _)| *n == h.0))
        {
            helpers.push(h);
        }
    }
    if !helpers.is_empty() {
        let names: Vec<String> = helpers
            .iter()
            .map(|(n, _)| format!("<code>{}</code>", escape(n)))
            .collect();
        let _ = writeln!(
            out,
            "<details open><summary>What they call in the module: {}</summary>",
            names.join(", ")
        );
        for (_, text) in &helpers {
            let _ = write!(
                out,
                "<pre><code class=\"language-rust\">{}</code></pre>",
                escape(text)
            );
        }
        out.push_str("</details>\n");
    }
    for v in variants
        .iter()
        .filter(|v| v.name != "bad" && v.name != "good")
    {
        let doc = crate::hints::variant_doc(source, &v.name).unwrap_or_default();
        let _ = writeln!(
            out,
            "<details><summary>The <code>{}</code> variant{}</summary>{}</details>",
            escape(&v.name),
            if doc.is_empty() {
                String::new()
            } else {
                format!(
                    ": {}",
                    markdown(&doc)
                        .trim()
                        .trim_start_matches("<p>")
                        .trim_end_matches("</p>")
                )
            },
            block(v)
        );
    }
    out
}

/// A badge for a verdict label.
fn badge(label: &str, prefix: &str) -> String {
    format!(
        "<span class=\"badge v-{}\">{prefix}{}</span>",
        slug(label),
        escape(label)
    )
}

/// One hint's page.
fn hint_page(
    id: &str,
    h: Option<&HintRun>,
    run: &Run,
    record: &str,
    machines: &[MachineRecords],
    links: &Links,
) -> Result<String, String> {
    let margin = run.margin();
    let entry = crate::hints::get(id);
    let source = entry.map(|e| e.source());
    let path = format!("src/hints/{id}.rs");
    let mut body = String::new();
    let topic = entry.map(|e| e.topic());
    let _ = writeln!(
        body,
        "<nav class=\"top\"><a href=\"index.html\">← All hints</a>{}{}</nav>",
        topic.map_or(String::new(), |t| format!(
            "<a href=\"index.html#topic-{}\">{}</a>",
            t.slug(),
            escape(t.title())
        )),
        match links.source(&path) {
            Some(url) => format!(
                "<a href=\"{}\">Source: <code>{path}</code></a>",
                escape(&url)
            ),
            None => format!("<span>Source: <code>{path}</code></span>"),
        }
    );
    let doc = source.map(crate::hints::module_doc).unwrap_or_default();
    let (title, rest) = match doc.split_once('\n') {
        Some((first, rest)) if first.starts_with("# ") => (first.to_string(), rest.to_string()),
        _ => (format!("# `{id}`"), doc.clone()),
    };
    body.push_str(&markdown(&title));
    if let Some(h) = h {
        let claim = outcome::claim(h, margin).map(|(_, j)| j.outcome.label());
        let _ = writeln!(
            body,
            "<p><strong>The sources' claim:</strong> {} {} <span class=\"muted\">The crate's model over the sizes: {}.</span></p>",
            escape(&h.claim),
            claim.map_or(String::new(), |c| badge(c, "")),
            escape(&table::verdict_summary([h], margin)),
        );
        let _ = writeln!(
            body,
            "<figure class=\"chart\">{}<figcaption>Time per call of every variant against size (top) \
             and each variant's speedup over bad (bottom), with 95 % intervals.</figcaption></figure>",
            chart::hint_svg(h)?
        );
    }
    body.push_str("<h2>The code</h2>\n");
    if let Some(source) = source {
        body.push_str(&code_section(id, source));
    }
    body.push_str(&markdown(&rest));

    body.push_str("<h2 id=\"results\">Results on the reference machine</h2>\n");
    match h {
        Some(h) => {
            let mut md = format!("{} From `{record}`.\n\n", table::run_line(run));
            table::render_hint_body(h, margin, &mut md);
            body.push_str(&markdown(&md));
        }
        None => {
            let _ = writeln!(
                body,
                "<p>Not in the newest record (<code>{}</code>): measure it with <code>cargo bench -- {id}/</code>.</p>",
                escape(record)
            );
        }
    }
    // Other machines: every one for a thread hint (their core counts differ),
    // else the first that has the hint when the reference record does not.
    let mut charts = usize::from(h.is_some());
    if atlas::is_thread_hint(id) || h.is_none() {
        let newest: Vec<&Run> = machines.iter().map(|m| &m.newest().run).collect();
        let names = atlas::names(&newest);
        for (m, name) in machines.iter().zip(&names).filter(|(m, _)| !m.reference) {
            let Some(other) = m.newest().run.hints.iter().find(|o| o.id == id) else {
                continue;
            };
            if !atlas::is_thread_hint(id) && charts > 0 {
                break;
            }
            charts += 1;
            let _ = writeln!(
                body,
                "<h2>On {}</h2>\n<figure class=\"chart\">{}</figure>",
                escape(name),
                chart::hint_svg_on(other, name)?
            );
            let mut md = format!("{}\n\n", table::run_line(&m.newest().run));
            table::render_hint_body(other, m.newest().run.margin(), &mut md);
            body.push_str(&markdown(&md));
        }
    }

    if charts == 0 {
        body.push_str(
            "<p class=\"no-record\">No record of any machine has this hint yet, so there is no chart.</p>\n",
        );
    }
    body.push_str("<h2 id=\"history\">History on the reference machine</h2>\n");
    if let Some(m) = machines.iter().find(|m| m.reference) {
        body.push_str(&history::render(
            id,
            &m.key,
            &m.records,
            links.repo.as_deref(),
        ));
    }
    if GENERATED_CODE.contains(&id) {
        body.push_str(&disassembly_section(id, run, record));
    }
    Ok(page(
        &format!("{id} — perf-hints"),
        "",
        &body,
        &format!(
            "Generated by <code>{SITE_COMMAND}</code> from <code>{}</code>. <a href=\"index.html\">All hints</a>.",
            escape(record)
        ),
        None,
    ))
}

/// Builds the site from the records under `root` into `out`: `index.html`
/// and `<id>.html` per hint. Returns the pages written.
pub fn build(root: &Path, out: &Path, links: &Links) -> Result<Vec<PathBuf>, String> {
    let machines = machines(root)?;
    let reference = machines
        .iter()
        .find(|m| m.reference)
        .ok_or("no record of the reference machine")?;
    let newest = reference.newest();
    let run = &newest.run;
    let record = newest
        .path
        .strip_prefix(root)
        .unwrap_or(&newest.path)
        .display()
        .to_string()
        .replace('\\', "/");
    let hints = report::covered(run);
    let bars: Vec<(String, Option<&HintRun>)> =
        hints.iter().map(|(id, h, _)| (id.clone(), *h)).collect();
    let overview = chart::overview_svg(&bars, run.margin())?;
    fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut pages = vec![(
        out.join("index.html"),
        index(run, &record, &machines, &overview)?,
    )];
    for (id, h, _) in &hints {
        pages.push((
            out.join(format!("{id}.html")),
            hint_page(id, *h, run, &record, &machines, links)?,
        ));
    }
    for (path, html) in &pages {
        fs::write(path, html).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(pages.into_iter().map(|(p, _)| p).collect())
}

/// `perf-hints site [--out DIR]` on the repository at `root`: builds the
/// site and says where it is.
pub fn run(root: &Path, out: Option<&Path>, links: &Links) -> Result<String, String> {
    let start = std::time::Instant::now();
    let out = out.map_or_else(|| root.join(DEFAULT_OUT), Path::to_path_buf);
    let pages = build(root, &out, links)?;
    Ok(format!(
        "wrote {} pages to {} in {:.1} s; open {}",
        pages.len(),
        out.display(),
        start.elapsed().as_secs_f64(),
        out.join("index.html").display()
    ))
}
