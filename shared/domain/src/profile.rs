//! Profiles: a reusable set of an order's ICP fields, owned by one partner.
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

/// The order fields a profile holds and lends to orders that name it by `profile_id`.
pub const PROFILE_FIELDS: &[&str] = &[
    "ideal_customer_profile",
    "seller_offering",
    "seller_industry",
    "target_countries",
    "target_cities",
    "excluded_industries",
    "contact_roles",
    "output_language",
    "lookalike_domains",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub id: Uuid,
    pub name: String,
    pub ideal_customer_profile: Option<String>,
    pub seller_offering: Option<String>,
    pub seller_industry: Option<String>,
    pub target_countries: Option<Vec<String>>,
    pub target_cities: Option<Vec<String>>,
    pub excluded_industries: Option<Vec<String>>,
    pub contact_roles: Option<Vec<String>>,
    pub output_language: Option<String>,
    /// A lookalike order's seeds: an order naming the profile looks alike them too.
    #[serde(default)]
    pub lookalike_domains: Option<Vec<String>>,
    pub created_at: String,
}

impl Profile {
    /// Fills the fields an order body left out from this profile; what the body says wins.
    pub fn fill_missing(&self, body: &mut Map<String, Value>) {
        // Strings and lists of strings: serialising cannot fail, and if it could, the order
        // would only lack what the profile holds (a 422 naming those fields).
        let Ok(stored) = serde_json::to_value(self) else {
            return;
        };
        for field in PROFILE_FIELDS {
            let absent = matches!(body.get(*field), None | Some(Value::Null));
            match stored.get(*field) {
                Some(v) if absent && !v.is_null() => {
                    body.insert(field.to_string(), v.clone());
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn body_wins_and_gaps_are_filled() {
        let p = Profile {
            id: Uuid::now_v7(),
            name: "p".into(),
            ideal_customer_profile: Some("SaaS".into()),
            seller_offering: Some("leads".into()),
            seller_industry: None,
            target_countries: Some(vec!["Germany".into()]),
            target_cities: None,
            excluded_industries: None,
            contact_roles: None,
            output_language: Some("de".into()),
            lookalike_domains: Some(vec!["acme.de".into()]),
            created_at: "t".into(),
        };
        let mut body = json!({"seller_offering": "mine", "seller_industry": null})
            .as_object()
            .unwrap()
            .clone();
        p.fill_missing(&mut body);
        assert_eq!(body["seller_offering"], "mine");
        assert_eq!(body["ideal_customer_profile"], "SaaS");
        assert_eq!(body["target_countries"], json!(["Germany"]));
        assert!(body.get("target_cities").is_none());
        assert_eq!(
            body["lookalike_domains"],
            json!(["acme.de"]),
            "a profile keeps its seeds"
        );
    }
}
