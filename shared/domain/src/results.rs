//! The Company and Prospect shapes of the guide ("Step 4"), as stored and as returned.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SocialLink {
    pub platform: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prospect {
    pub id: Uuid,
    pub company_id: Uuid,
    pub first_name: String,
    pub last_name: Option<String>,
    pub job_title: Option<String>,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub linkedin_url: Option<String>,
    pub qualification_score: Option<u8>,
    pub qualification_reason: Option<String>,
    pub email_type: Option<String>,
    pub validation_confidence: Option<u8>,
    pub bounce_risk_score: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompanyResult {
    pub id: Uuid,
    pub name: String,
    pub website_url: Option<String>,
    pub normalized_url: Option<String>,
    pub business_type: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub description: Option<String>,
    pub employee_count: Option<u64>,
    pub phone_numbers: Option<Vec<String>>,
    pub social_media_links: Option<Vec<SocialLink>>,
    pub match_score: Option<u8>,
    pub match_reasons: Option<Vec<String>>,
    pub match_reasoning: Option<String>,
    pub web_technologies: Option<Vec<String>>,
    pub web_technologies_analyzed_at: Option<String>,
    pub source_id: Option<String>,
    /// Set by the store when the result is delivered.
    pub delivered_at: Option<String>,
    pub legal_registration_info: Option<serde_json::Map<String, serde_json::Value>>,
    pub prospects: Vec<Prospect>,
}

impl CompanyResult {
    /// A result with only a name: the starting point the engine fills feature by feature.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            id: Uuid::now_v7(),
            name: name.into(),
            website_url: None,
            normalized_url: None,
            business_type: None,
            city: None,
            country: None,
            description: None,
            employee_count: None,
            phone_numbers: None,
            social_media_links: None,
            match_score: None,
            match_reasons: None,
            match_reasoning: None,
            web_technologies: None,
            web_technologies_analyzed_at: None,
            source_id: None,
            delivered_at: None,
            legal_registration_info: None,
            prospects: Vec::new(),
        }
    }
}
