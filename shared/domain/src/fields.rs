//! Reading a JSON object field by field while collecting every problem, so that one 422 names all
//! invalid fields at once (serde's derive stops at the first).
use crate::error::{ApiError, FieldError};
use serde_json::{Map, Value};
use uuid::Uuid;

/// One JSON object being read, with the path prefix used in error `field` names.
pub struct Fields<'a> {
    obj: &'a Map<String, Value>,
    prefix: String,
    errors: Vec<FieldError>,
}

impl<'a> Fields<'a> {
    /// Reads a request body that must be a JSON object.
    pub fn root(body: &'a Value) -> Result<Self, ApiError> {
        match body {
            Value::Object(obj) => Ok(Self::new(obj, String::new())),
            _ => Err(ApiError::InvalidJson(
                "Request body must be a JSON object".into(),
            )),
        }
    }

    pub fn new(obj: &'a Map<String, Value>, prefix: String) -> Self {
        Self {
            obj,
            prefix,
            errors: Vec::new(),
        }
    }

    pub fn path(&self, name: &str) -> String {
        format!("{}{}", self.prefix, name)
    }

    pub fn error(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    /// Records an error on `name`, naming it with this object's prefix.
    pub fn fail(&mut self, name: &str, message: impl Into<String>) {
        let path = self.path(name);
        self.error(path, message);
    }

    /// Whether `name` (in this object) already has an error, so a rule does not pile on a second.
    pub fn has_field_error(&self, name: &str) -> bool {
        let path = self.path(name);
        self.errors.iter().any(|e| e.field == path)
    }

    /// Whether `name` or any of its items (`name[i]...`) already has an error.
    pub fn has_errors_within(&self, name: &str) -> bool {
        let path = self.path(name);
        let items = format!("{path}[");
        self.errors
            .iter()
            .any(|e| e.field == path || e.field.starts_with(&items))
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    pub fn into_errors(self) -> Vec<FieldError> {
        self.errors
    }

    pub fn absorb(&mut self, errors: Vec<FieldError>) {
        self.errors.extend(errors);
    }

    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.errors))
        }
    }

    /// Unknown fields are rejected so that typos never pass silently.
    pub fn deny_unknown(&mut self, allowed: &[&str]) {
        let mut unknown: Vec<&String> = self
            .obj
            .keys()
            .filter(|k| !allowed.contains(&k.as_str()))
            .collect();
        unknown.sort();
        for k in unknown {
            let path = self.path(k);
            self.error(path.clone(), format!("{path} is not a known field"));
        }
    }

    /// Present and not null.
    pub fn is_present(&self, name: &str) -> bool {
        !matches!(self.obj.get(name), None | Some(Value::Null))
    }

    fn raw(&self, name: &str) -> Option<&'a Value> {
        self.obj.get(name).filter(|v| !v.is_null())
    }

    /// An optional string, trimmed; blank counts as absent.
    pub fn string(&mut self, name: &str, max_chars: usize) -> Option<String> {
        let value = self.raw(name)?;
        let Some(s) = value.as_str() else {
            let path = self.path(name);
            self.error(path.clone(), format!("{path} must be a string"));
            return None;
        };
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        if s.chars().count() > max_chars {
            let path = self.path(name);
            self.error(
                path.clone(),
                format!("{path} must be at most {max_chars} characters"),
            );
            return None;
        }
        Some(s.to_string())
    }

    /// A string that must be there; `{name} is required` otherwise (the guide's wording).
    pub fn required_string(&mut self, name: &str, max_chars: usize) -> Option<String> {
        let was_wrong_type = self.raw(name).is_some_and(|v| !v.is_string());
        let before = self.errors.len();
        let s = self.string(name, max_chars);
        if s.is_none() && !was_wrong_type && self.errors.len() == before {
            self.required(name);
        }
        s
    }

    /// An optional integer within `min..=max`.
    pub fn integer(&mut self, name: &str, min: i64, max: i64) -> Option<i64> {
        let v = self.raw(name)?;
        // 600.0 is the integer 600 to JSON (and to JSON Schema's "integer").
        let n = v.as_i64().or_else(|| {
            v.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
                .map(|f| f as i64)
        });
        match n.filter(|n| (min..=max).contains(n)) {
            Some(n) => Some(n),
            None => {
                self.fail(
                    name,
                    format!("{name} must be an integer from {min} to {max}"),
                );
                None
            }
        }
    }

    /// An optional boolean: `true` or `false`; null or absent is `None` (the default applies).
    pub fn boolean(&mut self, name: &str) -> Option<bool> {
        let v = self.raw(name)?;
        match v.as_bool() {
            Some(b) => Some(b),
            None => {
                self.fail(name, format!("{} must be true or false", self.path(name)));
                None
            }
        }
    }

    pub fn required(&mut self, name: &str) {
        let path = self.path(name);
        self.error(path.clone(), format!("{path} is required"));
    }

    pub fn not_allowed(&mut self, name: &str) {
        let path = self.path(name);
        self.error(path.clone(), format!("{path} is not allowed"));
    }

    /// An optional array; each element checked by `each` (index, value) -> Option<T>.
    pub fn array<T>(
        &mut self,
        name: &str,
        length: Length,
        each: impl FnMut(&mut Self, String, &'a Value) -> Option<T>,
    ) -> Option<Vec<T>> {
        let before = self.errors.len();
        let valid = self.array_items(name, length, each)?;
        (self.errors.len() == before).then(|| valid.into_iter().map(|(_, v)| v).collect())
    }

    /// The items of an array that passed `each`, with their indices; `None` when the field is
    /// absent, not an array, or of a length `length` refuses. The length is judged first: an
    /// over-long array is one error naming its limit, and none of its items is looked at, so a
    /// request's cost never grows with an array's length past its limit. Rules across items
    /// (duplicates, ids that must exist) still run on the valid ones when some are invalid, so
    /// one 422 names all.
    pub fn array_items<T>(
        &mut self,
        name: &str,
        length: Length,
        mut each: impl FnMut(&mut Self, String, &'a Value) -> Option<T>,
    ) -> Option<Vec<(usize, T)>> {
        let value = self.raw(name)?;
        let path = self.path(name);
        let Some(items) = value.as_array() else {
            self.error(path.clone(), format!("{path} must be an array"));
            return None;
        };
        if let Some(message) = length.broken_by(&path, items.len()) {
            self.error(path, message);
            return None;
        }
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if let Some(v) = each(self, format!("{path}[{i}]"), item) {
                out.push((i, v));
            }
        }
        Some(out)
    }

    /// An optional array of non-blank strings, each at most `max_chars`, at most `max_items`.
    pub fn string_list(
        &mut self,
        name: &str,
        max_items: usize,
        max_chars: usize,
    ) -> Option<Vec<String>> {
        self.array(name, Length::AtMost(max_items), |f, path, v| {
            match v.as_str().map(str::trim) {
                Some(s) if !s.is_empty() && s.chars().count() <= max_chars => Some(s.to_string()),
                Some("") => {
                    f.error(path.clone(), format!("{path} must not be blank"));
                    None
                }
                Some(_) => {
                    f.error(
                        path.clone(),
                        format!("{path} must be at most {max_chars} characters"),
                    );
                    None
                }
                None => {
                    f.error(path.clone(), format!("{path} must be a string"));
                    None
                }
            }
        })
    }

    pub fn uuid(&mut self, name: &str) -> Option<Uuid> {
        let value = self.raw(name)?;
        let path = self.path(name);
        parse_uuid_value(self, path, value)
    }

    /// The valid UUIDs of an optional array, with their indices (the invalid ones are errors);
    /// none when the array has more than `max_items`, so a huge array never fans out lookups.
    pub fn uuid_refs(&mut self, name: &str, max_items: usize) -> Vec<(usize, Uuid)> {
        self.array_items(name, Length::AtMost(max_items), parse_uuid_value)
            .unwrap_or_default()
    }

    /// A string that must be one of an enum's wire names (`choices` lists them for the message).
    /// Absent or null is `None` without an error; anything else that names no value, a blank
    /// string, another type, is an error naming the field: a blank never stands for the default,
    /// and a caller may rely on `None` with no error meaning "not given".
    pub fn choice<T>(
        &mut self,
        name: &str,
        parse: impl Fn(&str) -> Option<T>,
        choices: &str,
    ) -> Option<T> {
        let value = self.raw(name)?;
        let parsed = value.as_str().map(str::trim).and_then(parse);
        if parsed.is_none() {
            let path = self.path(name);
            let given = if value.as_str().is_some_and(|s| s.trim().is_empty()) {
                " (blank given)"
            } else {
                ""
            };
            self.error(
                path.clone(),
                format!("{path} must be one of {choices}{given}"),
            );
        }
        parsed
    }

    /// Present as a string with nothing but whitespace in it.
    pub fn is_blank(&self, name: &str) -> bool {
        self.raw(name)
            .and_then(Value::as_str)
            .is_some_and(|s| s.trim().is_empty())
    }
}

