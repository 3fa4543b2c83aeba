use super::*;

#[test]
fn the_lexicon_file_parses_whole() {
    let rows = lexicon_rows(LEXICON_TSV).unwrap();
    assert!(rows.len() > 250, "{}", rows.len());
    let mut phrases = std::collections::HashSet::new();
    for (phrase, _) in &rows {
        assert!(phrases.insert(*phrase), "{phrase} twice");
        assert_eq!(phrase.trim(), *phrase, "{phrase:?}");
        assert!(
            !words(phrase.trim_end_matches('*')).is_empty(),
            "{phrase:?}"
        );
    }
    assert!(lexicon_rows("phrase\tsense\n").is_err());
    assert!(lexicon_rows("phrase\tsense\tfamily\tseniority\nCEO\trole\tceo\n").is_err());
    assert!(lexicon_rows("phrase\tsense\tfamily\tseniority\nCEO\trole\tceo\tboss\n").is_err());
    assert!(lexicon_rows("phrase\tsense\tfamily\tseniority\nHead\tlevel\tcto\thead\n").is_err());
}

fn person(first: &str, last: &str, title: &str) -> Person {
    Person {
        first_name: first.to_string(),
        last_name: (!last.is_empty()).then(|| last.to_string()),
        title: (!title.is_empty()).then(|| title.to_string()),
        ..Person::default()
    }
}

fn company(people: Vec<Person>) -> CatalogCompany {
    CatalogCompany {
        id: "acme.de".into(),
        name: "Acme GmbH".into(),
        domain: Some("acme.de".into()),
        people,
        ..CatalogCompany::default()
    }
}

fn roles(r: &[&str]) -> Vec<String> {
    r.iter().map(|s| s.to_string()).collect()
}

fn cid() -> Uuid {
    Uuid::from_u128(0x1234)
}

#[test]
fn title_families() {
    use RoleFamily::*;
    let cases: &[(&str, Option<RoleFamily>)] = &[
        ("CEO", Some(Ceo)),
        ("Chief Executive Officer", Some(Ceo)),
        ("Geschäftsführer", Some(Ceo)),
        ("Geschäftsführerin", Some(Ceo)),
        ("Geschaeftsfuehrer", Some(Ceo)),
        ("GESCHÄFTSFÜHRER", Some(Ceo)),
        ("Managing Director", Some(Ceo)),
        ("MD", Some(Ceo)),
        ("Vorstandsvorsitzender", Some(Ceo)),
        ("Vorstand", Some(Ceo)),
        ("Inhaber", Some(Ceo)),
        ("Inhaberin", Some(Ceo)),
        ("Owner", Some(Ceo)),
        ("Président-directeur général", Some(Ceo)),
        ("Founder & CEO", Some(Ceo)),
        ("Assistant to the CEO", Some(Other)),
        ("Executive Assistant to the Managing Director", Some(Other)),
        ("CTO", Some(Cto)),
        ("Chief Technology Officer", Some(Cto)),
        ("Head of Engineering", Some(Cto)),
        ("VP Engineering", Some(Cto)),
        ("VP of Engineering", Some(Cto)),
        ("Technischer Leiter", Some(Cto)),
        ("Leiter Softwareentwicklung", Some(Cto)),
        ("Technischer Geschäftsführer", Some(Cto)),
        ("Senior Software Engineer", Some(Cto)),
        ("CFO", Some(Cfo)),
        ("Finanzvorstand", Some(Cfo)),
        ("Head of Finance", Some(Cfo)),
        ("Kaufmännischer Leiter", Some(Cfo)),
        ("COO", Some(Coo)),
        ("Head of Operations", Some(Coo)),
        ("CMO", Some(Cmo)),
        ("Head of Marketing", Some(Cmo)),
        ("Marketingleiter", Some(Cmo)),
        ("Marketingleiterin", Some(Cmo)),
        ("Director of Marketing", Some(Cmo)),
        ("Marketing Manager", Some(Marketing)),
        ("Werkstudent Marketing", Some(Marketing)),
        ("Head of Sales", Some(Sales)),
        ("VP Sales", Some(Sales)),
        ("Vertriebsleiter", Some(Sales)),
        ("Leiterin Vertrieb", Some(Sales)),
        ("Chief Revenue Officer", Some(Sales)),
        ("Sales Director", Some(Sales)),
        ("Account Executive", Some(Sales)),
        ("Head of People", Some(Hr)),
        ("Personalleiter", Some(Hr)),
        ("CHRO", Some(Hr)),
        ("CPO", Some(Product)),
        ("Head of Product", Some(Product)),
        ("VP Product", Some(Product)),
        ("Product Owner", Some(Product)),
        ("Produktmanagerin", Some(Product)),
        ("CIO", Some(It)),
        ("IT-Leiter", Some(It)),
        ("Head of IT", Some(It)),
        ("Produktionsleiter", Some(Coo)),
        ("Logistik Mitarbeiter", Some(Operations)),
        ("Founder", Some(Founder)),
        ("Co-Founder", Some(Founder)),
        ("Gründer", Some(Founder)),
        ("Mitgründerin", Some(Founder)),
        ("Office Manager", Some(Other)),
        ("Chief of Staff", Some(Other)),
        ("", None),
        ("  - ", None),
    ];
    assert!(cases.len() >= 25);
    for (title, want) in cases {
        assert_eq!(role_family(title), *want, "{title:?}");
    }
}

