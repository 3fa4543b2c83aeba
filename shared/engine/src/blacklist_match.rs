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
    /// The companies already delivered to the tenant (an order's `exclude_delivered`), keyed as
    /// entries are but counted apart (`FilterStats::delivered`); `len` counts blacklist entries only.
    delivered: Option<Box<BlacklistIndex>>,
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

    /// A company already delivered to the tenant, by the key its delivery was recorded under.
    pub fn insert_delivered(&mut self, key: MatchKey) {
        self.delivered
            .get_or_insert_with(Default::default)
            .insert(key);
    }

    /// Whether `c` was delivered before, as `matches` decides for an entry.
    pub fn was_delivered(&self, c: &Features) -> bool {
        self.delivered.as_ref().is_some_and(|d| d.matches(c))
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

/// The keys a company's delivery is recorded under (`delivered_key`) that can match `c`: its
/// registrable domain, and its normalised name with its country or alone. A subset of
/// `keys_matching` (a delivery is never recorded with a city), so a lookup of these finds every
/// record that decides for `c`.
pub fn delivered_keys_matching(c: &Features) -> Vec<MatchKey> {
    keys_matching(c)
        .into_iter()
        .filter(|k| !matches!(k, MatchKey::Name { city: Some(_), .. }))
        .collect()
}

/// The one key a delivered company is recorded under: its registrable domain (the blacklist's
/// normalisation), or without one its normalised name with its country (the name alone when the
/// country is unknown too). `None` when it has neither a domain nor a name with letters or
/// digits: nothing could match it again.
pub fn delivered_key(
    domain: Option<String>,
    name: &str,
    country: Option<&str>,
) -> Option<MatchKey> {
    use domain::normalize;
    if let Some(domain) = domain {
        return Some(MatchKey::Domain { domain });
    }
    let name = normalize::company_name(name);
    (!name.is_empty()).then(|| MatchKey::Name {
        name,
        city: None,
        country: country.map(normalize::country).filter(|c| !c.is_empty()),
    })
}

/// A catalog company's delivery key, by the identity discovery matches it by (`Features::of`).
pub fn company_delivered_key(c: &crate::catalog::CatalogCompany) -> Option<MatchKey> {
    let domain = c.domain.clone().or_else(|| {
        c.website_url
            .as_deref()
            .and_then(domain::normalize::registrable_domain)
    });
    delivered_key(domain, &c.name, c.country.as_deref())
}

/// A result's delivery key from what it shows: its site and country are there only when the
/// order asked for COMPANY_DATA, so the tasks key results by the company they were made from
/// (`company_delivered_key`, or the submission) and this is the fallback for results staged
/// without a key.
pub fn result_delivered_key(r: &domain::results::CompanyResult) -> Option<MatchKey> {
    let domain = [r.normalized_url.as_deref(), r.website_url.as_deref()]
        .into_iter()
        .flatten()
        .find_map(domain::normalize::registrable_domain);
    delivered_key(domain, &r.name, r.country.as_deref())
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

    #[test]
    fn a_delivered_company_is_recognised_by_its_key_and_kept_apart_from_the_blacklist() {
        let with_site = company("Acme GmbH", Some("acme.de"), "Berlin", "Germany");
        let mut without = company("Müller & Söhne KG", None, "Wien", "Austria");
        without.website_url = None;
        let mut ix = BlacklistIndex::default();
        for c in [&with_site, &without] {
            let key = company_delivered_key(c).unwrap();
            // A lookup by the candidate's keys finds the record of its own delivery.
            assert!(
                delivered_keys_matching(&Features::of(c)).contains(&key),
                "{key:?}"
            );
            ix.insert_delivered(key);
        }
        assert!(ix.is_empty(), "deliveries are not blacklist entries");
        assert!(!ix.matches(&Features::of(&with_site)));
        assert!(ix.was_delivered(&Features::of(&with_site)));
        assert!(ix.was_delivered(&Features::of(&without)));
        // The same name elsewhere, or another site, is another company.
        assert!(!ix.was_delivered(&features("Müller & Söhne KG", None, "Berlin", "Germany")));
        assert!(!ix.was_delivered(&features("Acme GmbH", Some("acme.at"), "Wien", "Austria")));
        // A result made without COMPANY_DATA shows only its name: keyed by the name alone.
        let bare = domain::results::CompanyResult::named("Acme GmbH");
        assert_eq!(
            result_delivered_key(&bare),
            Some(MatchKey::Name {
                name: "acme".into(),
                city: None,
                country: None
            })
        );
        assert_eq!(
            company_delivered_key(&company("GmbH", None, "Berlin", "DE")),
            None
        );
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
