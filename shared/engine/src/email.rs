//! EMAIL_DISCOVERY: an address per prospect, with how sure we are it exists and how likely it bounces.
//!
//! Where an address comes from sets the starting confidence; the company domain's MX records,
//! looked up once per company through an injectable [`MxResolver`], then adjust it:
//!
//! | evidence                                             | validation_confidence | bounce_risk_score           |
//! |------------------------------------------------------|-----------------------|-----------------------------|
//! | source: the person's known, verified address          | base 95               |                             |
//! | source: the company's published `email_pattern`      | base 85               |                             |
//! | source: a pattern learned from known addresses        | base 80               |                             |
//! | source: common guess `{first}.{last}`                 | base 50               |                             |
//! | source: common guess `{first}` (no last name)         | base 45               |                             |
//! | source: generic `info@` (no usable name), GENERIC     | base 60               |                             |
//! | MX found                                              | base                  | 100 - confidence, in 5..=40 |
//! | MX: no records (or only a null MX, RFC 7505)          | base * 15 / 100 (<=15)| max(90, 100 - confidence)   |
//! | MX lookup failed or timed out                         | base - 20             | 100 - confidence, in 45..=60|
//! | not checked: known address at another domain          | base - 10             | 100 - confidence, in 10..=60|
//!
//! All scores are clamped to 0..=100. Everything but the DNS answer is a pure function of the
//! catalog entry, so the same input gives the same addresses and scores.
use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;

use super::catalog::{CatalogCompany, Person};
use domain::normalize::{fold, registrable_domain};
use domain::results::Prospect;

/// The answer to "does this domain accept mail?".
#[derive(Debug, Clone, PartialEq)]
pub enum MxLookup {
    /// Mail exchangers, most preferred first, without the trailing dot.
    Found(Vec<String>),
    /// The domain does not exist, has no MX records, or publishes a null MX.
    NoRecords,
    /// The lookup did not give an answer (timeout, SERVFAIL, no resolver).
    Failed(String),
}

/// Port for MX lookups, so the rules are testable without DNS.
#[async_trait]
pub trait MxResolver: Send + Sync {
    async fn lookup_mx(&self, domain: &str) -> MxLookup;
}

/// No DNS at all: every lookup fails, which scores as neutral.
pub struct Offline;

#[async_trait]
impl MxResolver for Offline {
    async fn lookup_mx(&self, _: &str) -> MxLookup {
        MxLookup::Failed("no network in this function".into())
    }
}

/// Fixed answers for tests and fixtures: a domain not in the map has no records.
pub struct StaticMx(pub HashMap<String, MxLookup>);

#[async_trait]
impl MxResolver for StaticMx {
    async fn lookup_mx(&self, domain: &str) -> MxLookup {
        let key = domain.trim().trim_end_matches('.').to_ascii_lowercase();
        self.0
            .get(domain)
            .or_else(|| self.0.get(&key))
            .cloned()
            .unwrap_or(MxLookup::NoRecords)
    }
}

/// Address patterns by how common they are in B2B mail (`data/email_patterns.txt`), most common
/// first. Also the candidates `infer_pattern` chooses from, so ties go to the more common pattern.
const COMMON_PATTERNS_TXT: &str = include_str!("../data/email_patterns.txt");

/// The patterns of `COMMON_PATTERNS_TXT`, in its order.
pub fn common_patterns() -> &'static [&'static str] {
    static PATTERNS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
        COMMON_PATTERNS_TXT
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    });
    &PATTERNS
}

/// The mailbox used when a prospect has no usable name.
const GENERIC_LOCAL: &str = "info";

/// Lower-case ASCII for a local part: German umlauts spelled out (ä -> ae, as mail systems do),
/// other accents dropped, and anything but `a-z 0-9 . - _` removed ("O'Brien" -> "obrien").
fn clean_name(name: &str) -> String {
    let mut spelled = String::with_capacity(name.len());
    for c in name.to_lowercase().chars() {
        match c {
            'ä' => spelled.push_str("ae"),
            'ö' => spelled.push_str("oe"),
            'ü' => spelled.push_str("ue"),
            'ß' => spelled.push_str("ss"),
            'æ' => spelled.push_str("ae"),
            'œ' => spelled.push_str("oe"),
            'ø' => spelled.push('o'),
            'ł' => spelled.push('l'),
            'đ' => spelled.push('d'),
            'þ' => spelled.push_str("th"),
            'ı' => spelled.push('i'),
            _ => spelled.push(c),
        }
    }
    fold(&spelled)
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
        .collect()
}