#[test]
fn title_seniority() {
    use Seniority::*;
    let cases: &[(&str, Seniority)] = &[
        ("CEO", CLevel),
        ("Geschäftsführerin", CLevel),
        ("Chief Marketing Officer", CLevel),
        ("Founder", Founder),
        ("Founder & CEO", CLevel),
        ("VP Sales", VpDirector),
        ("Sales Director", VpDirector),
        ("Head of Engineering", Head),
        ("Vertriebsleiter", Head),
        ("Marketing Manager", Manager),
        ("Teamleiterin Support", Manager),
        ("Product Owner", Manager),
        ("Werkstudent Marketing", Individual),
        ("Assistant to the CEO", Individual),
        ("Junior Product Manager", Individual),
        ("Software Engineer", Individual),
        ("Stellvertretender Geschäftsführer", VpDirector),
        ("", Individual),
    ];
    for (title, want) in cases {
        assert_eq!(seniority(title), *want, "{title:?}");
    }
}

#[test]
fn cto_request_ranks_head_of_engineering_above_ceo() {
    let c = company(vec![
        person("Anna", "Alt", "CEO"),
        person("Bert", "Berg", "Head of Engineering"),
        person("Cora", "Cramer", "Marketing Manager"),
    ]);
    let ps = prospects_for(&c, cid(), &roles(&["CTO"]), Language::En);
    assert_eq!(ps[0].first_name, "Bert");
    assert_eq!(ps[1].first_name, "Anna");
    assert!(ps[0].qualification_score > ps[1].qualification_score);
    let reason = ps[0].qualification_reason.as_deref().unwrap();
    assert_eq!(
        reason,
        "Matches requested role CTO (Head of Engineering); senior technology decision maker"
    );
    assert_eq!(
        ps[1].qualification_reason.as_deref(),
        Some("C-level decision maker; not one of the requested roles (CTO)")
    );
}

#[test]
fn requested_roles_in_german_and_synonyms() {
    let c = company(vec![
        person("Anna", "Alt", "Software Engineer"),
        person("Jürgen", "Müller", "Geschäftsführer"),
        person("Bert", "Berg", "Vertriebsleiter"),
    ]);
    for request in [
        "CEO",
        "Geschäftsführer",
        "Managing Director",
        "geschaeftsfuehrer",
    ] {
        let ps = prospects_for(&c, cid(), &roles(&[request]), Language::En);
        assert_eq!(ps[0].first_name, "Jürgen", "{request}");
        assert_eq!(ps[0].qualification_score, Some(10), "{request}");
        let reason = ps[0].qualification_reason.as_deref().unwrap();
        assert!(reason.contains(request), "{reason}");
    }
    let ps = prospects_for(&c, cid(), &roles(&["Head of Sales"]), Language::En);
    assert_eq!(ps[0].first_name, "Bert");
    assert!(ps[0]
        .qualification_reason
        .as_deref()
        .unwrap()
        .contains("Head of Sales (Vertriebsleiter)"));
}

#[test]
fn founder_counts_for_ceo_just_below_a_ceo() {
    let c = company(vec![
        person("Fritz", "Fink", "Founder"),
        person("Carla", "Chef", "CEO"),
        person("Vera", "Voss", "VP Sales"),
    ]);
    let ps = prospects_for(&c, cid(), &roles(&["CEO"]), Language::En);
    let names: Vec<&str> = ps.iter().map(|p| p.first_name.as_str()).collect();
    assert_eq!(names, ["Carla", "Fritz", "Vera"]);
    assert_eq!(ps[0].qualification_score, Some(10));
    assert_eq!(ps[1].qualification_score, Some(9));
    let reason = ps[1].qualification_reason.as_deref().unwrap();
    assert!(
        reason.contains("Founder") && reason.contains("CEO"),
        "{reason}"
    );
}

