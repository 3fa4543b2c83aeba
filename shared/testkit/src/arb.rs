//! Arbitrary JSON for the request parsers' property tests (`domain`'s and `engine`'s `no_crash`
//! tests, `api`'s and `http-edge`'s unit tests): values of every JSON type, with the ones
//! parsers get wrong most often weighted in (blanks, whitespace, nulls, huge and negative-zero
//! numbers, long and odd Unicode strings, deep nesting), and a way to say what a field accepts so
//! a test can tell which mutated fields a 422 must name.
#![allow(dead_code)] // each test binary uses part of it

use domain::FieldError;
use proptest::prelude::*;
use serde_json::{Map, Value};

/// Numbers at the edges of JSON and of the parsers' integer handling. u64::MAX + 1 and beyond
/// arrive as floats (serde_json without arbitrary precision), as they would over the wire.
pub fn special_number() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        "0",
        "-0",
        "-0.0",
        "0.5",
        "600.0",
        "1e308",
        "-1e308",
        "5e-324",
        "1e15",
        "-1",
        "4294967296",
        "9223372036854775807",
        "-9223372036854775808",
        "18446744073709551615",
        "18446744073709551616",
        "123456789012345678901234567890",
        "-123456789012345678901234567890e10",
    ])
    .prop_map(|s| serde_json::from_str(s).unwrap_or(Value::Null))
}

/// Strings a request may carry: blanks and whitespace of every kind, the enums' own values
/// (exact, padded, in the wrong case), ids, URLs, timestamps at the edges of the calendar, and
/// Unicode that trips byte-based code.
pub fn special_string() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "",
        " ",
        "   ",
        "\t\n\r",
        "\u{a0}",
        "\u{2003}",
        "\u{200b}",
        "\u{feff}",
        "\u{0}",
        "null",
        "true",
        "0",
        "-1",
        "DISCOVERY",
        " DISCOVERY ",
        "discovery",
        "ENRICHMENT",
        "NORMAL",
        "EXPRESS",
        "express",
        "COMPANY_DATA",
        "ANALYSIS",
        "RECEIVED",
        "CANCELLED",
        "orders:read",
        "admin",
        "live",
        "test",
        "en",
        "de-AT",
        "zh_Hant_TW",
        "english",
        "d33b69ce-80ce-4ede-b4df-4b11427f8b55",
        "{d33b69ce-80ce-4ede-b4df-4b11427f8b55}",
        "00000000-0000-0000-0000-000000000000",
        "https://www.acme.com",
        "https://hooks.partner.example/x?y=1#z",
        "http://127.0.0.1:9/hook",
        "https://169.254.169.254/latest",
        "https://[::ffff:10.0.0.1]/",
        "https://user:pass@acme.com/",
        "https://acme.com:99999/",
        "acme.co.uk.",
        "bücher.de",
        "xn--",
        "xn--zz",
        "..",
        "-acme.com",
        "mailto:a@b.c",
        "https://🦀.example",
        "2026-03-01T10:30:00Z",
        "2026-03-01",
        "9999-12-31T23:59:59-01:00",
        "9999-12-31T23:59:59Z",
        "0000-01-01T00:00:00+01:00",
        "99991231T235959-0100",
        "2026-02-30T00:00:00Z",
        "💥",
        "ǅ",
        "İstanbul",
        "ß",
        "\u{202e}evil",
        "e\u{301}\u{301}\u{301}",
        "GmbH",
        "AG & Co. KG",
    ])
    .prop_map(String::from)
}

pub fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => special_string(),
        3 => "\\PC{0,30}",
        1 => any::<String>(),
        1 => (1usize..6000, prop::sample::select(vec!["x", "é", "😀", " "]))
            .prop_map(|(n, c)| c.repeat(n)),
    ]
}

pub fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        2 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<u64>().prop_map(Value::from),
        1 => any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        2 => special_number(),
        6 => string().prop_map(Value::String),
    ]
}

/// Any JSON value, nested a few levels, or occasionally nested deep (up to 120 levels: a
/// request's JSON can be no deeper than serde_json's limit of 128).
pub fn json() -> impl Strategy<Value = Value> {
    let nested = leaf().prop_recursive(4, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..5)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    });
    prop_oneof![
        10 => nested,
        1 => (1usize..120, leaf(), any::<bool>()).prop_map(|(depth, core, arrays)| deep(depth, core, arrays)),
    ]
}

