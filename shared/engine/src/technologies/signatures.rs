//! The matcher that runs the technology signatures (`data/technology_signatures.json`) over one page.
//!
//! Every pattern is a lowercase literal tested with `contains`/`starts_with` over strings that
//! were lowercased once during extraction: no regex engine, no per-pattern allocation, and the
//! whole table is walked exactly once per page. Patterns are deliberately specific (asset hosts,
//! attribute names, header names) because a word such as "react" in prose proves nothing.
use super::PageSnapshot;
use serde::Deserialize;
use std::sync::LazyLock;

/// What kind of product a technology is; stable kebab-case names via [`Category::as_str`], the
/// names the signature file uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Cms,
    Ecommerce,
    #[serde(rename = "javascript-framework")]
    JavaScriptFramework,
    WebFramework,
    UiFramework,
    ProgrammingLanguage,
    Analytics,
    TagManager,
    Marketing,
    Crm,
    LiveChat,
    ConsentManagement,
    Cdn,
    Hosting,
    WebServer,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Cms => "cms",
            Category::Ecommerce => "ecommerce",
            Category::JavaScriptFramework => "javascript-framework",
            Category::WebFramework => "web-framework",
            Category::UiFramework => "ui-framework",
            Category::ProgrammingLanguage => "programming-language",
            Category::Analytics => "analytics",
            Category::TagManager => "tag-manager",
            Category::Marketing => "marketing",
            Category::Crm => "crm",
            Category::LiveChat => "live-chat",
            Category::ConsentManagement => "consent-management",
            Category::Cdn => "cdn",
            Category::Hosting => "hosting",
            Category::WebServer => "web-server",
        }
    }
}

/// How a header value is compared; `present` ignores the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Op {
    Present,
    Contains,
    StartsWith,
    Equals,
}

/// One header test. Names and values are lowercase literals.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HeaderRule {
    name: String,
    op: Op,
    #[serde(default)]
    value: String,
}

/// A technology and the evidence that reveals it. Any single hit is enough.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Signature {
    name: String,
    category: Category,
    #[serde(default)]
    headers: Vec<HeaderRule>,
    /// Prefixes of `<meta name="generator" content="...">`; prefix, because generators put the
    /// product first and a version after it.
    #[serde(default)]
    generator: Vec<String>,
    /// Substrings of the whole lowercased document, inline scripts included.
    #[serde(default)]
    html: Vec<String>,
    /// Substrings of `<script src>` values.
    #[serde(default)]
    scripts: Vec<String>,
    /// Substrings of `<link href>` values.
    #[serde(default)]
    links: Vec<String>,
    /// Technologies that are certainly present when this one is (Next.js runs on React).
    #[serde(default)]
    implies: Vec<String>,
    /// Why a pattern is as it is, for the reader of the data file.
    #[serde(default, rename = "why")]
    _why: Option<String>,
}

/// The signature table (`data/technology_signatures.json`), in its order.
const SIGNATURES_JSON: &str = include_str!("../../data/technology_signatures.json");

fn signatures() -> &'static [Signature] {
    static TABLE: LazyLock<Vec<Signature>> = LazyLock::new(|| {
        // The file is compiled in, and `the_signature_file_parses_whole` parses all of it.
        #[allow(clippy::expect_used)]
        let table =
            serde_json::from_str(SIGNATURES_JSON).expect("technology_signatures.json parses");
        table
    });
    &TABLE
}

pub fn signature_count() -> usize {
    signatures().len()
}

/// The category of a technology name as returned by `detect`, if it is in the table.
pub fn category_of(name: &str) -> Option<Category> {
    signatures()
        .iter()
        .find(|s| s.name == name)
        .map(|s| s.category)
}

/// The lowercased evidence pulled out of one page, built once and shared by every signature.
#[derive(Debug, Default)]
struct Evidence {
    headers: Vec<(String, String)>,
    html: String,
    generators: Vec<String>,
    scripts: Vec<String>,
    links: Vec<String>,
}

impl Evidence {
    fn from_page(page: &PageSnapshot) -> Self {
        let html = page.body.to_ascii_lowercase();
        let mut ev = Evidence {
            headers: page
                .headers
                .iter()
                .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_ascii_lowercase()))
                .collect(),
            ..Evidence::default()
        };
        scan_tags(&html, &mut ev);
        ev.html = html;
        ev
    }
}

/// Names of the technologies whose signatures match, plus what they imply; sorted
/// case-insensitively and deduplicated so the output is stable across runs.
pub fn detect(page: &PageSnapshot) -> Vec<String> {
    let ev = Evidence::from_page(page);
    let mut found: Vec<&'static str> = Vec::new();
    for sig in signatures() {
        if matches(sig, &ev) {
            found.push(&sig.name);
            found.extend(sig.implies.iter().map(String::as_str));
        }
    }
    found.sort_by_cached_key(|name| (name.to_ascii_lowercase(), *name));
    found.dedup();
    found.into_iter().map(str::to_owned).collect()
}