#[test]
fn without_roles_decision_makers_first() {
    let c = company(vec![
        person("Ida", "Ihl", "Werkstudent Marketing"),
        person("Mia", "Mai", "Marketing Manager"),
        person("Hans", "Hahn", "Head of Sales"),
        person("Fritz", "Fink", "Founder"),
        person("Vera", "Voss", "VP Engineering"),
        person("Nina", "Noll", ""),
    ]);
    let ps = prospects_for(&c, cid(), &[], Language::En);
    let names: Vec<&str> = ps.iter().map(|p| p.first_name.as_str()).collect();
    assert_eq!(names, ["Fritz", "Vera", "Hans", "Mia", "Ida", "Nina"]);
    assert!(ps[0]
        .qualification_reason
        .as_deref()
        .unwrap()
        .contains("no contact roles requested"));
}

#[test]
fn unknown_requested_role_falls_back_to_shared_words() {
    let c = company(vec![
        person("Anna", "Alt", "CEO"),
        person("Cleo", "Cox", "Head of Customer Success"),
    ]);
    let ps = prospects_for(&c, cid(), &roles(&["Customer Success Lead"]), Language::En);
    assert_eq!(ps[0].first_name, "Cleo");
    let reason = ps[0].qualification_reason.as_deref().unwrap();
    assert!(reason.contains("Customer Success Lead"), "{reason}");
}

#[test]
fn related_and_level_requests() {
    let c = company(vec![
        person("Mia", "Mai", "CMO"),
        person("Olaf", "Ott", "Buchhalter"),
    ]);
    let ps = prospects_for(&c, cid(), &roles(&["Marketing"]), Language::En);
    assert_eq!(ps[0].first_name, "Mia");
    assert!(ps[0]
        .qualification_reason
        .as_deref()
        .unwrap()
        .starts_with("Related to requested role Marketing"));
    let ps = prospects_for(&c, cid(), &roles(&["C-Level"]), Language::En);
    assert_eq!(ps[0].first_name, "Mia");
    assert_eq!(ps[0].qualification_score, Some(10));
}

#[test]
fn scores_stay_in_range_and_are_deterministic() {
    let titles = [
        "CEO",
        "Founder",
        "Assistant to the CEO",
        "",
        "???",
        "Stellvertretende Teamleiterin",
        "Intern",
        "Chief Everything Officer",
        "Head of Sales & Marketing",
        "ÄÖÜ ß 漢字",
        "Vice",
        "*",
    ];
    let people: Vec<Person> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| person(&format!("P{i}"), "X", t))
        .collect();
    let c = company(people);
    let requests: [&[&str]; 5] = [
        &[],
        &["CEO"],
        &["CTO", "Head of Sales"],
        &["", "  ", "Unicorn Wrangler"],
        &["Director"],
    ];
    for r in requests {
        let a = prospects_for(&c, cid(), &roles(r), Language::En);
        let b = prospects_for(&c, cid(), &roles(r), Language::En);
        assert_eq!(a, b);
        assert_eq!(a.len(), MAX_PROSPECTS_PER_COMPANY);
        for p in &a {
            let s = p.qualification_score.unwrap();
            assert!((1..=10).contains(&s), "{s}");
            assert!(!p.qualification_reason.as_deref().unwrap().is_empty());
        }
        for w in a.windows(2) {
            assert!(w[0].qualification_score >= w[1].qualification_score);
        }
    }
}

#[test]
fn prospect_fields_and_ids() {
    let mut p = person("Jürgen", "Müller", "CTO");
    p.linkedin_url = Some("https://linkedin.com/in/jm".into());
    p.phone_number = Some("+49 30 1234".into());
    p.email = Some("jm@acme.de".into());
    let c = company(vec![p.clone(), p.clone()]);
    let ps = prospects_for(&c, cid(), &[], Language::En);
    assert_eq!(ps.len(), 1, "the same person twice is one prospect");
    let q = &ps[0];
    assert_eq!(q.id, Uuid::new_v5(&cid(), "Jürgen|Müller|CTO".as_bytes()));
    assert_eq!(q.company_id, cid());
    assert_eq!(q.last_name.as_deref(), Some("Müller"));
    assert_eq!(q.job_title.as_deref(), Some("CTO"));
    assert_eq!(q.linkedin_url, p.linkedin_url);
    assert_eq!(q.phone_number, p.phone_number);
    assert_eq!(q.email, None, "email.rs fills email fields");
    assert_eq!(q.email_type, None);
}

#[test]
fn empty_company_has_no_prospects() {
    assert!(prospects_for(&company(vec![]), cid(), &roles(&["CEO"]), Language::En).is_empty());
}