pub fn deep(depth: usize, core: Value, arrays: bool) -> Value {
    (0..depth).fold(core, |v, _| {
        if arrays {
            Value::Array(vec![v])
        } else {
            let mut m = Map::new();
            m.insert("a".into(), v);
            Value::Object(m)
        }
    })
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("name".to_string()),
        Just("title".to_string()),
        Just("".to_string()),
        "[a-z_]{1,12}",
    ]
}

/// A list whose items are mostly strings: where item-level rules (blank, unknown enum value,
/// duplicate) are reached, mixed with other values.
pub fn string_list() -> impl Strategy<Value = Value> {
    prop::collection::vec(
        prop_oneof![4 => string().prop_map(Value::String), 1 => leaf()],
        0..6,
    )
    .prop_map(Value::Array)
}

/// What a field accepts, enough to tell that a value is certainly invalid (so the 422 must name
/// the field). A value this cannot judge counts as possibly valid.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// One of these names (trimmed); absent or null allowed unless `required`.
    Enum(&'static [&'static str], bool),
    /// A string of at most this many characters (trimmed); blank counts as absent.
    Text(usize),
    /// A non-blank string of at most this many characters.
    RequiredText(usize),
    /// An array of non-blank strings (each at most `.1` characters), at most `.0` items.
    StringList(usize, usize),
    /// A non-empty array of names from the list (`true`: distinct ones).
    EnumList(&'static [&'static str], bool),
    /// An array of UUID strings, at most this many.
    UuidList(usize),
    Uuid,
    /// A language code; blank is invalid.
    Lang,
    /// An integer in this range.
    Integer(i64, i64),
    /// An RFC 3339 timestamp.
    Timestamp,
    /// Checked by rules this cannot predict (URLs, nested objects): never judged certainly invalid
    /// except for a value of the wrong JSON type.
    Opaque(Shape),
    /// A known field whose rules depend on others (never judged).
    Any,
}

#[derive(Debug, Clone, Copy)]
pub enum Shape {
    String,
    Array,
}

fn chars(s: &str) -> usize {
    s.trim().chars().count()
}

fn is_uuid(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| uuid::Uuid::parse_str(s.trim()).is_ok())
}

/// Whether `value` (None: absent) is certainly invalid for a field of this kind.
pub fn certainly_invalid(kind: Kind, value: Option<&Value>) -> bool {
    let value = match value {
        None | Some(Value::Null) => {
            return matches!(
                kind,
                Kind::Enum(_, true) | Kind::RequiredText(_) | Kind::EnumList(..)
            )
        }
        Some(v) => v,
    };
    match kind {
        Kind::Enum(names, _) => !value.as_str().is_some_and(|s| names.contains(&s.trim())),
        Kind::Text(max) => value.as_str().is_none_or(|s| chars(s) > max),
        Kind::RequiredText(max) => !value
            .as_str()
            .is_some_and(|s| (1..=max).contains(&chars(s))),
        Kind::StringList(max_items, max_chars) => !value.as_array().is_some_and(|a| {
            a.len() <= max_items
                && a.iter().all(|i| {
                    i.as_str()
                        .is_some_and(|s| (1..=max_chars).contains(&chars(s)))
                })
        }),
        Kind::EnumList(names, distinct) => !value.as_array().is_some_and(|a| {
            !a.is_empty()
                && a.iter()
                    .all(|i| i.as_str().is_some_and(|s| names.contains(&s)))
                && (!distinct || a.iter().enumerate().all(|(n, i)| !a[..n].contains(i)))
        }),
        Kind::UuidList(max) => !value
            .as_array()
            .is_some_and(|a| a.len() <= max && a.iter().all(is_uuid)),
        Kind::Uuid => !is_uuid(value),
        Kind::Lang => value.as_str().is_none_or(|s| s.trim().is_empty()),
        Kind::Integer(min, max) => {
            let n = value.as_i64().or_else(|| {
                value
                    .as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
                    .map(|f| f as i64)
            });
            !n.is_some_and(|n| (min..=max).contains(&n))
        }
        Kind::Timestamp => !value
            .as_str()
            .is_some_and(|s| s.trim().is_empty() || domain::clock::parse(s.trim()).is_some()),
        Kind::Opaque(Shape::String) => !value.is_string(),
        Kind::Opaque(Shape::Array) => !value.is_array(),
        Kind::Any => false,
    }
}

/// The top-level field an error names: `companies[3].city` -> `companies`.
pub fn root(field: &str) -> &str {
    let end = field.find(['[', '.']).unwrap_or(field.len());
    &field[..end]
}

