//! The catalog: importing the real dataset and files with bad rows, the access patterns against
//! the emulator, and discovery reading its candidates from the store.
use crate::harness::*;
use engine::blacklist_match::BlacklistIndex;
use engine::email::StaticMx;
use engine::enrich::EnrichContext;
use engine::industry::Industry;
use engine::ports::markets;
use std::collections::HashSet;
use std::io::Write;
use store::catalog::CatalogStore;

fn dataset() -> std::path::PathBuf {
    let path = ops::repo_root().join("../shared/datasets/companies.jsonl");
    assert!(
        path.exists(),
        "the shared dataset must be beside the repository: {}",
        path.display()
    );
    path
}

/// Every word of these companies' names, descriptions and tags, and of `extra`: a query that
/// reaches each term their records hold.
fn words_of(companies: &[engine::catalog::CatalogCompany], extra: &str) -> Vec<String> {
    let mut words: Vec<String> = companies
        .iter()
        .flat_map(|c| {
            let text = format!(
                "{} {} {}",
                c.name,
                c.description.as_deref().unwrap_or_default(),
                c.keywords.join(" ")
            );
            engine::text::tokens(&text).collect::<Vec<_>>()
        })
        .chain(engine::text::tokens(extra))
        .collect();
    words.sort();
    words.dedup();
    words
}

async fn store() -> CatalogStore {
    let app = app().await;
    CatalogStore::of(&app.config, &app.db).unwrap()
}

#[test]
fn every_row_of_the_real_dataset_is_valid() {
    let rows = ops::catalog_import::read_rows(&dataset()).unwrap();
    assert_eq!(rows.len(), 41_086);
    let bad: Vec<_> = rows
        .iter()
        .filter_map(|(line, r)| r.as_ref().err().map(|e| (*line, e.clone())))
        .collect();
    assert!(bad.is_empty(), "{bad:?}");
    let ids: HashSet<String> = rows.into_iter().map(|(_, r)| r.unwrap().id).collect();
    assert!(
        ids.len() > 41_000,
        "ids are (nearly all) unique domains: {}",
        ids.len()
    );
}