fn matches(sig: &Signature, ev: &Evidence) -> bool {
    sig.headers
        .iter()
        .any(|rule| header_matches(rule, &ev.headers))
        || any_starts(&ev.generators, &sig.generator)
        || sig.html.iter().any(|p| ev.html.contains(p.as_str()))
        || any_contains(&ev.scripts, &sig.scripts)
        || any_contains(&ev.links, &sig.links)
}

fn header_matches(rule: &HeaderRule, headers: &[(String, String)]) -> bool {
    headers
        .iter()
        .filter(|(name, _)| *name == rule.name)
        .any(|(_, value)| match rule.op {
            Op::Present => true,
            Op::Contains => value.contains(rule.value.as_str()),
            Op::StartsWith => value.starts_with(rule.value.as_str()),
            Op::Equals => *value == rule.value,
        })
}

fn any_contains(values: &[String], patterns: &[String]) -> bool {
    patterns
        .iter()
        .any(|p| values.iter().any(|v| v.contains(p.as_str())))
}

fn any_starts(values: &[String], patterns: &[String]) -> bool {
    patterns
        .iter()
        .any(|p| values.iter().any(|v| v.starts_with(p.as_str())))
}

/// Collects `<script src>`, `<link href>` and `<meta name=generator content>` from lowercase
/// HTML. A tolerant forward scan, not a parser: malformed markup yields fewer hits, never a panic.
fn scan_tags(html: &str, ev: &mut Evidence) {
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let after = &rest[lt + 1..];
        let name_len = after
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let (name, attrs) = after.split_at(name_len);
        // Only the three tags of interest are consumed up to their '>'; anything else (including
        // a stray '<' in inline script or text) advances one character, so an unbalanced quote
        // elsewhere can never swallow a later <script> tag.
        let out = match name {
            "script" => &mut ev.scripts,
            "link" => &mut ev.links,
            "meta" => &mut ev.generators,
            _ => {
                rest = after;
                continue;
            }
        };
        let (attrs, tail) = split_tag(attrs);
        match name {
            "script" => push_attr(attrs, "src", out),
            "link" => push_attr(attrs, "href", out),
            _ if attr(attrs, "name").is_some_and(|n| n.trim() == "generator") => {
                push_attr(attrs, "content", out)
            }
            _ => {}
        }
        rest = tail;
    }
}

fn push_attr(attrs: &str, name: &str, out: &mut Vec<String>) {
    if let Some(value) = attr(attrs, name) {
        let value = value.trim();
        if !value.is_empty() {
            out.push(value.to_owned());
        }
    }
}

/// Splits at the `>` that closes the tag, skipping any `>` inside quoted attribute values.
/// Returns (attributes, text after the tag).
fn split_tag(s: &str) -> (&str, &str) {
    let mut quote: Option<u8> = None;
    for (i, b) in s.bytes().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return (&s[..i], &s[i + 1..]),
            (None, _) => {}
        }
    }
    (s, "")
}

/// The value of attribute `want` in a tag's attribute text, quoted or bare. Walks attributes in
/// order, so `data-src=` is never mistaken for `src=`.
fn attr<'a>(attrs: &'a str, want: &str) -> Option<&'a str> {
    let bytes = attrs.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !matches!(bytes[i], b'=' | b'/') && !bytes[i].is_ascii_whitespace()
        {
            i += 1;
        }
        let name = &attrs[start..i];
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        // A bare attribute (`async`) has no value; the next loop turn starts at the following
        // name. `i` always moved past `start` here or points at '=', so the scan progresses.
        if i >= bytes.len() || bytes[i] != b'=' {
            continue;
        }
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let (value, next) = attr_value(attrs, i);
        if name == want {
            return Some(value);
        }
        i = next;
    }
    None
}

/// Reads a quoted or bare attribute value starting at byte `i`; returns it and the index after.
fn attr_value(attrs: &str, i: usize) -> (&str, usize) {
    let bytes = attrs.as_bytes();
    match bytes.get(i) {
        Some(&q @ (b'"' | b'\'')) => {
            let body = &attrs[i + 1..];
            match body.bytes().position(|b| b == q) {
                Some(end) => (&body[..end], i + 1 + end + 1),
                None => (body, attrs.len()),
            }
        }
        _ => {
            let len = attrs[i..]
                .bytes()
                .take_while(|b| !b.is_ascii_whitespace())
                .count();
            (&attrs[i..i + len], i + len)
        }
    }
}

#[cfg(test)]
mod tests;