/// What every 422 must be: at least one error, each naming a field that the body has or the
/// endpoint knows (or `body` for a rule over the whole body), with a message; and every field in
/// `must_name` among them.
pub fn check_errors(
    errors: &[FieldError],
    body: &Value,
    known: &[&str],
    must_name: &[String],
) -> Result<(), String> {
    if errors.is_empty() {
        return Err("a validation error without details".into());
    }
    for e in errors {
        let r = root(&e.field);
        let in_body = body.as_object().is_some_and(|o| o.contains_key(r));
        if r.is_empty() && !in_body || e.message.trim().is_empty() {
            return Err(format!("an error without a field or message: {e:?}"));
        }
        if !in_body && !known.contains(&r) && r != "body" {
            return Err(format!(
                "an error naming a field that is neither sent nor known: {e:?}"
            ));
        }
    }
    for field in must_name {
        if !errors.iter().any(|e| root(&e.field) == field) {
            return Err(format!("{field} is invalid but not named in {errors:?}"));
        }
    }
    Ok(())
}

/// A mutation of one field of a valid body: removed, or set to any JSON value (weighted towards
/// what the field's kind gets wrong: strings for text, string lists for lists).
#[derive(Debug, Clone)]
pub enum Op {
    Remove,
    Set(Value),
}

pub fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => Just(Op::Remove),
        2 => Just(Op::Set(Value::Null)),
        3 => prop::sample::select(vec!["", " ", "\t\n", "\u{a0}"]).prop_map(|s| Op::Set(Value::String(s.into()))),
        3 => json().prop_map(Op::Set),
        3 => string().prop_map(|s| Op::Set(Value::String(s))),
        2 => string_list().prop_map(Op::Set),
    ]
}

/// `fields` mutated, mostly one at a time (so the rest of the body stays valid and the rules that
/// run only on an otherwise valid body are reached), sometimes several or an unknown one; the last
/// mutation of a field wins.
pub fn mutations(fields: &'static [&'static str]) -> impl Strategy<Value = Vec<(String, Op)>> {
    let one = move || {
        (
            prop_oneof![
                8 => prop::sample::select(fields).prop_map(String::from),
                1 => "[a-z_]{1,10}",
            ],
            op(),
        )
    };
    prop_oneof![
        1 => Just(Vec::new()),
        6 => prop::collection::vec(one(), 1..=1),
        3 => prop::collection::vec(one(), 2..5),
    ]
}

/// The values a field is given wrong most often, for tables that try each on each field.
pub fn nasty_values() -> Vec<Value> {
    let mut out: Vec<Value> = [
        "",
        " ",
        "\t\n",
        "\u{a0}\u{200b}",
        "\u{0}",
        "💥\u{202e}e\u{301}",
    ]
    .into_iter()
    .map(Value::from)
    .collect();
    out.push(Value::String("é".repeat(6000)));
    for n in [
        "null",
        "true",
        "false",
        "0",
        "-0",
        "-0.0",
        "0.5",
        "-1",
        "1e308",
        "-1e308",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775809",
        "123456789012345678901234567890",
        "[]",
        "[\"\"]",
        "[\" \"]",
        "[null]",
        "[[[]]]",
        "{}",
        "{\"a\": 1}",
    ] {
        out.push(serde_json::from_str(n).unwrap_or(Value::Null));
    }
    out.push(deep(100, Value::from(1), true));
    out.push(deep(100, Value::from(1), false));
    out
}

/// Applies mutations to an object; returns the fields whose final value is certainly invalid
/// (`invalid_fields`).
pub fn apply(
    body: &mut Map<String, Value>,
    muts: &[(String, Op)],
    kind_of: impl Fn(&str) -> Option<Kind>,
) -> Vec<String> {
    for (field, op) in muts {
        match op {
            Op::Remove => {
                body.remove(field);
            }
            Op::Set(v) => {
                body.insert(field.clone(), v.clone());
            }
        }
    }
    invalid_fields(body, muts.iter().map(|(f, _)| f.as_str()), kind_of)
}

/// The fields of `body` that are certainly invalid as they stand: unknown ones (`kind_of` says
/// `None`) and, of `judged` (the fields changed: the others keep the valid body's values),
/// those whose value or absence their kind rules out.
pub fn invalid_fields<'a>(
    body: &Map<String, Value>,
    judged: impl IntoIterator<Item = &'a str>,
    kind_of: impl Fn(&str) -> Option<Kind>,
) -> Vec<String> {
    let mut invalid: Vec<String> = body
        .keys()
        .filter(|k| kind_of(k).is_none())
        .cloned()
        .collect();
    for field in judged {
        if let Some(kind) = kind_of(field) {
            if certainly_invalid(kind, body.get(field)) && !invalid.iter().any(|f| f == field) {
                invalid.push(field.to_string());
            }
        }
    }
    invalid
}
