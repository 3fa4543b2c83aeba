//! `POST /orders`: every rule and message of the guide's tables and of docs/contract-notes.md "Orders".
//! Pure: checks that need storage (blacklists and profiles belong to the caller) run in the use case
//! and add their errors to the same 422.
use super::fields::{Fields, Length};
use super::normalize;
use super::order::{Feature, OrderType, Priority, SubmittedCompany};
use super::webhook_url;
use crate::error::FieldError;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

pub const TITLE_MAX: usize = 500;
pub const ICP_MAX: usize = 5000;
pub const OFFERING_MAX: usize = 5000;
pub const SELLER_INDUSTRY_MAX: usize = 1000;
pub const OUTPUT_LANGUAGE_MAX: usize = 10;
pub const PROFILE_NAME_MAX: usize = 500;
/// Seeds of a lookalike discovery (`lookalike_domains`): 1 to this many.
pub const LOOKALIKE_MAX: usize = 20;
pub const COMPANIES_MAX: usize = 10_000;
// A longer list than the body reader keeps would lose its length error to truncation.
const _: () = assert!(COMPANIES_MAX <= crate::json::LONGEST_LIST);
pub const EXTERNAL_ID_MAX: usize = 255;
/// Items `features` may list: more than the five features, so a list with a duplicate still gets
/// the guide's `Duplicate features` message, and few enough that a huge list costs nothing.
pub const FEATURES_MAX_ITEMS: usize = 20;

/// Every field an order body may carry (anything else is an unknown-field error).
pub const FIELDS: &[&str] = &[
    "order_type",
    "title",
    "features",
    "ideal_customer_profile",
    "seller_offering",
    "seller_industry",
    "target_countries",
    "target_cities",
    "excluded_industries",
    "output_language",
    "blacklist_ids",
    "priority",
    "webhook_url",
    "contact_roles",
    "profile_name",
    "profile_id",
    "companies",
    "lookalike_domains",
    "exclude_delivered",
];

#[derive(Debug, Clone, PartialEq)]
pub enum ProfileChoice {
    None,
    New(String),
    Existing(Uuid),
}

/// A create-order request that passed every rule that needs no storage.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOrder {
    pub order_type: OrderType,
    pub title: String,
    pub features: Vec<Feature>,
    pub priority: Priority,
    pub ideal_customer_profile: Option<String>,
    pub seller_offering: Option<String>,
    pub seller_industry: Option<String>,
    pub target_countries: Option<Vec<String>>,
    pub target_cities: Option<Vec<String>>,
    pub excluded_industries: Option<Vec<String>>,
    pub output_language: Option<String>,
    pub contact_roles: Option<Vec<String>>,
    pub webhook_url: Option<String>,
    pub blacklist_ids: Vec<Uuid>,
    pub profile: ProfileChoice,
    pub companies: Vec<SubmittedCompany>,
    /// Registrable domains, each once, in the order given.
    pub lookalike_domains: Option<Vec<String>>,
    /// DISCOVERY only: skip every company already delivered to the tenant (default false).
    pub exclude_delivered: bool,
}

/// The outcome of validation: the order when every rule passed, and always the errors and the
/// referenced ids with their indices in `blacklist_ids` (so the use case can check those ids
/// even when other fields, or other ids, are invalid).
pub struct Validated {
    pub order: Option<NewOrder>,
    pub errors: Vec<FieldError>,
    pub blacklist_ids: Vec<(usize, Uuid)>,
}

