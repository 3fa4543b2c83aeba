//! What a company shares with its closest seed (`Similar`), each respect with the values of both:
//! what ranking records (`scoring::Assessment::similar`) and the reasons name (`reasons`).
use crate::industry::Industry;
use serde::{Deserialize, Serialize};

/// A respect in which a company is like its closest seed, with the values of both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Respect {
    /// Both companies' labels (or tags) put them in this segment.
    Segment { industry: Industry },
    /// Both headcounts are known and within `SIZE_FACTOR` of each other.
    Size { employees: u64, seed_employees: u64 },
    /// Both are B2B (or both B2C) by their business type, label or tags.
    Model { b2b: bool },
    /// Terms both texts use (description, label, business type, tags), rarest first.
    Terms { terms: Vec<String> },
    /// Technologies both are known to use.
    Technologies { technologies: Vec<String> },
}

/// A company's closest seed (its registrable domain) and what they share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Similar {
    pub seed: String,
    pub respects: Vec<Respect>,
}