/// A plausible mail domain: lower-case ASCII labels, at least one dot.
pub fn clean_domain(domain: &str) -> Option<String> {
    let d = domain
        .trim()
        .trim_start_matches('@')
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let valid_chars = d
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-');
    let valid_labels = d
        .split('.')
        .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'));
    (valid_chars && valid_labels && d.contains('.') && d.len() <= 253).then_some(d)
}

/// A local part that mail systems accept: no doubled dots, no separator at either end, at most
/// 64 characters, at least one letter or digit.
fn tidy_local(local: &str) -> Option<String> {
    let mut out = String::with_capacity(local.len());
    for c in local.chars() {
        if c == '.' && out.ends_with('.') {
            continue;
        }
        out.push(c);
    }
    let out = out
        .trim_matches(|c| matches!(c, '.' | '-' | '_'))
        .to_string();
    let ok = !out.is_empty() && out.len() <= 64 && out.chars().any(|c| c.is_ascii_alphanumeric());
    ok.then_some(out)
}

/// The first letter or digit of a cleaned name.
fn initial(name: &str) -> Option<String> {
    name.chars()
        .find(char::is_ascii_alphanumeric)
        .map(String::from)
}

/// The address `pattern` gives for a person. Placeholders: `{first}`, `{last}`, `{f}`, `{l}` (and
/// `{first_initial}`, `{last_initial}`); a pattern written with `@domain` keeps only its local part.
/// `None` when the pattern needs a name part the person lacks, has an unknown placeholder, or the
/// domain is not a mail domain.
pub fn render(pattern: &str, first: &str, last: Option<&str>, domain: &str) -> Option<String> {
    let domain = clean_domain(domain)?;
    let first = clean_name(first);
    let last = last.map(clean_name).unwrap_or_default();
    let template = pattern.trim().split('@').next().unwrap_or_default();
    let mut local = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        local.push_str(&clean_name(&rest[..open]));
        let close = open + rest[open..].find('}')?;
        let key = rest[open + 1..close].trim().to_ascii_lowercase();
        let value = match key.as_str() {
            "first" | "firstname" | "first_name" => non_empty(&first)?,
            "last" | "lastname" | "last_name" => non_empty(&last)?,
            "f" | "first_initial" => initial(&first)?,
            "l" | "last_initial" => initial(&last)?,
            _ => return None,
        };
        local.push_str(&value);
        rest = &rest[close + 1..];
    }
    local.push_str(&clean_name(rest));
    let local = tidy_local(&local)?;
    Some(format!("{local}@{domain}"))
}

fn non_empty(s: &str) -> Option<String> {
    s.chars()
        .any(|c| c.is_ascii_alphanumeric())
        .then(|| s.to_string())
}

/// Whether a pattern builds on the person's name (a bare "info" would give everyone the same
/// address, which is not a personal one).
fn uses_name(pattern: &str) -> bool {
    let p = pattern.to_ascii_lowercase();
    ["{first", "{last", "{f}", "{l}"]
        .iter()
        .any(|needle| p.contains(needle))
}

/// `(local, domain)` of a syntactically plausible address, domain lower-cased.
fn split_address(address: &str) -> Option<(String, String)> {
    let address = address.trim();
    let (local, domain) = address.split_once('@')?;
    let plausible = !local.is_empty()
        && !domain.contains('@')
        && !address.chars().any(char::is_whitespace)
        && local.len() <= 64;
    if !plausible {
        return None;
    }
    Some((local.to_string(), clean_domain(domain)?))
}