pub fn validate(body: &Value, local_mode: bool) -> Result<Validated, crate::ApiError> {
    let mut f = Fields::root(body)?;
    f.deny_unknown(FIELDS);

    let order_type = if f.is_present("order_type") {
        f.choice("order_type", OrderType::parse, &OrderType::choices())
    } else {
        f.required("order_type");
        None
    };
    let title = f.required_string("title", TITLE_MAX);
    let features = features(&mut f);
    let priority = f
        .choice("priority", Priority::parse, &Priority::choices())
        .unwrap_or(Priority::Normal);
    let ideal_customer_profile = f.string("ideal_customer_profile", ICP_MAX);
    let seller_offering = f.string("seller_offering", OFFERING_MAX);
    let seller_industry = f.string("seller_industry", SELLER_INDUSTRY_MAX);
    let target_countries = f.string_list("target_countries", 50, 100);
    let target_cities = f.string_list("target_cities", 100, 100);
    let excluded_industries = f.string_list("excluded_industries", 50, 200);
    let contact_roles = f.string_list("contact_roles", 20, 100);
    let output_language = output_language(&mut f);
    let webhook =
        f.string("webhook_url", 2048)
            .and_then(|u| match webhook_url::check(&u, local_mode) {
                Ok(url) => Some(url.to_string()),
                Err(msg) => {
                    f.fail("webhook_url", msg);
                    None
                }
            });
    let blacklist_ids = f.uuid_refs("blacklist_ids", 20);
    let profile = profile(&mut f);
    let lookalike = lookalike_domains(&mut f);
    let exclude_delivered = f.boolean("exclude_delivered");

    // A field given but invalid (itself or an item) is reported as such, not also as missing.
    let needs = |field: &str, f: &mut Fields<'_>, present: bool| {
        if !present && !f.has_errors_within(field) {
            f.required(field);
        }
    };
    let mut companies = Vec::new();
    match order_type {
        Some(OrderType::Discovery) => {
            // Seeds describe the customers wanted as an ICP does (docs/contract-notes.md
            // "Lookalike discovery"): given (even invalid, which is its own error), the ICP is optional.
            let lookalike_given = f.is_present("lookalike_domains");
            needs(
                "ideal_customer_profile",
                &mut f,
                ideal_customer_profile.is_some() || lookalike_given,
            );
            needs("seller_offering", &mut f, seller_offering.is_some());
            let has_countries = target_countries.as_ref().is_some_and(|c| !c.is_empty());
            needs("target_countries", &mut f, has_countries);
            if f.is_present("companies") {
                f.not_allowed("companies");
            }
        }
        Some(OrderType::Enrichment) => {
            if features
                .as_ref()
                .is_some_and(|fs| fs.contains(&Feature::Analysis))
            {
                for (field, present) in [
                    ("ideal_customer_profile", ideal_customer_profile.is_some()),
                    ("seller_offering", seller_offering.is_some()),
                ] {
                    if !present && !f.has_field_error(field) {
                        f.fail(
                            field,
                            format!("{field} is required when ANALYSIS is requested"),
                        );
                    }
                }
            }
            companies = submitted_companies(&mut f);
            if f.is_present("lookalike_domains") {
                f.not_allowed("lookalike_domains");
            }
            // A submitted list is enriched as given: nothing of it is skipped.
            if f.is_present("exclude_delivered") && !f.has_field_error("exclude_delivered") {
                f.fail(
                    "exclude_delivered",
                    "exclude_delivered is only for DISCOVERY orders",
                );
            }
        }
        None => {}
    }

    // Built from the values themselves, so a rule that let a required one through as absent
    // without an error shows up as a 422 naming the field, never as a crash.
    let order = match (order_type, title, features) {
        (Some(order_type), Some(title), Some(features)) if !f.has_errors() => Some(NewOrder {
            order_type,
            title,
            features,
            priority,
            ideal_customer_profile,
            seller_offering,
            seller_industry,
            target_countries,
            target_cities,
            excluded_industries,
            output_language,
            contact_roles,
            webhook_url: webhook,
            blacklist_ids: blacklist_ids.iter().map(|(_, id)| *id).collect(),
            profile,
            companies,
            lookalike_domains: lookalike,
            exclude_delivered: exclude_delivered.unwrap_or(false),
        }),
        (order_type, title, features) => {
            for (field, missing) in [
                ("order_type", order_type.is_none()),
                ("title", title.is_none()),
                ("features", features.is_none()),
            ] {
                if missing && !f.has_errors_within(field) {
                    f.required(field);
                }
            }
            None
        }
    };
    Ok(Validated {
        order,
        errors: f.into_errors(),
        blacklist_ids,
    })
}