#[test]
fn german_reasons_for_every_fit_use_no_english_template_words() {
    // (title, requested roles): every fit, and every seniority with and without a function.
    let cases: &[(&str, &[&str])] = &[
        ("Technischer Geschäftsführer", &["CTO"]),
        ("Vertriebsleiter", &["Head of Sales"]),
        ("Gründer", &["CEO"]),
        ("Werkstudent Marketing", &["CMO"]),
        ("Teamleiterin Kundenservice", &["Kundenservice"]),
        ("Buchhalter", &["CTO", "Head of Sales"]),
        ("Geschäftsführerin", &["Vertrieb"]),
        ("", &[]),
        ("Produktmanagerin", &[]),
        ("Bereichsleiter IT", &[]),
        ("Personalleiter", &[]),
        ("Sachbearbeiter", &[]),
        ("Geschäftsführerin", &[]),
        ("Gründerin", &[]),
    ];
    // Titles and requested roles are quoted as written; only the template's own words count.
    let template_words = |text: &str, quoted: &[&str]| -> Vec<String> {
        let mut quoted: Vec<&str> = quoted.iter().copied().filter(|q| !q.is_empty()).collect();
        quoted.sort_by_key(|q| Reverse(q.len()));
        let mut text = text.to_string();
        for q in quoted {
            text = text.replace(q, " ");
        }
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let mut english = std::collections::BTreeSet::new();
    let mut german = Vec::new();
    let mut fits = std::collections::BTreeSet::new();
    for (title, wanted) in cases {
        let reading = read(title);
        let requests = requests(&roles(wanted));
        let fit = fit(title, &reading, &requests);
        fits.insert(format!("{fit:?}").split('(').next().unwrap().to_string());
        let en = reason(&fit, title, &reading, &requests, Language::En);
        let de = reason(&fit, title, &reading, &requests, Language::De);
        assert_ne!(en, de);
        let mut quoted = wanted.to_vec();
        quoted.push(title);
        english.extend(template_words(&en, &quoted));
        german.push((de.clone(), template_words(&de, &quoted)));
    }
    assert_eq!(
            fits.len(),
            6,
            "every fit is covered: {fits:?} (Exact, FounderAsCeo, Related, SharedWords, NotRequested, NothingRequested)"
        );
    // Words German uses as they are: the "C" of C-level/C-Ebene and two function names.
    let same_in_both = ["c", "marketing", "it"];
    for (de, words) in &german {
        for w in words {
            assert!(
                same_in_both.contains(&w.as_str()) || !english.contains(w),
                "English word {w:?} in {de:?}"
            );
        }
    }
}

#[test]
fn reasons_follow_the_orders_language_and_never_the_ranking() {
    let c = company(vec![
        person("Anna", "Alt", "CEO"),
        person("Bert", "Berg", "Head of Engineering"),
        person("Cora", "Cramer", "Werkstudentin Marketing"),
        person("Fritz", "Fink", "Gründer"),
        person("Nina", "Noll", ""),
    ]);
    let en = prospects_for(&c, cid(), &roles(&["CTO"]), Language::En);
    let de = prospects_for(&c, cid(), &roles(&["CTO"]), Language::De);
    let key = |ps: &[Prospect]| -> Vec<(Uuid, Option<u8>)> {
        ps.iter().map(|p| (p.id, p.qualification_score)).collect()
    };
    assert_eq!(key(&en), key(&de));
    let reasons: Vec<&str> = de
        .iter()
        .map(|p| p.qualification_reason.as_deref().unwrap())
        .collect();
    assert_eq!(
            reasons,
            [
                "Entspricht der gesuchten Rolle CTO (Head of Engineering); leitender Entscheider im Bereich Technologie",
                "Entscheider auf C-Ebene; keine der gesuchten Rollen (CTO)",
                "Gründer und Entscheider; keine der gesuchten Rollen (CTO)",
                "Teammitglied Marketing, kein Entscheider; keine der gesuchten Rollen (CTO)",
                "Keine Berufsbezeichnung veröffentlicht, Seniorität unbekannt; keine der gesuchten Rollen (CTO)",
            ]
        );
    let de = prospects_for(
        &c,
        cid(),
        &roles(&["CEO"]),
        Language::from_code(Some("de-AT")),
    );
    let founder = de.iter().find(|p| p.first_name == "Fritz").unwrap();
    assert_eq!(
            founder.qualification_reason.as_deref(),
            Some("Gründer zählt für die gesuchte Rolle CEO, eingestuft knapp hinter einer Person mit dem Titel CEO; oberste Entscheidungsebene")
        );
    let de = prospects_for(&c, cid(), &[], Language::De);
    assert_eq!(
        de[0].qualification_reason.as_deref(),
        Some("Entscheider auf C-Ebene; keine Kontaktrollen angefragt, nach Seniorität sortiert")
    );
    // Other languages fall back to English.
    let fr = prospects_for(&c, cid(), &roles(&["CTO"]), Language::from_code(Some("fr")));
    assert_eq!(fr, en);
}
