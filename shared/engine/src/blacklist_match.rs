//! Blacklist matching at run time (docs/contract-notes.md "Blacklists"): the entries of every assigned
//! blacklist, read when discovery runs, folded into hash sets so each company costs O(1).
use super::features::Features;
use async_trait::async_trait;
use domain::blacklist::{BlacklistEntry, MatchKey};
use domain::ApiError;
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

/// Every match key an entry can have and match `c` (`BlacklistIndex::matches`): its registrable
/// domain, and its normalised name alone, with its city, with its country, or with both. The
/// matcher compares by equality, so an entry matches `c` exactly when its key is one of these:
/// looking these keys up finds every entry that decides for `c`, and only such entries.
pub fn keys_matching(c: &Features) -> Vec<MatchKey> {
    let mut keys = Vec::with_capacity(5);
    if let Some(domain) = &c.domain {
        keys.push(MatchKey::Domain {
            domain: domain.clone(),
        });
    }
    let cities = [None, c.facts.city.clone()];
    let countries = [None, c.facts.country.clone()];
    for city in cities
        .iter()
        .take(if c.facts.city.is_some() { 2 } else { 1 })
    {
        for country in countries
            .iter()
            .take(if c.facts.country.is_some() { 2 } else { 1 })
        {
            keys.push(MatchKey::Name {
                name: c.name_key.clone(),
                city: city.clone(),
                country: country.clone(),
            });
        }
    }
    keys
}

/// What excludes companies from a discovery: a matcher that must decide correctly for every
/// candidate it was shown (`cover`) before `index` is asked about it. A blacklist read whole covers
/// every company at once; a store may instead look up only what the candidates could match.
#[async_trait]
pub trait Exclusions: Send {
    async fn cover(&mut self, candidates: &[Features]) -> Result<(), ApiError>;
    fn index(&self) -> &BlacklistIndex;
}

/// A matcher built beforehand (entries read whole, or none): covers everything already.
pub struct Whole<'a>(pub &'a BlacklistIndex);

#[async_trait]
impl Exclusions for Whole<'_> {
    async fn cover(&mut self, _: &[Features]) -> Result<(), ApiError> {
        Ok(())
    }

    fn index(&self) -> &BlacklistIndex {
        self.0
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

    const NAMES: [&str; 4] = [
        "Acme GmbH",
        "ACME",
        "Müller & Söhne KG",
        "Global Industries",
    ];
    const CITIES: [&str; 4] = ["Munich", "München", "Berlin", "Wien"];
    const COUNTRIES: [&str; 4] = ["Germany", "DE", "Austria", "AT"];
    const SITES: [&str; 3] = ["https://www.acme.de/x", "acme.co.uk", "shop.gi.com"];

    /// An entry as the API parses it (so its key is normalised as stored ones are), from indexes
    /// into the pools above; `None` for a field left out.
    fn entry(
        site: Option<usize>,
        name: usize,
        city: Option<usize>,
        country: Option<usize>,
    ) -> MatchKey {
        let mut e = serde_json::Map::new();
        match site {
            Some(s) => e.insert("website_url".into(), SITES[s].into()),
            None => e.insert("company_name".into(), NAMES[name].into()),
        };
        if let Some(c) = city {
            e.insert("city".into(), CITIES[c].into());
        }
        if let Some(c) = country {
            e.insert("country".into(), COUNTRIES[c].into());
        }
        let body = serde_json::json!({ "entries": [e] });
        match domain::blacklist::parse_entries(&body) {
            Ok(mut parsed) if parsed.len() == 1 => parsed.remove(0).key,
            other => panic!("{body}: {other:?}"),
        }
    }

    /// Both strategies on the same entries and candidates: the whole blacklist in the matcher, or
    /// only the entries whose keys the candidates could match (what a store's lookup returns).
    fn excluded_both_ways(entries: &[MatchKey], candidates: &[Features]) -> (Vec<bool>, Vec<bool>) {
        let mut whole = BlacklistIndex::default();
        for k in entries {
            whole.insert(k.clone());
        }
        let wanted: HashSet<MatchKey> = candidates.iter().flat_map(keys_matching).collect();
        let mut looked_up = BlacklistIndex::default();
        for k in entries.iter().filter(|k| wanted.contains(k)) {
            looked_up.insert(k.clone());
        }
        (
            candidates.iter().map(|c| whole.matches(c)).collect(),
            candidates.iter().map(|c| looked_up.matches(c)).collect(),
        )
    }

    #[test]
    fn a_lookup_of_the_candidates_keys_excludes_what_the_whole_blacklist_does() {
        let entries = vec![
            entry(Some(0), 0, None, None),
            entry(None, 1, Some(1), None),
            entry(None, 2, None, Some(3)),
            entry(None, 3, Some(0), Some(0)),
        ];
        let candidates = [
            features("Acme AG", Some("acme.de"), "Hamburg", "DE"),
            features("Acme", None, "Munich", "Germany"),
            features("Acme", None, "Berlin", "Germany"),
            features("Müller und Söhne", None, "Graz", "Austria"),
            features("Global Industries", Some("gi.com"), "Munich", "DE"),
            features("Global Industries", Some("gi.com"), "Munich", "AT"),
        ];
        let (whole, looked_up) = excluded_both_ways(&entries, &candidates);
        assert_eq!(whole, looked_up);
        assert_eq!(whole, [true, true, false, true, true, false]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        #[test]
        fn both_strategies_exclude_the_same_companies(
            raw_entries in proptest::collection::vec(
                (proptest::option::of(0..SITES.len()), 0..NAMES.len(),
                 proptest::option::of(0..CITIES.len()), proptest::option::of(0..COUNTRIES.len())),
                0..12),
            raw_candidates in proptest::collection::vec(
                (proptest::option::of(0..SITES.len()), 0..NAMES.len(),
                 proptest::option::of(0..CITIES.len()), proptest::option::of(0..COUNTRIES.len())),
                1..12),
        ) {
            let entries: Vec<MatchKey> = raw_entries
                .iter()
                .map(|(s, n, c, k)| entry(*s, *n, *c, *k))
                .collect();
            let candidates: Vec<Features> = raw_candidates
                .iter()
                .map(|(s, n, c, k)| {
                    let mut co = company(NAMES[*n], None, "", "");
                    co.website_url = s.map(|s| SITES[s].to_string());
                    co.city = c.map(|c| CITIES[c].to_string());
                    co.country = k.map(|k| COUNTRIES[k].to_string());
                    Features::of(&co)
                })
                .collect();
            let (whole, looked_up) = excluded_both_ways(&entries, &candidates);
            proptest::prop_assert_eq!(whole, looked_up);
        }
    }
}
