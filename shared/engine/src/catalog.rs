//! The company catalog: what the engine knows about a company, whatever the source (the demo
//! generator, `../shared/datasets/companies.jsonl`, CSV imports).
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Person {
    pub first_name: String,
    #[serde(default)]
    pub last_name: Option<String>,
    /// Job title as published ("Geschäftsführer", "VP Engineering", "Founder").
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub linkedin_url: Option<String>,
    #[serde(default)]
    pub phone_number: Option<String>,
    /// A known, verified address, when the source has one.
    #[serde(default)]
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SocialProfile {
    pub platform: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CatalogCompany {
    /// Registrable domain: the catalog's identity (upsert key). Companies without one get a
    /// synthetic `name:<normalised name>|<country>` id.
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub domain: Option<String>,
    #[serde(default)]
    pub website_url: Option<String>,
    #[serde(default)]
    pub industry: Option<String>,
    /// "B2B SaaS", "B2C", "Marketplace", ...
    #[serde(default)]
    pub business_type: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub employee_count: Option<u64>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub phone_numbers: Vec<String>,
    #[serde(default)]
    pub social_links: Vec<SocialProfile>,
    #[serde(default)]
    pub legal_registration_info: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    pub people: Vec<Person>,
    /// Technologies already known (e.g. from an earlier crawl).
    #[serde(default)]
    pub technologies: Vec<String>,
    /// When `technologies` were learnt: the source's own time, else the import that brought them
    /// (`CatalogStore::put` stamps it). A result reporting them is as fresh as this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technologies_seen_at: Option<String>,
    /// Free-form keywords and tags ("AI", "Recruiting", "Series B").
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The company's address pattern when known, e.g. `{first}.{last}` or `{f}{last}`.
    #[serde(default)]
    pub email_pattern: Option<String>,
}