/// The order's `warnings` for the `excluded_industries` values that name no known industry
/// (`engine::icp::unmatched_exclusions` decides which): such a value excludes nothing, and
/// the partner is told so instead of it being ignored silently. One warning per distinct value,
/// in the order written; the value is quoted as a JSON string.
pub fn exclusion_warnings(unmatched: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(unmatched.len());
    for value in unmatched {
        let warning = format!(
            "excluded_industries: {} matches no known industry and excludes nothing",
            Value::String(value.clone())
        );
        if !out.contains(&warning) {
            out.push(warning);
        }
    }
    out
}

/// The order's `warnings` for the `excluded_industries` values that remove a whole segment, more
/// than their own words name (`engine::icp::broad_exclusions` decides which: "Health insurance"
/// removes every insurer), each given with the segment's English name. One warning per value and
/// segment, in the order given.
pub fn broad_exclusion_warnings(broad: &[(String, String)]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(broad.len());
    for (value, segment) in broad {
        let warning = format!(
            "excluded_industries: {} excludes the whole segment {}",
            Value::String(value.clone()),
            Value::String(segment.clone())
        );
        if !out.contains(&warning) {
            out.push(warning);
        }
    }
    out
}

fn features(f: &mut Fields<'_>) -> Option<Vec<Feature>> {
    if !f.is_present("features") {
        f.required("features");
        return None;
    }
    let mut invalid = false;
    let valid = f.array_items(
        "features",
        Length::AtMost(FEATURES_MAX_ITEMS),
        |f, path, v| {
            let feature = v.as_str().and_then(Feature::parse);
            if feature.is_none() {
                invalid = true;
                f.error(
                    path.clone(),
                    format!("{path} must be one of {}", Feature::choices()),
                );
            }
            feature
        },
    )?;
    if valid.is_empty() && !invalid {
        f.required("features");
        return None;
    }
    let list: Vec<Feature> = valid.into_iter().map(|(_, x)| x).collect();
    let mut seen = HashSet::new();
    let mut dupes: Vec<&str> = Vec::new();
    for x in &list {
        if !seen.insert(*x) && !dupes.contains(&x.as_str()) {
            dupes.push(x.as_str());
        }
    }
    if !dupes.is_empty() {
        f.fail(
            "features",
            format!("Duplicate features: {}", dupes.join(", ")),
        );
        return None;
    }
    (!invalid).then_some(list)
}

/// `lookalike_domains`: 1 to `LOOKALIKE_MAX` websites or domains, each normalised to its
/// registrable domain (`https://www.shop.acme.co.uk/x` is `acme.co.uk`); two values of one company
/// are one seed. An item that names no domain is an error naming it.
fn lookalike_domains(f: &mut Fields<'_>) -> Option<Vec<String>> {
    let list = f.array(
        "lookalike_domains",
        Length::Between(1, LOOKALIKE_MAX),
        |f, path, v| {
            let domain = v
                .as_str()
                .filter(|s| s.chars().count() <= 2048)
                .and_then(normalize::registrable_domain);
            if domain.is_none() {
                f.error(
                    path.clone(),
                    format!("{path} must be a company's website or domain, such as acme.de"),
                );
            }
            domain
        },
    )?;
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for d in list {
        if !out.contains(&d) {
            out.push(d);
        }
    }
    Some(out)
}

/// The order's `warnings` for seeds the catalog does not know (they shape nothing); one per
/// seed, in the order given. When none is known the order is refused instead
/// (`LOOKALIKE_NONE_KNOWN`).
pub fn unknown_seed_warnings(unknown: &[String]) -> Vec<String> {
    unknown
        .iter()
        .map(|d| {
            format!(
                "lookalike_domains: {} is not a company we know; it is left out",
                Value::String(d.clone())
            )
        })
        .collect()
}