#[tokio::test]
async fn importing_a_dataset_sample_twice_is_idempotent() {
    let store = store().await;
    let text = std::fs::read_to_string(dataset()).unwrap();
    let sample: String = text
        .lines()
        .skip(20_000)
        .take(1500)
        .map(|l| format!("{l}\n"))
        .collect();
    let dir = std::env::temp_dir().join(format!("catalog-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("sample.jsonl");
    std::fs::write(&file, sample).unwrap();
    let first = ops::catalog_import::import(&store, &file, false)
        .await
        .unwrap();
    assert_eq!(
        (first.rows, first.imported, first.rejected.len()),
        (1500, 1500, 0)
    );
    let ids: Vec<String> = ops::catalog_import::read_rows(&file)
        .unwrap()
        .into_iter()
        .map(|(_, r)| r.unwrap().id)
        .collect();
    let found = store.by_ids(&ids).await.unwrap();
    let distinct: HashSet<&String> = ids.iter().collect();
    assert_eq!(found.len(), distinct.len());
    let second = ops::catalog_import::import(&store, &file, false)
        .await
        .unwrap();
    assert_eq!(second.imported, 1500);
    assert_eq!(
        store.by_ids(&ids).await.unwrap(),
        found,
        "re-importing changes nothing"
    );
}

#[tokio::test]
async fn bad_rows_are_reported_with_their_line_numbers() {
    let store = store().await;
    let dir = std::env::temp_dir().join(format!("catalog-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let jsonl = dir.join("rows.jsonl");
    let mut f = std::fs::File::create(&jsonl).unwrap();
    writeln!(f, r#"{{"name": "Good One GmbH", "domain": "good-one-import.de", "country": "Germany", "industry": "Software"}}"#).unwrap();
    writeln!(f, r#"{{"name": "", "domain": "nameless.de"}}"#).unwrap();
    writeln!(f, "not json").unwrap();
    writeln!(f, r#"{{"name": "Neg", "employee_count": -5}}"#).unwrap();
    drop(f);
    let report = ops::catalog_import::import(&store, &jsonl, false)
        .await
        .unwrap();
    assert_eq!(report.imported, 1);
    assert_eq!(
        report.rejected.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        vec![2, 3, 4]
    );
    assert!(report.rejected[0].1.contains("name is required"));

    let csv = dir.join("rows.csv");
    std::fs::write(&csv, "name,domain,employee_count,city,country,industry,keywords\nBeta Soft GmbH,beta-soft-import.de,120,Berlin,Germany,Software,SaaS;HR\nBad,,lots,Berlin,Germany,Software,\n").unwrap();
    let report = ops::catalog_import::import(&store, &csv, false)
        .await
        .unwrap();
    assert_eq!(report.imported, 1);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].0, 3);
    let beta = store
        .by_ids(&["beta-soft-import.de".to_string()])
        .await
        .unwrap();
    assert_eq!(beta["beta-soft-import.de"].employee_count, Some(120));
    let name = domain::normalize::company_name("Beta Soft");
    let named = store.by_names(std::slice::from_ref(&name)).await.unwrap();
    assert_eq!(
        named[&name]
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>(),
        ["beta-soft-import.de"],
        "found by normalised name, in one batched lookup"
    );
}

#[tokio::test]
async fn candidates_come_by_market_without_a_scan() {
    let store = store().await;
    // A country no other test uses, so the counts are this test's own.
    let mut companies = catalog_gen::generate(400, 99);
    for (i, c) in companies.iter_mut().enumerate() {
        c.country = Some("Sri Lanka".into());
        c.id = format!("lk-{i}-{}", c.id);
        c.domain = None;
    }
    store.put(&companies).await.unwrap();
    let all = store
        .candidates(&markets(&["LK".into()], None), &[])
        .await
        .unwrap();
    assert_eq!(all.records.len(), 400);
    assert_eq!(all.corpus.docs, 400, "the markets' statistics come along");
    let software = store
        .candidates(
            &markets(&["Sri Lanka".into()], Some(&[Industry::Software])),
            &[],
        )
        .await
        .unwrap()
        .records;
    let expected = companies
        .iter()
        .filter(|c| Industry::classify(c.industry.as_deref(), &c.keywords) == Industry::Software)
        .count();
    assert_eq!(software.len(), expected);
    assert!(expected > 0 && expected < 400);

    // Discovery reading from the store: only Sri Lanka, never an excluded industry.
    let order: domain::order::Order = serde_json::from_value(serde_json::json!({
        "order_id": uuid::Uuid::now_v7(), "tenant_id": "t", "order_type": "DISCOVERY", "title": "t", "status": "IN_PROGRESS",
        "priority": "NORMAL", "company_count": 0, "features": ["COMPANY_DATA", "ANALYSIS"], "estimated_cost": null,
        "prospect_search_id": null, "admin_notes": null, "webhook_url": null,
        "ideal_customer_profile": "B2B SaaS companies with 20-2000 employees", "seller_offering": "x", "seller_industry": null,
        "excluded_industries": ["Government"], "target_countries": ["Sri Lanka"], "target_cities": null, "output_language": "en",
        "contact_roles": null, "blacklist_ids": [], "profile_id": null, "created_at": "2026-01-01T00:00:00.000000Z",
        "accepted_at": null, "completed_at": null, "cancelled_at": null
    })).unwrap();
    let resolver = StaticMx(Default::default());
    let ctx = EnrichContext {
        resolver: &resolver,
        fetcher: None,
    };
    let out = engine::pipeline::discover_order(&order, &store, &BlacklistIndex::default(), &ctx)
        .await
        .unwrap();
    assert!(!out.results.is_empty());
    assert_eq!(
        out.candidates, expected,
        "only the ICP's industry bucket was read"
    );
    assert!(out
        .results
        .iter()
        .all(|r| r.country.as_deref() == Some("Sri Lanka")));
}

#[tokio::test]
async fn discovery_reads_feature_records_and_recomputes_stale_ones_until_backfilled() {
    use aws_sdk_dynamodb::primitives::Blob;
    use aws_sdk_dynamodb::types::AttributeValue;
    use engine::features::{Features, VERSION};
    let store = store().await;
    // A country no other test uses, so the counts are this test's own.
    let mut companies = catalog_gen::generate(60, 31);
    for (i, c) in companies.iter_mut().enumerate() {
        c.country = Some("Oman".into());
        c.id = format!("om-{i}-{}", c.id);
    }
    store.put(&companies).await.unwrap();
    let mut expected: Vec<Features> = companies.iter().map(Features::of).collect();
    expected.sort_by(|a, b| a.id.cmp(&b.id));
    let read = |store: CatalogStore| async move {
        let mut got = store
            .candidates(&markets(&["OM".into()], None), &[])
            .await
            .unwrap()
            .records;
        got.sort_by(|a, b| a.id.cmp(&b.id));
        got
    };
    assert_eq!(
        read(store.clone()).await,
        expected,
        "the records the import stored"
    );

    // Records written by an older engine (another version), and one that no longer decodes.
    for (c, features) in companies.iter().take(3).zip([
        Blob::new(vec![0u8]),
        Blob::new(b"garbage".to_vec()),
        Blob::new(Features::of(&companies[2]).encode()),
    ]) {
        let (partition, sort) = store.record_key(c);
        store
            .client
            .update_item()
            .table_name(&store.features_table)
            .key("market", AttributeValue::S(partition))
            .key("city_id", AttributeValue::S(sort))
            .update_expression("SET features = :f, fv = :v")
            .expression_attribute_values(":f", AttributeValue::B(features))
            .expression_attribute_values(":v", AttributeValue::N((VERSION - 1).to_string()))
            .send()
            .await
            .unwrap();
    }
    assert_eq!(
        read(store.clone()).await,
        expected,
        "a record of another version is recomputed from its company"
    );
    let report = store.feature_report(false).await.unwrap();
    assert_eq!((report.stale, report.rewritten), (3, 0), "{report:?}");
    let report = store.feature_report(true).await.unwrap();
    assert_eq!((report.stale, report.rewritten), (3, 3), "{report:?}");
    let after = store.feature_report(false).await.unwrap();
    assert_eq!(after.stale, 0, "{after:?}");
    assert_eq!(after.companies, after.current);
    assert_eq!(read(store.clone()).await, expected);
}

#[tokio::test]
async fn a_reimport_moves_a_changed_company_and_keeps_market_statistics_exact() {
    use engine::corpus::Corpus;
    use engine::features::Features;
    use engine::ports::Candidates;
    let store = store().await;
    let mut companies = catalog_gen::generate(80, 41);
    for (i, c) in companies.iter_mut().enumerate() {
        c.country = Some("Kuwait".into());
        c.id = format!("kw-{i}-{}", c.id);
    }
    let keys: Vec<String> = Industry::ALL
        .iter()
        .map(|i| store::catalog::market_key("KW", *i))
        .collect();
    let total = |store: CatalogStore, markets: Vec<String>| async move {
        let stats = store.market_stats(&markets).await.unwrap();
        let companies: u64 = stats.values().map(|s| s.companies).sum();
        let tokens: u64 = stats.values().map(|s| s.tokens).sum();
        (companies, tokens)
    };
    // Every word of every company: the stored frequencies must equal those counted from the
    // records, for each term.
    let query = words_of(&companies, "");
    let exact = |read: &Candidates, when: &str| {
        let counted = Corpus::of(read.records.iter().map(|r| &r.doc), &query);
        assert!(!counted.df.is_empty(), "{when}: the query reaches terms");
        assert_eq!(read.corpus, counted, "{when}: stored statistics are exact");
    };
    store.put(&companies).await.unwrap();
    let read = store
        .candidates(&markets(&["KW".into()], None), &query)
        .await
        .unwrap();
    exact(&read, "first import");
    assert!(
        read.corpus.df.len() > 100,
        "every company's words were asked"
    );
    let tokens: u64 = companies
        .iter()
        .map(|c| Features::of(c).doc.len() as u64)
        .sum();
    assert_eq!(total(store.clone(), keys.clone()).await, (80, tokens));
    store.put(&companies).await.unwrap();
    assert_eq!(
        total(store.clone(), keys.clone()).await,
        (80, tokens),
        "re-importing the same rows changes nothing"
    );
    let again = store
        .candidates(&markets(&["KW".into()], None), &query)
        .await
        .unwrap();
    assert_eq!(again.corpus, read.corpus, "frequencies unchanged too");

    // One company becomes a bank in another city: its record moves with it.
    let mut moved = companies[0].clone();
    moved.industry = Some("Banks".into());
    moved.keywords = vec!["Banking".into()];
    moved.city = Some("Lilongwe".into());
    store.put(std::slice::from_ref(&moved)).await.unwrap();
    let everything = store
        .candidates(&markets(&["KW".into()], None), &query)
        .await
        .unwrap();
    exact(&everything, "after a company moved");
    let copies: Vec<&Features> = everything
        .records
        .iter()
        .filter(|f| f.id == moved.id)
        .collect();
    assert_eq!(copies.len(), 1, "one record per company, in its new market");
    assert_eq!(copies[0], &Features::of(&moved));
    assert_eq!(everything.records.len(), 80);
    let named_twice = store
        .candidates(&markets(&["KW".into(), "Kuwait".into()], None), &query)
        .await
        .unwrap();
    assert_eq!(
        named_twice.records.len(),
        80,
        "a country named twice is read once"
    );
    assert_eq!(named_twice.corpus, everything.corpus);
    let banks = store
        .candidates(&markets(&["KW".into()], Some(&[Industry::Banks])), &query)
        .await
        .unwrap();
    assert!(banks.records.iter().any(|f| f.id == moved.id));
    exact(&banks, "the bank market alone");
    let tokens = tokens - Features::of(&companies[0]).doc.len() as u64
        + Features::of(&moved).doc.len() as u64;
    assert_eq!(total(store.clone(), keys).await, (80, tokens));
}

#[tokio::test]
async fn document_frequencies_stay_exact_across_splits_and_concurrent_imports() {
    use engine::corpus::Corpus;
    const CHANGED: &str = "Quantum payroll tooling for breweries";
    let mut store = store().await;
    // Two companies per part, so 60 companies split the market five times.
    store.companies_per_part = 2;
    // One market of its own: every company a software company in Serbia.
    let mut companies = catalog_gen::generate(60, 53);
    for (i, c) in companies.iter_mut().enumerate() {
        c.country = Some("Serbia".into());
        c.industry = Some("Software".into());
        c.keywords = vec!["Software".into()];
        c.id = format!("rs-{i}-{}", c.id);
    }
    let wanted = markets(&["RS".into()], Some(&[Industry::Software]));
    let query = words_of(&companies, CHANGED);
    let check = |store: CatalogStore, expect: usize, when: &'static str| {
        let (wanted, query) = (wanted.clone(), query.clone());
        async move {
            let read = store.candidates(&wanted, &query).await.unwrap();
            assert_eq!(read.records.len(), expect, "{when}");
            let counted = Corpus::of(read.records.iter().map(|r| &r.doc), &query);
            assert!(counted.df.len() > 10, "{when}: the query reaches terms");
            assert_eq!(read.corpus, counted, "{when}: stored frequencies are exact");
        }
    };
    store.put(&companies[..4]).await.unwrap();
    check(store.clone(), 4, "two parts").await;
    store.put(&companies[4..20]).await.unwrap();
    check(store.clone(), 20, "split to sixteen parts").await;
    // Imports of different companies at once, within one layout (32 companies keep sixteen
    // parts; a split assumes one importer): no count is lost (conditional writes, retried).
    let (a, b, c) = (store.clone(), store.clone(), store.clone());
    let (ra, rb, rc) = tokio::join!(
        a.put(&companies[20..24]),
        b.put(&companies[24..28]),
        c.put(&companies[28..32]),
    );
    ra.unwrap();
    rb.unwrap();
    rc.unwrap();
    check(store.clone(), 32, "three imports at once").await;
    // A re-import with changed descriptions takes back exactly what each company added.
    let mut changed = companies[..32].to_vec();
    for c in changed.iter_mut().step_by(3) {
        c.description = Some(CHANGED.into());
    }
    store.put(&changed).await.unwrap();
    store.put(&companies[32..]).await.unwrap();
    check(store.clone(), 60, "changed and grown").await;
}
