//! The site's HTML pieces: escaping, markdown rendered with `pulldown-cmark`
//! (tables on, raw HTML escaped, links that only resolve in rustdoc dropped),
//! and the page frame with its inline style and script. Nothing is fetched
//! when a page is viewed.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// `s` with `&`, `<`, `>` and quotes escaped, for text and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Whether a link target resolves on the site: a web address, an anchor or
/// another page of the site (`with_capacity.html`). Rustdoc's intra-doc
/// links (`crate::hint::Hint`) and paths into the repository
/// (`../../src/hints/x.rs`, `results/atlas.md`) do not.
fn resolves(dest: &str) -> bool {
    let page = dest.split('#').next().unwrap_or_default();
    dest.starts_with("http://")
        || dest.starts_with("https://")
        || dest.starts_with('#')
        || (page.ends_with(".html") && !page.contains('/'))
}

/// Markdown as HTML: tables on; raw HTML in the text shown as text; links
/// that would not resolve on the site (intra-doc links, `[`Name`]` with no
/// target) kept as their text; every table in a box that scrolls sideways.
pub fn markdown(md: &str) -> String {
    // `[`Probe`]` with no target is an intra-doc link: no URL here.
    let mut broken = |_: pulldown_cmark::BrokenLink<'_>| Some((CowStr::from(""), CowStr::from("")));
    let parser =
        Parser::new_with_broken_link_callback(md, Options::ENABLE_TABLES, Some(&mut broken));
    let mut dropped = Vec::new();
    let events = parser.filter_map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Some(Event::Text(h)),
        Event::Start(Tag::Link { ref dest_url, .. }) => {
            let keep = resolves(dest_url);
            dropped.push(!keep);
            keep.then_some(e)
        }
        Event::End(TagEnd::Link) => (!dropped.pop().unwrap_or(false)).then_some(e),
        e => Some(e),
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html.replace("<table>", "<div class=\"scroll\"><table>")
        .replace("</table>", "</table></div>")
}

/// The style every page carries inline: dark text on white, a readable
/// sans-serif, code in a box that scrolls, tables that scroll sideways in
/// theirs rather than widening the page.
const STYLE: &str = r#"
:root { --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --code: #f6f8fa; --link: #0550ae;
  --holds: #1a7f37; --partly: #9a6700; --missed: #cf222e; --layout: #8250df; --none: #57606a; }
* { box-sizing: border-box; }
html { background: #fff; color: var(--fg); }
body { margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 3rem;
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
a { color: var(--link); }
h1 { font-size: 1.8rem; line-height: 1.25; margin: 1rem 0 .5rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; }
code, pre { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .88em; }
:not(pre) > code { background: var(--code); padding: .1em .3em; border-radius: 4px; }
pre { background: var(--code); border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem;
  overflow-x: auto; line-height: 1.45; margin: .5rem 0 1rem; }
pre code { font-size: 13.5px; }
.scroll { overflow-x: auto; margin: .5rem 0 1rem; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; font-size: .9rem; }
.scroll table { min-width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .6rem; text-align: left; vertical-align: top; }
th { background: var(--code); white-space: nowrap; }
td { white-space: nowrap; }
table.overview { width: 100%; table-layout: fixed; }
.overview th, .overview td { white-space: normal; overflow-wrap: anywhere; }
.overview th:nth-child(1) { width: 13rem; }
.overview th:nth-child(3) { width: 12rem; }
.overview th:nth-child(4) { width: 11rem; }
.overview th:nth-child(5) { width: 8rem; }
.overview th:nth-child(6) { width: 10rem; }
.overview td:first-child a { font-weight: 600; }
a code { color: inherit; }
tr:last-child td { border-bottom: none; }
figure.chart { margin: 1rem 0; max-width: 760px; }
figure.chart svg, figure.chart img { width: 100%; height: auto; display: block; border: 1px solid var(--line); border-radius: 6px; }
figure.chart figcaption { color: var(--muted); font-size: .9rem; }
nav.top { font-size: .95rem; color: var(--muted); display: flex; gap: 1.2rem; flex-wrap: wrap; border-bottom: 1px solid var(--line); padding-bottom: .5rem; }
.muted, footer { color: var(--muted); font-size: .92rem; }
footer { margin-top: 3rem; border-top: 1px solid var(--line); padding-top: .6rem; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 1rem; font-size: .85rem; font-weight: 600;
  border: 1px solid currentColor; white-space: nowrap; }
.v-holds, .v-as-modelled { color: var(--holds); }
.v-bounded, .v-partly { color: var(--partly); }
.v-refuted, .v-model-missed { color: var(--missed); }
.v-layout-sensitive { color: var(--layout); }
.v-not-judged, .v-none { color: var(--none); }
.variants { display: grid; grid-template-columns: repeat(auto-fit, minmax(24rem, 1fr)); gap: 1rem; }
.variants > div { min-width: 0; }
.variants h3 { margin-top: .4rem; }
details { margin: .6rem 0; }
details > summary { cursor: pointer; }
.filters { margin: .8rem 0; }
.filters div { display: flex; flex-wrap: wrap; gap: .4rem .6rem; align-items: center; margin: .35rem 0; }
.filters .label { min-width: 15rem; }
.filters a { text-decoration: none; border: 1px solid var(--line); border-radius: 1rem; padding: .1rem .7rem; font-size: .9rem; }
.filters a[aria-current="true"] { background: var(--fg); color: #fff; border-color: var(--fg); }
.filters .label { color: var(--muted); font-size: .9rem; }
.anchor { display: block; height: 0; }
td.ls, td.ls code { background: #f3e8ff; }
figure.history { margin: 1rem 0; max-width: 760px; }
figure.history svg { width: 100%; height: auto; display: block; border: 1px solid var(--line); border-radius: 6px; }
figure.history figcaption { color: var(--muted); font-size: .9rem; }
.scroll td:last-child { white-space: normal; min-width: 22rem; }
.history-table td:last-child { min-width: 0; white-space: nowrap; }
"#;

/// A whole page: `title` in the tab, `body` in `<main>`, the footer line, the
/// style (with `style` added) inline and, when given, a script inline.
pub fn page(title: &str, style: &str, body: &str, footer: &str, script: Option<&str>) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<link rel=\"icon\" href=\"data:,\">\n<style>{STYLE}{}</style>\n</head>\n\
         <body>\n<main>\n{body}\n</main>\n<footer>{footer}</footer>\n{}</body>\n</html>\n",
        escape(title),
        style,
        script.map_or(String::new(), |s| format!("<script>{s}</script>\n")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_keeps_tables_in_a_scrolling_box_and_escapes_html() {
        let html = markdown("| a | b |\n|---|---|\n| 1 | <b>2</b> |\n");
        assert!(html.contains("<div class=\"scroll\"><table>"), "{html}");
        assert!(html.contains("&lt;b&gt;2&lt;/b&gt;"), "{html}");
    }

    #[test]
    fn markdown_drops_links_that_only_rustdoc_resolves() {
        let html =
            markdown("See [`Hint`](crate::hint::Hint), [`Probe`] and [this](https://x.org).");
        assert!(!html.contains("crate::hint"), "{html}");
        assert!(html.contains("<code>Hint</code>"), "{html}");
        assert!(html.contains("<code>Probe</code>"), "{html}");
        assert!(
            html.contains("<a href=\"https://x.org\">this</a>"),
            "{html}"
        );
    }
}
