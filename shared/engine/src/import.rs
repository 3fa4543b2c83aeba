//! Reading catalog rows from JSONL (the format of `../shared/datasets/companies.jsonl`) and CSV,
//! validating each one. A bad row is an error naming what is wrong; the caller reports it with
//! its line number. Re-importing is idempotent: a company's id is its registrable domain.
use super::catalog::{CatalogCompany, Person};
use domain::normalize;
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Deserialize)]
struct Row {
    name: Option<String>,
    website_url: Option<String>,
    domain: Option<String>,
    industry: Option<String>,
    business_type: Option<String>,
    employee_count: Option<Value>,
    city: Option<String>,
    country: Option<String>,
    description: Option<String>,
    #[serde(default)]
    people: Vec<Person>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    technologies: Vec<String>,
    #[serde(default)]
    phone_numbers: Vec<String>,
    email_pattern: Option<String>,
    #[serde(default)]
    extra: Map<String, Value>,
}

fn blank_to_none(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The id of a company: its registrable domain, else its normalised name and country.
pub fn company_id(domain: Option<&str>, name: &str, country: Option<&str>) -> String {
    match domain {
        Some(d) => d.to_string(),
        None => format!(
            "name:{}|{}",
            normalize::company_name(name),
            country.map(normalize::country).unwrap_or_default()
        ),
    }
}

fn employee_count(v: Option<Value>) -> Result<Option<u64>, String> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_u64()
            .map(|n| (n > 0).then_some(n))
            .ok_or_else(|| format!("employee_count must be a whole number >= 0, got {n}")),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .parse::<u64>()
            .map(|n| (n > 0).then_some(n))
            .map_err(|_| format!("employee_count must be a whole number, got {s:?}")),
        Some(other) => Err(format!("employee_count must be a number, got {other}")),
    }
}

fn from_row(row: Row) -> Result<CatalogCompany, String> {
    let name = blank_to_none(row.name).ok_or("name is required")?;
    let website_url = blank_to_none(row.website_url);
    let domain = match blank_to_none(row.domain) {
        Some(d) => {
            Some(source_domain(&d).ok_or_else(|| format!("domain {d:?} is not a domain name"))?)
        }
        // A website on a shared platform (github.com/x) or a placeholder has no domain of its own.
        None => None,
    };
    let country = blank_to_none(row.country);
    let extra = row.extra;
    let strings = |key: &str| -> Vec<String> {
        match extra.get(key) {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
            Some(Value::String(s)) => vec![s.clone()],
            _ => vec![],
        }
    };
    let mut keywords = row.keywords;
    keywords.extend(strings("tags"));
    keywords.extend(strings("sector"));
    keywords.extend(strings("industry_group"));
    keywords.dedup();
    let industry = blank_to_none(row.industry);
    // YC industries read "B2B / ..." or "Consumer / ...": that is the business model.
    let business_type = blank_to_none(row.business_type).or_else(|| {
        let top = industry.as_deref()?.split(" / ").next()?.trim();
        match top {
            "B2B" => Some("B2B".to_string()),
            "Consumer" => Some("B2C".to_string()),
            _ => None,
        }
    });
    let mut legal = Map::new();
    for key in ["tickers", "isin"] {
        if let Some(v) = extra.get(key) {
            legal.insert(key.to_string(), v.clone());
        }
    }
    Ok(CatalogCompany {
        id: company_id(domain.as_deref(), &name, country.as_deref()),
        name,
        domain,
        website_url,
        industry,
        business_type,
        description: blank_to_none(row.description),
        employee_count: employee_count(row.employee_count)?,
        city: blank_to_none(row.city),
        country,
        phone_numbers: row.phone_numbers,
        social_links: Vec::new(),
        legal_registration_info: (!legal.is_empty()).then_some(legal),
        people: row
            .people
            .into_iter()
            .filter(|p| !p.first_name.trim().is_empty())
            .collect(),
        technologies: row.technologies,
        // Dated by the store at import.
        technologies_seen_at: None,
        keywords,
        email_pattern: blank_to_none(row.email_pattern),
    })
}