/// How many items an array may have; the message names the field and the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Length {
    /// `{field} must have at most {n} items`.
    AtMost(usize),
    /// `{field} must contain between {min} and {max} items` (the guide's words for lists that
    /// must not be empty either).
    Between(usize, usize),
}

impl Length {
    /// The error for an array of `len` items at `path`, if that length is refused.
    pub fn broken_by(self, path: &str, len: usize) -> Option<String> {
        match self {
            Length::AtMost(max) if len > max => {
                Some(format!("{path} must have at most {max} items"))
            }
            Length::Between(min, max) if !(min..=max).contains(&len) => {
                Some(format!("{path} must contain between {min} and {max} items"))
            }
            _ => None,
        }
    }
}

fn parse_uuid_value(f: &mut Fields<'_>, path: String, value: &Value) -> Option<Uuid> {
    match value.as_str().and_then(|s| Uuid::parse_str(s.trim()).ok()) {
        Some(id) => Some(id),
        None => {
            f.error(path.clone(), format!("{path} must be a UUID"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn collects_every_error() {
        let body = json!({"title": 5, "x": 1, "tags": ["a", 3, ""], "id": "nope"});
        let mut f = Fields::root(&body).unwrap();
        f.deny_unknown(&["title", "tags", "id", "name"]);
        assert_eq!(f.string("title", 10), None);
        assert_eq!(f.required_string("name", 10), None);
        assert_eq!(f.string_list("tags", 5, 10), None);
        assert_eq!(f.uuid("id"), None);
        let fields: Vec<String> = f.into_errors().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["x", "title", "name", "tags[1]", "tags[2]", "id"]);
    }

    #[test]
    fn an_over_long_list_is_one_error_and_its_items_are_not_read() {
        let body = json!({"tags": vec![json!(1); 5000], "ids": vec![json!("x"); 21],
            "few": [1, "a"]});
        let mut f = Fields::root(&body).unwrap();
        assert_eq!(f.string_list("tags", 50, 10), None);
        assert!(f.uuid_refs("ids", 20).is_empty());
        let mut seen = 0;
        let few = f.array_items("few", Length::Between(1, 2), |_, _, v| {
            seen += 1;
            v.as_str()
        });
        assert_eq!(few, Some(vec![(1, "a")]));
        assert_eq!(seen, 2);
        let mut called = false;
        let none = f.array_items("few", Length::Between(3, 9), |_, _, _| {
            called = true;
            Some(())
        });
        assert!(none.is_none() && !called);
        let errors = f.into_errors();
        let pairs: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("tags", "tags must have at most 50 items"),
                ("ids", "ids must have at most 20 items"),
                ("few", "few must contain between 3 and 9 items"),
            ]
        );
    }

    #[test]
    fn non_objects_are_invalid_json() {
        assert!(matches!(
            Fields::root(&json!([1])),
            Err(ApiError::InvalidJson(_))
        ));
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        let body = json!({"t": "ääää"});
        let mut f = Fields::root(&body).unwrap();
        assert_eq!(f.string("t", 4).as_deref(), Some("ääää"));
        assert!(!f.has_errors());
    }
}
