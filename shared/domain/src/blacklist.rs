//! Blacklists and their entries (docs/contract-notes.md "Blacklists"): validation, and the match key that makes
//! duplicates recognisable and lookups O(1).
use super::fields::{Fields, Length};
use super::normalize;
use crate::error::ApiError;
#[cfg(test)]
use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

pub const NAME_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 1000;
pub const ENTRIES_PER_CALL: usize = 1000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Blacklist {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub entry_count: u64,
    pub created_at: String,
    pub updated_at: String,
}

/// `POST /blacklists`: name required.
pub fn parse_new(body: &Value) -> Result<(String, Option<String>), ApiError> {
    let mut f = Fields::root(body)?;
    f.deny_unknown(&["name", "description"]);
    let name = f.required_string("name", NAME_MAX);
    let description = f.string("description", DESCRIPTION_MAX);
    match name {
        Some(name) if !f.has_errors() => Ok((name, description)),
        _ => {
            if !f.has_field_error("name") {
                f.required("name");
            }
            Err(ApiError::Validation(f.into_errors()))
        }
    }
}

/// `PATCH /blacklists/{id}`: any of name/description; `description: null` clears it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BlacklistPatch {
    pub name: Option<String>,
    /// `Some(None)` clears the description.
    pub description: Option<Option<String>>,
}

pub fn parse_patch(body: &Value) -> Result<BlacklistPatch, ApiError> {
    let mut f = Fields::root(body)?;
    f.deny_unknown(&["name", "description"]);
    let mut patch = BlacklistPatch::default();
    if body.get("name").is_some() {
        patch.name = f.required_string("name", NAME_MAX);
    }
    if let Some(d) = body.get("description") {
        patch.description = Some(if d.is_null() {
            None
        } else {
            f.string("description", DESCRIPTION_MAX)
        });
    }
    if patch.name.is_none() && patch.description.is_none() && !f.has_errors() {
        f.error("body", "at least one of name, description is required");
    }
    f.finish()?;
    Ok(patch)
}

/// The kinds of match key (`MatchKey::kind`): a registrable domain; a name alone, with a city,
/// with a country, or with both.
pub const KINDS: [&str; 5] = [
    "domain",
    "name",
    "name_city",
    "name_country",
    "name_city_country",
];

/// What identifies a blacklisted company: its registrable domain, or for entries without a website
/// its normalised name plus the city/country given.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MatchKey {
    Domain {
        domain: String,
    },
    Name {
        name: String,
        city: Option<String>,
        country: Option<String>,
    },
}

impl MatchKey {
    /// The string the entry id is derived from; equal keys are duplicates.
    pub fn canonical(&self) -> String {
        match self {
            MatchKey::Domain { domain } => format!("domain:{domain}"),
            MatchKey::Name {
                name,
                city,
                country,
            } => format!(
                "name:{name}|{}|{}",
                city.as_deref().unwrap_or(""),
                country.as_deref().unwrap_or("")
            ),
        }
    }