/// A source's domain as its registrable domain. Sources carry a few hosts the public-suffix list
/// does not know (an unlisted TLD, a stray trailing comma): those are kept as written, cleaned,
/// so the company still imports under the identity its source gave it.
fn source_domain(d: &str) -> Option<String> {
    let cleaned = d
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_ascii_lowercase();
    normalize::registrable_domain(&cleaned).or_else(|| {
        let host_like = cleaned.contains('.')
            && cleaned.split('.').all(|label| {
                !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        let is_public_suffix = psl::suffix(cleaned.as_bytes())
            .is_some_and(|s| s.is_known() && s.as_bytes() == cleaned.as_bytes());
        (host_like && !is_public_suffix).then_some(cleaned)
    })
}

/// One JSONL line.
pub fn parse_json_line(line: &str) -> Result<CatalogCompany, String> {
    let row: Row = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    from_row(row)
}

/// One CSV record with its header; list columns (`keywords`, `technologies`, `phone_numbers`)
/// are `;`-separated.
pub fn parse_csv_record(headers: &[String], record: &[String]) -> Result<CatalogCompany, String> {
    if headers.len() != record.len() {
        return Err(format!(
            "expected {} columns, got {}",
            headers.len(),
            record.len()
        ));
    }
    let mut obj = Map::new();
    for (h, v) in headers.iter().zip(record) {
        let h = h.trim();
        let value = match h {
            "keywords" | "technologies" | "phone_numbers" => Value::Array(
                v.split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.into()))
                    .collect(),
            ),
            _ => Value::String(v.clone()),
        };
        obj.insert(h.to_string(), value);
    }
    let row: Row =
        serde_json::from_value(Value::Object(obj)).map_err(|e| format!("invalid row: {e}"))?;
    from_row(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_dataset_format() {
        let line = r#"{"id":"yc:stripe","name":"Stripe","website_url":"http://stripe.com","domain":"stripe.com","industry":"B2B / Fintech","employee_count":7000,"city":"San Francisco","country":"United States","description":"Payments.","people":[{"first_name":"John","last_name":"Collison","title":"Founder"}],"source":"yc","sources":["yc","ycf"],"extra":{"tags":["Fintech","Payments"],"yc_stage":"Growth"}}"#;
        let c = parse_json_line(line).unwrap();
        assert_eq!(
            (c.id.as_str(), c.employee_count, c.business_type.as_deref()),
            ("stripe.com", Some(7000), Some("B2B"))
        );
        assert_eq!(c.people[0].title.as_deref(), Some("Founder"));
        assert_eq!(c.keywords, ["Fintech", "Payments"]);
        let fd = r#"{"name":"Acme AG","website_url":null,"domain":null,"industry":"Banks","employee_count":null,"city":"Zurich","country":"Switzerland","description":"x","people":[],"extra":{"tickers":["ACME.SW"]}}"#;
        let c = parse_json_line(fd).unwrap();
        assert_eq!(c.id, "name:acme|CH");
        assert_eq!(c.legal_registration_info.unwrap()["tickers"][0], "ACME.SW");
    }

    #[test]
    fn bad_rows_say_why() {
        assert!(parse_json_line("{not json")
            .unwrap_err()
            .contains("invalid JSON"));
        assert_eq!(
            parse_json_line(r#"{"name": " "}"#).unwrap_err(),
            "name is required"
        );
        assert!(parse_json_line(r#"{"name": "A", "employee_count": -3}"#)
            .unwrap_err()
            .contains("employee_count"));
        assert!(parse_json_line(r#"{"name": "A", "domain": "co.uk"}"#)
            .unwrap_err()
            .contains("not a domain name"));
        assert!(parse_json_line(r#"{"name": "A", "domain": "not a domain"}"#).is_err());
        let odd = parse_json_line(r#"{"name": "A", "domain": "pragmaticleaders.io,"}"#).unwrap();
        assert_eq!(odd.id, "pragmaticleaders.io");
        let unlisted = parse_json_line(r#"{"name": "A", "domain": "maglechemoswed.cow"}"#).unwrap();
        assert_eq!(unlisted.id, "maglechemoswed.cow");
    }

    #[test]
    fn reads_csv() {
        let h: Vec<String> = ["name", "domain", "employee_count", "country", "keywords"]
            .map(String::from)
            .to_vec();
        let c = parse_csv_record(
            &h,
            &["Beta GmbH", "www.beta.de", "120", "Germany", "SaaS; HR"].map(String::from),
        )
        .unwrap();
        assert_eq!((c.id.as_str(), c.employee_count), ("beta.de", Some(120)));
        assert_eq!(c.keywords, ["SaaS", "HR"]);
        assert!(parse_csv_record(&h, &["x".to_string()]).is_err());
        assert!(
            parse_csv_record(&h, &["B", "", "many", "DE", ""].map(String::from))
                .unwrap_err()
                .contains("employee_count")
        );
    }
}
