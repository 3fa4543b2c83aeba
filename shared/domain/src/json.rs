//! Reading a request body into a JSON value in memory bounded by a constant, whatever its shape.
//!
//! `serde_json::from_slice` builds a 32-byte value per element: a 5.8 MB body of 2.9 million `1`s
//! becomes ~100 MB before a rule has looked at it. Here an array keeps at most `KEPT_ITEMS`
//! items (one more than the longest list any endpoint accepts, so its length rule still fails it
//! by name) and skips the rest unbuilt, and a body holding more than `MAX_VALUES` values in all
//! (nesting, many keys) is refused whole: no valid request comes near either bound.
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::cell::Cell;
use std::fmt;

/// The longest list a request may hold (an order's `companies`: `create_order` checks at compile
/// time that its `COMPANIES_MAX` fits). Written here, not taken from there, so this reader of
/// bodies depends on no rule of an endpoint.
pub const LONGEST_LIST: usize = 10_000;
/// Items an array keeps: one over the longest list, so an over-long one is still over its limit.
pub const KEPT_ITEMS: usize = LONGEST_LIST + 1;
/// Values (keys count as values) a body may hold in all; the largest valid one, 10,000 companies
/// of 5 fields, holds ~110,000.
pub const MAX_VALUES: usize = 200_000;

#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Not JSON; serde_json's description of where and why.
    Malformed(String),
    /// More than `MAX_VALUES` values.
    TooManyValues,
}

/// `bytes` as a JSON value with no array longer than `KEPT_ITEMS` (items past it are checked for
/// syntax and dropped) and at most `MAX_VALUES` values in all.
pub fn parse(bytes: &[u8]) -> Result<Value, BodyError> {
    let budget = Cell::new(MAX_VALUES);
    let exceeded = Cell::new(false);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let seed = Bounded {
        budget: &budget,
        exceeded: &exceeded,
    };
    let parsed = seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    match parsed {
        Ok(v) => Ok(v),
        Err(_) if exceeded.get() => Err(BodyError::TooManyValues),
        Err(e) => Err(BodyError::Malformed(e.to_string())),
    }
}

#[derive(Clone, Copy)]
struct Bounded<'b> {
    budget: &'b Cell<usize>,
    exceeded: &'b Cell<bool>,
}

impl Bounded<'_> {
    fn take<E: de::Error>(self) -> Result<(), E> {
        match self.budget.get().checked_sub(1) {
            Some(left) => {
                self.budget.set(left);
                Ok(())
            }
            None => {
                self.exceeded.set(true);
                Err(E::custom("too many JSON values"))
            }
        }
    }
}

impl<'de> DeserializeSeed<'de> for Bounded<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Bounded<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.take()?;
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.take()?;
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.take()?;
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.take()?;
        // JSON has no NaN or infinity; serde_json reads an out-of-range literal as an error.
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.take()?;
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.take()?;
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.take()?;
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.take()?;
        let mut items = Vec::new();
        while items.len() < KEPT_ITEMS {
            match seq.next_element_seed(self)? {
                Some(v) => items.push(v),
                None => return Ok(Value::Array(items)),
            }
        }
        // Read to the end (the body must still be JSON) without building what is read.
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.take()?;
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            // A key is a value too: an object of a million empty keys costs what a list does.
            self.take()?;
            let value = map.next_value_seed(self)?;
            // Last one wins, as with serde_json::from_slice.
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_what_serde_json_reads() {
        for text in [
            r#"{"a": [1, -2, 3.5, "x", null, true, {"b": []}], "c": {}}"#,
            r#"[]"#,
            r#""s""#,
            r#"18446744073709551615"#,
            r#"{"k": 1, "k": 2}"#,
            "  {\"\\u00e4\": \"\\ud83d\\ude00\"} ",
        ] {
            let expected: Value = serde_json::from_str(text).unwrap();
            assert_eq!(parse(text.as_bytes()).unwrap(), expected, "{text}");
        }
    }

    #[test]
    fn malformed_is_malformed() {
        for text in ["", "{", "[1,]", "{\"a\": 1} x", "[1, 2", "nul"] {
            assert!(
                matches!(parse(text.as_bytes()), Err(BodyError::Malformed(_))),
                "{text}"
            );
        }
        // Past the kept items the rest is still read for syntax.
        let mut text = "[".to_string() + &"1,".repeat(KEPT_ITEMS + 5);
        text.push_str("x]");
        assert!(matches!(
            parse(text.as_bytes()),
            Err(BodyError::Malformed(_))
        ));
    }

    #[test]
    fn a_long_array_keeps_one_more_than_the_longest_list() {
        let text = format!("{{\"l\": [{}1]}}", "1,".repeat(2_000_000));
        let v = parse(text.as_bytes()).unwrap();
        assert_eq!(v["l"].as_array().unwrap().len(), KEPT_ITEMS);
        let short = json!({"l": vec![1; LONGEST_LIST]});
        assert!(parse(short.to_string().as_bytes()).unwrap() == short);
    }

    #[test]
    fn too_many_values_in_all_is_refused() {
        // Nested lists each under the kept length, together over the budget.
        let inner = format!("[{}1]", "1,".repeat(9_999));
        let text = format!("[{}]", vec![inner; MAX_VALUES / LONGEST_LIST + 1].join(","));
        assert!(matches!(
            parse(text.as_bytes()),
            Err(BodyError::TooManyValues)
        ));
        let keys: Vec<String> = (0..MAX_VALUES).map(|i| format!("\"k{i}\": 0")).collect();
        let text = format!("{{{}}}", keys.join(","));
        assert!(matches!(
            parse(text.as_bytes()),
            Err(BodyError::TooManyValues)
        ));
        // The largest valid body is well inside.
        let companies: Vec<Value> = (0..LONGEST_LIST)
            .map(|i| json!({"external_id": i.to_string(), "company_name": "n", "website_url": "a.de", "city": "c", "country": "d"}))
            .collect();
        let body = json!({"order_type": "ENRICHMENT", "companies": companies});
        assert!(parse(body.to_string().as_bytes()).unwrap() == body);
        // The abuse case of the report: the same companies with 10 fields each.
        let company: serde_json::Map<String, Value> =
            (0..10).map(|i| (format!("f{i}"), json!("v"))).collect();
        let body = json!({"companies": vec![Value::Object(company); LONGEST_LIST]});
        assert!(matches!(
            parse(body.to_string().as_bytes()),
            Err(BodyError::TooManyValues)
        ));
    }
}
