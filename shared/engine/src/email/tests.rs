use std::sync::atomic::{AtomicUsize, Ordering};

use uuid::Uuid;

use super::*;

#[test]
fn the_pattern_file_holds_distinct_patterns_that_render_a_name() {
    let patterns = common_patterns();
    assert_eq!(patterns[0], "{first}.{last}", "the most common first");
    let mut seen = std::collections::HashSet::new();
    for p in patterns {
        assert!(seen.insert(*p), "{p} twice");
        assert!(uses_name(p), "{p}");
        assert!(
            render(p, "Anna", Some("Muller"), "acme.de").is_some(),
            "{p}"
        );
    }
}

fn person(first: &str, last: Option<&str>, email: Option<&str>) -> Person {
    Person {
        first_name: first.into(),
        last_name: last.map(Into::into),
        email: email.map(Into::into),
        ..Person::default()
    }
}

fn company(domain: Option<&str>, people: Vec<Person>) -> CatalogCompany {
    CatalogCompany {
        id: domain.unwrap_or("name:acme|de").into(),
        name: "Acme GmbH".into(),
        domain: domain.map(Into::into),
        people,
        ..CatalogCompany::default()
    }
}

/// Prospects as contacts.rs makes them: the email fields empty.
fn prospects(c: &CatalogCompany) -> Vec<Prospect> {
    c.people
        .iter()
        .map(|p| Prospect {
            id: Uuid::nil(),
            company_id: Uuid::nil(),
            first_name: p.first_name.clone(),
            last_name: p.last_name.clone(),
            job_title: p.title.clone(),
            email: None,
            phone_number: None,
            linkedin_url: None,
            qualification_score: Some(5),
            qualification_reason: None,
            email_type: None,
            validation_confidence: None,
            bounce_risk_score: None,
        })
        .collect()
}

fn mx(entries: &[(&str, MxLookup)]) -> StaticMx {
    StaticMx(
        entries
            .iter()
            .map(|(d, l)| (d.to_string(), l.clone()))
            .collect(),
    )
}

fn found() -> MxLookup {
    MxLookup::Found(vec!["mx1.acme.de".into()])
}

/// Counts lookups, to check there is one per company.
struct Counting {
    inner: StaticMx,
    calls: AtomicUsize,
}

#[async_trait]
impl MxResolver for Counting {
    async fn lookup_mx(&self, domain: &str) -> MxLookup {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.lookup_mx(domain).await
    }
}

#[test]
fn rendering() {
    let d = "acme.de";
    let cases: &[(&str, &str, Option<&str>, Option<&str>)] = &[
        (
            "{first}.{last}",
            "Jürgen",
            Some("Müller"),
            Some("juergen.mueller@acme.de"),
        ),
        (
            "{first}.{last}",
            "Anna",
            Some("Groß"),
            Some("anna.gross@acme.de"),
        ),
        (
            "{first}.{last}",
            "Zoë",
            Some("Öztürk"),
            Some("zoe.oeztuerk@acme.de"),
        ),
        (
            "{first}.{last}",
            "José",
            Some("García"),
            Some("jose.garcia@acme.de"),
        ),
        (
            "{first}.{last}",
            "Jean-Luc",
            Some("O'Brien"),
            Some("jean-luc.obrien@acme.de"),
        ),
        (
            "{first}.{last}",
            "Anna Maria",
            Some("von der Leyen"),
            Some("annamaria.vonderleyen@acme.de"),
        ),
        (
            "{f}{last}",
            "Jürgen",
            Some("Müller"),
            Some("jmueller@acme.de"),
        ),
        ("{f}.{last}", "Søren", Some("Ærø"), Some("s.aero@acme.de")),
        ("{first}{l}", "Anna", Some("Schmidt"), Some("annas@acme.de")),
        (
            "{last}_{first}",
            "Anna",
            Some("Schmidt"),
            Some("schmidt_anna@acme.de"),
        ),
        (
            "{First}.{Last}@acme.de",
            "Anna",
            Some("Schmidt"),
            Some("anna.schmidt@acme.de"),
        ),
        ("{first}", "Anna", None, Some("anna@acme.de")),
        ("{first}.{last}", "Anna", None, None),
        ("{f}{last}", "Anna", Some(""), None),
        ("{first}.{last}", "", Some("Schmidt"), None),
        ("{first}.{last}", "李", Some("王"), None),
        ("{middle}.{last}", "Anna", Some("Schmidt"), None),
        ("{first", "Anna", Some("Schmidt"), None),
        ("info", "", None, Some("info@acme.de")),
    ];
    for (pattern, first, last, want) in cases {
        assert_eq!(
            render(pattern, first, *last, d).as_deref(),
            *want,
            "{pattern} {first} {last:?}"
        );
    }
    assert_eq!(
        render("{first}", "Anna", None, " ACME.de. ").as_deref(),
        Some("anna@acme.de")
    );
    assert_eq!(render("{first}", "Anna", None, "localhost"), None);
    assert_eq!(render("{first}", "Anna", None, "bad domain.de"), None);
}