/// The pattern most of the people with a known address at `domain` follow (ties: the more common
/// pattern). Only people with a first and a last name count: a lone "anna@" cannot tell
/// `{first}` from a pattern that needs the last name.
pub fn infer_pattern(people: &[Person], domain: &str) -> Option<String> {
    let domain = clean_domain(domain)?;
    let patterns = common_patterns();
    let mut votes = vec![0usize; patterns.len()];
    for person in people {
        let Some(last) = person.last_name.as_deref().filter(|l| !l.trim().is_empty()) else {
            continue;
        };
        let Some((local, at)) = person.email.as_deref().and_then(split_address) else {
            continue;
        };
        if at != domain {
            continue;
        }
        let address = format!("{}@{at}", local.to_lowercase());
        for (i, pattern) in patterns.iter().enumerate() {
            if render(pattern, &person.first_name, Some(last), &domain).as_deref()
                == Some(address.as_str())
            {
                votes[i] += 1;
            }
        }
    }
    let best = votes.iter().copied().max().filter(|v| *v > 0)?;
    let i = votes.iter().position(|v| *v == best)?;
    patterns.get(i).map(|p| p.to_string())
}

/// Where an address came from; sets the starting confidence (see the module table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Known,
    CompanyPattern,
    InferredPattern,
    GuessFirstLast,
    GuessFirst,
    Generic,
}

impl Source {
    fn base_confidence(self) -> u8 {
        match self {
            Source::Known => 95,
            Source::CompanyPattern => 85,
            Source::InferredPattern => 80,
            Source::GuessFirstLast => 50,
            Source::GuessFirst => 45,
            Source::Generic => 60,
        }
    }

    fn email_type(self) -> &'static str {
        match self {
            Source::Generic => "GENERIC",
            _ => "PERSONAL",
        }
    }
}

/// What the DNS says about the address's domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MxEvidence {
    Found,
    NoRecords,
    Failed,
    /// A known address at a domain other than the company's: its MX was not looked up.
    NotChecked,
}

impl MxEvidence {
    fn of(lookup: Option<&MxLookup>) -> Self {
        match lookup {
            Some(MxLookup::Found(hosts)) if !hosts.is_empty() => MxEvidence::Found,
            Some(MxLookup::Found(_) | MxLookup::NoRecords) => MxEvidence::NoRecords,
            Some(MxLookup::Failed(_)) => MxEvidence::Failed,
            None => MxEvidence::NotChecked,
        }
    }
}

/// `(validation_confidence, bounce_risk_score)` for an address: the module table in code.
fn scores(source: Source, mx: MxEvidence) -> (u8, u8) {
    let base = i32::from(source.base_confidence());
    let (confidence, bounce) = match mx {
        MxEvidence::Found => (base, (100 - base).clamp(5, 40)),
        MxEvidence::NoRecords => {
            let c = base * 15 / 100;
            (c, (100 - c).max(90))
        }
        MxEvidence::Failed => {
            let c = base - 20;
            (c, (100 - c).clamp(45, 60))
        }
        MxEvidence::NotChecked => {
            let c = base - 10;
            (c, (100 - c).clamp(10, 60))
        }
    };
    (to_score(confidence), to_score(bounce))
}

fn to_score(v: i32) -> u8 {
    u8::try_from(v.clamp(0, 100)).unwrap_or(0)
}

/// The address chosen for one prospect, before the MX evidence.
struct Candidate {
    email: String,
    source: Source,
    /// At the company domain, so the company's MX lookup applies.
    on_company_domain: bool,
}

/// The mail domain of a company: its catalog domain, else the registrable domain of its website.
fn company_domain(company: &CatalogCompany) -> Option<String> {
    company
        .domain
        .as_deref()
        .and_then(clean_domain)
        .or_else(|| {
            company
                .website_url
                .as_deref()
                .and_then(registrable_domain)
                .and_then(|d| clean_domain(&d))
        })
}

/// The catalog person a prospect was made from: same folded names, the same title preferred.
fn person_of<'a>(people: &'a [Person], prospect: &Prospect) -> Option<&'a Person> {
    let key = |s: Option<&str>| fold(s.unwrap_or("").trim());
    let same_name = |p: &&Person| {
        key(Some(&p.first_name)) == key(Some(&prospect.first_name))
            && key(p.last_name.as_deref()) == key(prospect.last_name.as_deref())
    };
    let same_title = |p: &&Person| key(p.title.as_deref()) == key(prospect.job_title.as_deref());
    people
        .iter()
        .filter(same_name)
        .find(same_title)
        .or_else(|| people.iter().find(same_name))
}

