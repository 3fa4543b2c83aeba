//! Blacklist matching at run time (docs/contract-notes.md "Blacklists"): the entries of every assigned
//! blacklist, read when discovery runs, folded into hash sets so each company costs O(1).
use super::features::Features;
use domain::blacklist::{BlacklistEntry, MatchKey};
use std::collections::{HashMap, HashSet};

/// The city and country an entry without a website was restricted to.
type Place = (Option<String>, Option<String>);

#[derive(Debug, Default, Clone)]
pub struct BlacklistIndex {
    domains: HashSet<String>,
    /// Normalised name -> the (city, country) constraints of the entries with that name.
    names: HashMap<String, Vec<Place>>,
}

impl BlacklistIndex {
    pub fn new(entries: impl IntoIterator<Item = BlacklistEntry>) -> Self {
        let mut index = Self::default();
        for e in entries {
            index.insert(e.match_key);
        }
        index
    }

    pub fn insert(&mut self, key: MatchKey) {
        match key {
            MatchKey::Domain { domain } => {
                self.domains.insert(domain);
            }
            MatchKey::Name {
                name,
                city,
                country,
            } => self.names.entry(name).or_default().push((city, country)),
        }
    }

    pub fn len(&self) -> usize {
        self.domains.len() + self.names.values().map(Vec::len).sum::<usize>()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A company matches by registrable domain, or by normalised name where the entry's city and
    /// country (when given) agree.
    pub fn matches(&self, c: &Features) -> bool {
        if c.domain.as_ref().is_some_and(|d| self.domains.contains(d)) {
            return true;
        }
        let Some(constraints) = self.names.get(&c.name_key) else {
            return false;
        };
        constraints.iter().any(|(ec, en)| {
            ec.as_ref()
                .is_none_or(|ec| c.facts.city.as_ref() == Some(ec))
                && en
                    .as_ref()
                    .is_none_or(|en| c.facts.country.as_ref() == Some(en))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::CatalogCompany;

    fn features(name: &str, domain: Option<&str>, city: &str, country: &str) -> Features {
        Features::of(&company(name, domain, city, country))
    }

    fn company(name: &str, domain: Option<&str>, city: &str, country: &str) -> CatalogCompany {
        CatalogCompany {
            id: name.into(),
            name: name.into(),
            domain: domain.map(String::from),
            city: Some(city.into()),
            country: Some(country.into()),
            ..Default::default()
        }
    }

    #[test]
    fn by_domain_and_by_name() {
        let mut ix = BlacklistIndex::default();
        ix.insert(MatchKey::Domain {
            domain: "acme.co.uk".into(),
        });
        ix.insert(MatchKey::Name {
            name: "global industries".into(),
            city: Some("munich".into()),
            country: Some("DE".into()),
        });
        ix.insert(MatchKey::Name {
            name: "muller and sohne".into(),
            city: None,
            country: None,
        });
        assert!(ix.matches(&features(
            "Acme Ltd",
            Some("acme.co.uk"),
            "London",
            "United Kingdom"
        )));
        let mut via_site = company("Acme Shop", None, "London", "UK");
        via_site.website_url = Some("https://www.shop.acme.co.uk/x".into());
        assert!(ix.matches(&Features::of(&via_site)));
        assert!(ix.matches(&features(
            "Global Industries GmbH",
            Some("gi.de"),
            "Munich",
            "Germany"
        )));
        assert!(
            !ix.matches(&features(
                "Global Industries GmbH",
                Some("gi.de"),
                "Berlin",
                "Germany"
            )),
            "city must agree"
        );
        assert!(
            !ix.matches(&features(
                "Global Industries Inc",
                Some("gi.com"),
                "Munich",
                "United States"
            )),
            "country must agree"
        );
        assert!(
            ix.matches(&features("Müller & Söhne KG", None, "Wien", "Austria")),
            "no city/country given: any"
        );
        assert!(!ix.matches(&features("Beta", Some("beta.io"), "Berlin", "DE")));
        assert_eq!(ix.len(), 3);
    }
}