#[test]
fn pattern_inferred_from_known_addresses() {
    let people = vec![
        person("Jürgen", Some("Müller"), Some("jmueller@acme.de")),
        person("Anna", Some("Schmidt"), Some("ASchmidt@Acme.de")),
        person("Bob", Some("Other"), Some("bob@elsewhere.com")),
        person("Cleo", None, Some("cleo@acme.de")),
        person("Dora", Some("Diaz"), None),
    ];
    assert_eq!(
        infer_pattern(&people, "acme.de").as_deref(),
        Some("{f}{last}")
    );
    let dotted = vec![
        person("Anna", Some("Schmidt"), Some("anna.schmidt@acme.de")),
        person("Bert", Some("Berg"), Some("bert.berg@acme.de")),
    ];
    assert_eq!(
        infer_pattern(&dotted, "acme.de").as_deref(),
        Some("{first}.{last}")
    );
    assert_eq!(infer_pattern(&dotted, "other.de"), None);
    assert_eq!(infer_pattern(&[], "acme.de"), None);
}

#[tokio::test]
async fn addresses_by_evidence() {
    let c = company(
        Some("acme.de"),
        vec![
            person("Anna", Some("Schmidt"), Some("anna.schmidt@acme.de")),
            person("Jürgen", Some("Müller"), None),
            person("Cleo", None, None),
            person("", None, None),
        ],
    );
    let mut ps = prospects(&c);
    discover_emails(&c, &mut ps, &mx(&[("acme.de", found())])).await;
    let got: Vec<_> = ps
        .iter()
        .map(|p| {
            (
                p.email.as_deref().unwrap(),
                p.email_type.as_deref().unwrap(),
                p.validation_confidence.unwrap(),
                p.bounce_risk_score.unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("anna.schmidt@acme.de", "PERSONAL", 95, 5),
            ("juergen.mueller@acme.de", "PERSONAL", 80, 20),
            ("cleo@acme.de", "PERSONAL", 45, 40),
            ("info@acme.de", "GENERIC", 60, 40),
        ]
    );
}

#[tokio::test]
async fn company_pattern_beats_inference_and_guess() {
    let mut c = company(
        Some("acme.de"),
        vec![
            person("Anna", Some("Schmidt"), None),
            person("Bert", Some("Berg"), None),
        ],
    );
    let resolver = mx(&[("acme.de", found())]);
    let mut ps = prospects(&c);
    discover_emails(&c, &mut ps, &resolver).await;
    assert_eq!(ps[0].email.as_deref(), Some("anna.schmidt@acme.de"));
    assert_eq!(ps[0].validation_confidence, Some(50));
    assert_eq!(ps[0].bounce_risk_score, Some(40));

    c.email_pattern = Some("{f}{last}".into());
    discover_emails(&c, &mut ps, &resolver).await;
    assert_eq!(ps[0].email.as_deref(), Some("aschmidt@acme.de"));
    assert_eq!(ps[1].email.as_deref(), Some("bberg@acme.de"));
    assert_eq!(ps[0].validation_confidence, Some(85));
    assert_eq!(ps[0].bounce_risk_score, Some(15));
}

#[tokio::test]
async fn no_mx_means_high_bounce_risk() {
    let c = company(
        Some("acme.de"),
        vec![
            person("Anna", Some("Schmidt"), Some("anna.schmidt@acme.de")),
            person("Bert", Some("Berg"), None),
        ],
    );
    for resolver in [
        mx(&[]),
        mx(&[("acme.de", MxLookup::NoRecords)]),
        mx(&[("acme.de", MxLookup::Found(vec![]))]),
    ] {
        let mut ps = prospects(&c);
        discover_emails(&c, &mut ps, &resolver).await;
        for p in &ps {
            assert!(p.bounce_risk_score.unwrap() >= 90, "{p:?}");
            assert!(p.validation_confidence.unwrap() <= 15, "{p:?}");
            assert!(p.email.is_some());
        }
    }
}

#[tokio::test]
async fn failed_lookup_is_neutral() {
    let c = company(Some("acme.de"), vec![person("Bert", Some("Berg"), None)]);
    let resolver = mx(&[("acme.de", MxLookup::Failed("timeout".into()))]);
    let mut ps = prospects(&c);
    discover_emails(&c, &mut ps, &resolver).await;
    assert_eq!(ps[0].email.as_deref(), Some("bert.berg@acme.de"));
    assert_eq!(ps[0].validation_confidence, Some(30));
    let bounce = ps[0].bounce_risk_score.unwrap();
    assert!((45..=60).contains(&bounce), "{bounce}");
}

#[tokio::test]
async fn known_verified_address_kept() {
    let c = company(
        Some("acme.de"),
        vec![
            person("Anna", Some("Schmidt"), Some(" a.s@Acme.DE ")),
            person("Bert", Some("Berg"), Some("bert@berg-holding.com")),
        ],
    );
    let mut ps = prospects(&c);
    discover_emails(&c, &mut ps, &mx(&[("acme.de", found())])).await;
    assert_eq!(ps[0].email.as_deref(), Some("a.s@acme.de"));
    assert_eq!(ps[0].validation_confidence, Some(95));
    assert_eq!(ps[0].bounce_risk_score, Some(5));
    // Another domain: kept, but its MX was not checked.
    assert_eq!(ps[1].email.as_deref(), Some("bert@berg-holding.com"));
    assert_eq!(ps[1].validation_confidence, Some(85));
    assert_eq!(ps[1].bounce_risk_score, Some(15));
}

#[tokio::test]
async fn one_lookup_per_company() {
    let c = company(
        Some("acme.de"),
        (0..7)
            .map(|i| person(&format!("P{i}"), Some("X"), None))
            .collect(),
    );
    let counting = Counting {
        inner: mx(&[("acme.de", found())]),
        calls: AtomicUsize::new(0),
    };
    let mut ps = prospects(&c);
    discover_emails(&c, &mut ps, &counting).await;
    assert_eq!(counting.calls.load(Ordering::SeqCst), 1);
    assert!(ps.iter().all(|p| p.email.is_some()));

    // Nothing to check: no prospects, or no address at the company domain.
    let mut none: Vec<Prospect> = Vec::new();
    discover_emails(&c, &mut none, &counting).await;
    let no_domain = company(None, vec![person("Anna", Some("Schmidt"), None)]);
    let mut ps = prospects(&no_domain);
    discover_emails(&no_domain, &mut ps, &counting).await;
    assert_eq!(counting.calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn without_domain_no_address() {
    let c = company(None, vec![person("Anna", Some("Schmidt"), None)]);
    let mut ps = prospects(&c);
    ps[0].email = Some("stale@old.de".into());
    discover_emails(&c, &mut ps, &mx(&[])).await;
    assert_eq!(ps[0].email, None);
    assert_eq!(ps[0].email_type, None);
    assert_eq!(ps[0].validation_confidence, None);
    assert_eq!(ps[0].bounce_risk_score, None);

    // The website stands in for a missing catalog domain.
    let mut c = c;
    c.website_url = Some("https://www.acme.de/kontakt".into());
    discover_emails(&c, &mut ps, &mx(&[("acme.de", found())])).await;
    assert_eq!(ps[0].email.as_deref(), Some("anna.schmidt@acme.de"));
}

#[tokio::test]
async fn deterministic_and_in_range() {
    let c = company(
        Some("acme.de"),
        vec![
            person("Jürgen", Some("Müller"), Some("jmueller@acme.de")),
            person("Anna", Some("Schmidt"), None),
            person("李", Some("王"), None),
            person("Cleo", None, Some("not an address")),
        ],
    );
    for lookup in [
        found(),
        MxLookup::NoRecords,
        MxLookup::Failed("servfail".into()),
    ] {
        let resolver = mx(&[("acme.de", lookup)]);
        let mut a = prospects(&c);
        let mut b = prospects(&c);
        discover_emails(&c, &mut a, &resolver).await;
        discover_emails(&c, &mut b, &resolver).await;
        assert_eq!(a, b);
        for p in &a {
            assert!(p.validation_confidence.unwrap() <= 100);
            assert!(p.bounce_risk_score.unwrap() <= 100);
        }
        assert_eq!(a[1].email.as_deref(), Some("aschmidt@acme.de"));
        assert_eq!(a[2].email_type.as_deref(), Some("GENERIC"));
        assert_eq!(a[3].email.as_deref(), Some("cleo@acme.de"));
    }
}

#[test]
fn evidence_table() {
    use MxEvidence::*;
    use Source::*;
    let cases = [
        (Known, Found, (95, 5)),
        (CompanyPattern, Found, (85, 15)),
        (InferredPattern, Found, (80, 20)),
        (GuessFirstLast, Found, (50, 40)),
        (GuessFirst, Found, (45, 40)),
        (Generic, Found, (60, 40)),
        (Known, NoRecords, (14, 90)),
        (GuessFirstLast, NoRecords, (7, 93)),
        (Known, Failed, (75, 45)),
        (GuessFirst, Failed, (25, 60)),
        (Known, NotChecked, (85, 15)),
    ];
    for (source, mx, want) in cases {
        assert_eq!(scores(source, mx), want, "{source:?} {mx:?}");
    }
}