/// A person's known address, if it is a plausible one.
fn known_address(person: &Person, domain: Option<&str>) -> Option<Candidate> {
    let (local, at) = person.email.as_deref().and_then(split_address)?;
    let on_company_domain = domain.is_some_and(|d| at == d || at.ends_with(&format!(".{d}")));
    Some(Candidate {
        email: format!("{local}@{at}"),
        source: Source::Known,
        on_company_domain,
    })
}

/// A person's address built from the company's patterns, best evidence first.
fn patterned_address(
    prospect: &Prospect,
    domain: &str,
    company_pattern: Option<&str>,
    inferred: Option<&str>,
) -> Option<Candidate> {
    let first = prospect.first_name.as_str();
    let last = prospect.last_name.as_deref();
    let has_last = last.is_some_and(|l| !clean_name(l).is_empty());
    let fallback = if has_last {
        ("{first}.{last}", Source::GuessFirstLast)
    } else {
        ("{first}", Source::GuessFirst)
    };
    let options = [
        company_pattern.map(|p| (p, Source::CompanyPattern)),
        inferred.map(|p| (p, Source::InferredPattern)),
        Some(fallback),
    ];
    options
        .into_iter()
        .flatten()
        .filter(|(p, _)| uses_name(p))
        .find_map(|(p, source)| {
            render(p, first, last, domain).map(|email| Candidate {
                email,
                source,
                on_company_domain: true,
            })
        })
}

fn candidate(
    company: &CatalogCompany,
    prospect: &Prospect,
    domain: Option<&str>,
    inferred: Option<&str>,
) -> Option<Candidate> {
    let person = person_of(&company.people, prospect);
    if let Some(known) = person.and_then(|p| known_address(p, domain)) {
        return Some(known);
    }
    let domain = domain?;
    let company_pattern = company.email_pattern.as_deref();
    patterned_address(prospect, domain, company_pattern, inferred).or_else(|| {
        // No usable name: the company's general mailbox is the best way in.
        let email = render(GENERIC_LOCAL, "", None, domain)?;
        Some(Candidate {
            email,
            source: Source::Generic,
            on_company_domain: true,
        })
    })
}

/// Fills email, email_type, validation_confidence and bounce_risk_score of every prospect of one
/// company (fields stay `None` when there is no address to give). One MX lookup per company, and
/// none when no address is at the company's domain.
pub async fn discover_emails(
    company: &CatalogCompany,
    prospects: &mut [Prospect],
    resolver: &dyn MxResolver,
) {
    if prospects.is_empty() {
        return;
    }
    let domain = company_domain(company);
    let inferred = domain
        .as_deref()
        .and_then(|d| infer_pattern(&company.people, d));
    let candidates: Vec<Option<Candidate>> = prospects
        .iter()
        .map(|p| candidate(company, p, domain.as_deref(), inferred.as_deref()))
        .collect();
    let needs_mx = candidates.iter().flatten().any(|c| c.on_company_domain);
    let mx = match (&domain, needs_mx) {
        (Some(d), true) => Some(resolver.lookup_mx(d).await),
        _ => None,
    };
    if let Some(MxLookup::Failed(why)) = &mx {
        tracing::debug!(domain = ?domain, %why, "MX lookup failed; scoring addresses as unverified");
    }
    for (prospect, candidate) in prospects.iter_mut().zip(candidates) {
        apply(prospect, candidate, mx.as_ref());
    }
}

fn apply(prospect: &mut Prospect, candidate: Option<Candidate>, mx: Option<&MxLookup>) {
    let Some(c) = candidate else {
        prospect.email = None;
        prospect.email_type = None;
        prospect.validation_confidence = None;
        prospect.bounce_risk_score = None;
        return;
    };
    let evidence = if c.on_company_domain {
        MxEvidence::of(mx)
    } else {
        MxEvidence::NotChecked
    };
    let (confidence, bounce) = scores(c.source, evidence);
    prospect.email = Some(c.email);
    prospect.email_type = Some(c.source.email_type().to_string());
    prospect.validation_confidence = Some(confidence);
    prospect.bounce_risk_score = Some(bounce);
}

#[cfg(test)]
mod tests;