    /// Which of the five shapes of key this is (`KINDS`): a blacklist records the kinds it
    /// holds, so a lookup asks only for the keys of those kinds.
    pub fn kind(&self) -> &'static str {
        match self {
            MatchKey::Domain { .. } => KINDS[0],
            MatchKey::Name { city, country, .. } => match (city.is_some(), country.is_some()) {
                (false, false) => KINDS[1],
                (true, false) => KINDS[2],
                (false, true) => KINDS[3],
                (true, true) => KINDS[4],
            },
        }
    }

    /// Entry ids are derived from the blacklist and the key, so adding the same company twice
    /// lands on the same item: deduplication needs no read-before-write race.
    pub fn entry_id(&self, blacklist_id: Uuid) -> Uuid {
        Uuid::new_v5(&blacklist_id, self.canonical().as_bytes())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlacklistEntry {
    pub id: Uuid,
    pub blacklist_id: Uuid,
    pub company_name: Option<String>,
    pub website_url: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub match_key: MatchKey,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewEntry {
    pub company_name: Option<String>,
    pub website_url: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub key: MatchKey,
}

/// `POST /blacklists/{id}/entries`: 1-1,000 entries, every invalid one named.
pub fn parse_entries(body: &Value) -> Result<Vec<NewEntry>, ApiError> {
    let mut f = Fields::root(body)?;
    f.deny_unknown(&["entries"]);
    if !f.is_present("entries") {
        f.required("entries");
        return Err(ApiError::Validation(f.into_errors()));
    }
    let length = Length::Between(1, ENTRIES_PER_CALL);
    let entries = f.array("entries", length, |f, path, item| {
        let Some(obj) = item.as_object() else {
            f.error(path.clone(), format!("{path} must be an object"));
            return None;
        };
        let mut e = Fields::new(obj, format!("{path}."));
        let entry = parse_entry(&mut e);
        f.absorb(e.into_errors());
        entry
    });
    f.finish()?;
    Ok(entries.unwrap_or_default())
}

fn parse_entry(e: &mut Fields<'_>) -> Option<NewEntry> {
    e.deny_unknown(&["company_name", "website_url", "city", "country"]);
    let company_name = e.string("company_name", 500);
    let website_url = e.string("website_url", 2048);
    let city = e.string("city", 200);
    let country = e.string("country", 100);
    let domain = website_url.as_deref().map(normalize::registrable_domain);
    if let Some(None) = domain {
        e.fail(
            "website_url",
            format!("{} is not a valid website URL", e.path("website_url")),
        );
    }
    if company_name.is_none() && website_url.is_none() && !e.has_errors() {
        let path = e.path("company_name");
        e.error(path, "company_name or website_url is required");
    }
    if company_name
        .as_deref()
        .is_some_and(|n| normalize::company_name(n).is_empty())
        && domain.is_none()
    {
        e.fail(
            "company_name",
            format!(
                "{} has no letters or digits besides a legal form",
                e.path("company_name")
            ),
        );
    }
    if e.has_errors() {
        return None;
    }
    let key = match domain.flatten() {
        Some(domain) => MatchKey::Domain { domain },
        None => MatchKey::Name {
            name: normalize::company_name(company_name.as_deref().unwrap_or_default()),
            city: city.as_deref().map(normalize::city),
            country: country.as_deref().map(normalize::country),
        },
    };
    Some(NewEntry {
        company_name,
        website_url,
        city,
        country,
        key,
    })
}

/// Splits a request's entries into first occurrences and in-request duplicates (by match key).
pub fn dedupe(entries: Vec<NewEntry>) -> (Vec<NewEntry>, usize) {
    let mut seen = std::collections::HashSet::new();
    let before = entries.len();
    let unique: Vec<NewEntry> = entries
        .into_iter()
        .filter(|e| seen.insert(e.key.clone()))
        .collect();
    let dupes = before - unique.len();
    (unique, dupes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field_errors(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    fn keys(body: Value) -> Vec<String> {
        parse_entries(&body)
            .unwrap()
            .into_iter()
            .map(|e| e.key.canonical())
            .collect()
    }

    #[test]
    fn normalisation_table() {
        let cases = [
            (
                json!({"website_url": "https://WWW.Acme.com/about"}),
                "domain:acme.com",
            ),
            (json!({"website_url": "acme.com:443"}), "domain:acme.com"),
            (
                json!({"website_url": "shop.acme.co.uk"}),
                "domain:acme.co.uk",
            ),
            (json!({"website_url": "acme.co.uk."}), "domain:acme.co.uk"),
            (
                json!({"website_url": "http://bücher.de"}),
                "domain:xn--bcher-kva.de",
            ),
            (
                json!({"company_name": "Acme Corp", "website_url": "https://www.acme-corp.com"}),
                "domain:acme-corp.com",
            ),
            (
                json!({"company_name": "Global Industries GmbH", "city": "Munich", "country": "Germany"}),
                "name:global industries|munich|DE",
            ),
            (
                json!({"company_name": "Müller & Söhne KG", "country": "Deutschland"}),
                "name:muller and sohne||DE",
            ),
            (
                json!({"company_name": "Müller und Söhne"}),
                "name:muller and sohne||",
            ),
            (
                json!({"company_name": "Société Générale S.A.", "city": "Paris", "country": "FR"}),
                "name:societe generale|paris|FR",
            ),
        ];
        for (entry, want) in cases {
            assert_eq!(
                keys(json!({"entries": [entry.clone()]})),
                vec![want],
                "{entry}"
            );
        }
    }

    #[test]
    fn duplicates_within_a_request_are_counted() {
        let body = json!({"entries": [
            {"website_url": "https://www.acme.com"}, {"website_url": "acme.com:443"},
            {"website_url": "shop.acme.com"}, {"company_name": "Acme GmbH", "city": "Berlin"},
            {"company_name": "ACME", "city": "berlin"}, {"company_name": "Acme", "city": "Hamburg"}]});
        let (unique, dupes) = dedupe(parse_entries(&body).unwrap());
        assert_eq!((unique.len(), dupes), (3, 3));
    }

    #[test]
    fn every_invalid_entry_is_named() {
        let body = json!({"entries": [{"city": "Berlin"}, {"website_url": "not a url"}, 5, {"company_name": "x", "fax": "1"}]});
        let ApiError::Validation(errors) = parse_entries(&body).unwrap_err() else {
            panic!()
        };
        assert_eq!(
            field_errors(&errors),
            [
                "entries[0].company_name",
                "entries[1].website_url",
                "entries[2]",
                "entries[3].fax"
            ]
        );
    }

    #[test]
    fn entry_count_limits() {
        let too_many: Vec<Value> = (0..1001)
            .map(|i| json!({"website_url": format!("c{i}.com")}))
            .collect();
        assert!(parse_entries(&json!({"entries": too_many})).is_err());
        assert!(parse_entries(&json!({"entries": []})).is_err());
        assert!(parse_entries(&json!({})).is_err());
    }

    #[test]
    fn entry_ids_are_stable_per_blacklist() {
        let k = MatchKey::Domain {
            domain: "acme.com".into(),
        };
        let a = Uuid::now_v7();
        assert_eq!(k.entry_id(a), k.entry_id(a));
        assert_ne!(k.entry_id(a), k.entry_id(Uuid::now_v7()));
    }

    #[test]
    fn patch_and_new() {
        assert!(parse_new(&json!({"description": "x"})).is_err());
        assert_eq!(parse_new(&json!({"name": " A "})).unwrap().0, "A");
        assert_eq!(
            parse_patch(&json!({"description": null}))
                .unwrap()
                .description,
            Some(None)
        );
        assert!(parse_patch(&json!({})).is_err());
        assert!(parse_patch(&json!({"name": ""})).is_err());
    }
}