/// The 422 message when no seed of `lookalike_domains` is known (docs/contract-notes.md "Lookalike discovery").
pub const LOOKALIKE_NONE_KNOWN: &str = "lookalike_domains: none of these companies is known";

fn output_language(f: &mut Fields<'_>) -> Option<String> {
    let message = "output_language must be a language code such as \"en\" or \"de\"";
    if f.is_blank("output_language") {
        f.fail("output_language", message);
        return None;
    }
    let lang = f.string("output_language", OUTPUT_LANGUAGE_MAX)?;
    let mut parts = lang.split(['-', '_']);
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    let rest_ok =
        parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if primary_ok && rest_ok {
        Some(lang.to_ascii_lowercase())
    } else {
        f.fail("output_language", message);
        None
    }
}

/// The profile a body names by `profile_id`, read by the very rule validation applies to it
/// (`Fields::uuid`: trimmed, then a UUID), so the profile whose ownership is checked and whose
/// fields fill the order is the one the validated order names. Read before validation because
/// the profile's fields are part of what is validated.
pub fn referenced_profile_id(body: &Value) -> Option<Uuid> {
    let Value::Object(obj) = body else {
        return None;
    };
    Fields::new(obj, String::new()).uuid("profile_id")
}

fn profile(f: &mut Fields<'_>) -> ProfileChoice {
    // Given both is a conflict whatever each value is worth on its own.
    let both = f.is_present("profile_name") && f.is_present("profile_id");
    let name = f.string("profile_name", PROFILE_NAME_MAX);
    let id = f.uuid("profile_id");
    if both {
        f.fail(
            "profile_id",
            "Profile conflict: profile_id and profile_name are mutually exclusive; use one or the other",
        );
        return ProfileChoice::None;
    }
    match (name, id) {
        (Some(name), None) => ProfileChoice::New(name),
        (None, Some(id)) => ProfileChoice::Existing(id),
        _ => ProfileChoice::None,
    }
}

fn submitted_companies(f: &mut Fields<'_>) -> Vec<SubmittedCompany> {
    if !f.is_present("companies") {
        f.required("companies");
        return Vec::new();
    }
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    let mut index = 0usize;
    let length = Length::Between(1, COMPANIES_MAX);
    let list = f.array("companies", length, |f, path, item| {
        let i = index;
        index += 1;
        let Some(obj) = item.as_object() else {
            f.error(path.clone(), format!("{path} must be an object"));
            return None;
        };
        let mut c = Fields::new(obj, format!("{path}."));
        c.deny_unknown(&["external_id", "company_name", "website_url", "city", "country"]);
        // The partner's id comes back as sent (`source_id`): only blankness and length are judged.
        let external_id = c
            .required_string("external_id", EXTERNAL_ID_MAX)
            .and(obj.get("external_id").and_then(Value::as_str))
            .map(str::to_string);
        let company_name = c.string("company_name", 500);
        let website_url = c.string("website_url", 2048);
        let city = c.string("city", 200);
        let country = c.string("country", 100);
        if website_url.as_deref().is_some_and(|u| normalize::registrable_domain(u).is_none()) {
            c.fail("website_url", format!("{} is not a valid website URL", c.path("website_url")));
        }
        if company_name.is_none()
            && website_url.is_none()
            && !c.has_field_error("website_url")
            && !c.has_field_error("company_name")
        {
            let p = c.path("company_name");
            c.error(p, "company_name or website_url is required");
        }
        if let Some(id) = &external_id {
            if let Some(first) = first_seen.get(id) {
                let p = c.path("external_id");
                c.error(p.clone(), format!("{p} duplicates companies[{first}].external_id; external_id must be unique within the order"));
            } else {
                first_seen.insert(id.clone(), i);
            }
        }
        f.absorb(c.into_errors());
        Some(SubmittedCompany {
            external_id: external_id?,
            company_name,
            website_url,
            city,
            country,
        })
    });
    list.unwrap_or_default()
}

#[cfg(test)]
mod tests;
