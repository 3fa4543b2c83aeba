//! Exclusions over the whole evaluation dataset (`../shared/datasets`, read in place): an
//! excluded catalog label removes the companies labelled so, and what it covers in the other
//! vocabularies, and nothing else of its segment, for every label of every segment; a segment
//! an ICP asks for only by a broad word goes whole when a value names it, and its siblings stay;
//! and the example (an exploration-and-production ICP that excludes the refining label)
//! keeps its matches.
mod common;
use common::dataset;
use engine::blacklist_match::BlacklistIndex;
use engine::catalog::CatalogCompany;
use engine::discovery::{passes_hard_filters, FilterStats};
use engine::features::Features;
use engine::icp::{parse_parts, Icp};
use engine::industry::{
    label_synonyms, names_exactly, phrase_in, same_label, tokens, Industry, SEGMENTS,
};
use engine::pipeline::find;
use engine::ports::MemoryCatalog;
use engine::taxonomy::{GENERIC_LABELS, GROUPS};
use std::collections::{BTreeSet, HashSet};
use std::sync::OnceLock;

/// The dataset's feature records, as the importer computes them (same order as `dataset`).
fn features() -> &'static [Features] {
    static DATA: OnceLock<Vec<Features>> = OnceLock::new();
    DATA.get_or_init(|| dataset().iter().map(Features::of).collect())
}

/// Every country of the dataset, so that only the exclusions decide who passes.
fn countries() -> &'static [String] {
    static DATA: OnceLock<Vec<String>> = OnceLock::new();
    DATA.get_or_init(|| {
        let set: BTreeSet<String> = dataset().iter().filter_map(|c| c.country.clone()).collect();
        set.into_iter().collect()
    })
}

fn passes(icp: &Icp, i: usize) -> bool {
    passes_hard_filters(
        icp,
        &features()[i],
        &BlacklistIndex::default(),
        &mut FilterStats::default(),
    )
}

/// The companies (with a country) whose own label is one of these.
fn labelled(data: &[CatalogCompany], labels: &[&str]) -> Vec<usize> {
    (0..data.len())
        .filter(|i| data[*i].country.is_some())
        .filter(|i| {
            data[*i]
                .industry
                .as_deref()
                .is_some_and(|l| labels.contains(&l))
        })
        .collect()
}

/// A segment's labels that some company (with a country) carries as its own, without the
/// generic ones ("Industrials"), which classify by tags.
fn present_labels(data: &[CatalogCompany], labels: &[&'static str]) -> Vec<&'static str> {
    labels
        .iter()
        .copied()
        .filter(|l| !labelled(data, &[l]).is_empty())
        .filter(|l| !GENERIC_LABELS.iter().any(|(g, _)| g == l))
        .collect()
}

/// Whether the company's own label or one of its tags is this label, or a synonym of it
/// (`taxonomy::SYNONYMS`: a "SaaS" tag is the "Software" label).
fn carries(c: &CatalogCompany, label: &str) -> bool {
    let label = tokens(label);
    c.industry
        .iter()
        .chain(&c.keywords)
        .any(|l| same_label(&tokens(l), &label))
}

#[test]
fn an_excluded_label_removes_all_of_it_and_nothing_else_of_its_segment() {
    let data = dataset();
    let mut checked = 0usize;
    for segment in SEGMENTS.iter().filter(|s| s.industry != Industry::Other) {
        // The segment's labels that occur in the dataset, each with its companies (that have a
        // country: the others never pass).
        let members: Vec<(&str, Vec<usize>)> = segment
            .labels
            .iter()
            .map(|l| {
                let at: Vec<usize> = (0..data.len())
                    .filter(|i| data[*i].industry.as_deref() == Some(*l))
                    .filter(|i| data[*i].country.is_some())
                    .collect();
                (*l, at)
            })
            .filter(|(_, at)| !at.is_empty())
            .collect();
        // An ICP that asks for the segment by its own name.
        let wanted = |excluded: &[String]| parse_parts(segment.en, countries(), &[], excluded);
        assert!(
            wanted(&[]).industries.contains(&segment.industry),
            "{} asks for {:?}",
            segment.en,
            segment.industry
        );
        for (sibling, sibling_at) in &members {
            let icp = wanted(&[sibling.to_string()]);
            // What the label covers in the other vocabularies goes with it.
            let covered = label_synonyms(&tokens(sibling));
            let covers = |label: &str| covered.contains(&tokens(label));
            for (label, at) in members.iter().filter(|(l, _)| l == sibling || covers(l)) {
                for i in at {
                    assert!(
                        !passes(&icp, *i),
                        "excluding {sibling:?} keeps {} labelled {label:?}",
                        data[*i].name
                    );
                }
            }
            // The other labels of the segment stay, unless a company also carries the sibling,
            // or the sibling is the segment's whole name ("Insurance", "Banks" for "Banking"):
            // then it names the segment.
            let names_the_segment = names_exactly(&tokens(sibling), segment.industry);
            for (label, at) in members
                .iter()
                .filter(|(l, _)| l != sibling && !covers(l) && !names_the_segment)
            {
                let carries_covered = |c: &CatalogCompany| {
                    c.industry
                        .iter()
                        .chain(&c.keywords)
                        .any(|l| covered.iter().any(|t| same_label(&tokens(l), t)))
                };
                for i in at
                    .iter()
                    .filter(|i| !carries(&data[**i], sibling) && !carries_covered(&data[**i]))
                {
                    checked += 1;
                    assert!(
                        passes(&icp, *i),
                        "{}: excluding {sibling:?} removes {} labelled {label:?} (tags {:?})",
                        segment.en,
                        data[*i].name,
                        data[*i].keywords
                    );
                }
            }
            // Where the ICP asks for something else, the label goes all the same.
            let other = parse_parts("Companies", countries(), &[], &[sibling.to_string()]);
            for i in sibling_at {
                assert!(
                    !passes(&other, *i),
                    "excluding {sibling:?} from any ICP keeps {}",
                    data[*i].name
                );
            }
        }
    }
    assert!(checked > 10_000, "{checked} companies checked");
}

#[test]
fn a_segment_wanted_by_a_broad_word_goes_whole_and_its_siblings_stay() {
    let data = dataset();
    // The companies of a segment's own labels; generic labels ("Industrials") classify by tags.
    let of_segment = |segment: Industry| -> Vec<usize> {
        let labels: Vec<&str> = SEGMENTS[segment as usize]
            .labels
            .iter()
            .copied()
            .filter(|l| !GENERIC_LABELS.iter().any(|(g, _)| g == l))
            .collect();
        labelled(data, &labels)
    };
    let mut checked = 0usize;
    for (broad, _) in GROUPS.iter() {
        let text = format!("{} companies", broad[0]);
        let asked = parse_parts(&text, countries(), &[], &[]).industries;
        if asked.len() < 2 {
            continue;
        }
        for excluded in &asked {
            let segment = &SEGMENTS[*excluded as usize];
            let icp = parse_parts(&text, countries(), &[], &[segment.en.to_string()]);
            assert!(!icp.industries.contains(excluded), "{text}: {}", segment.en);
            for i in of_segment(*excluded) {
                assert!(
                    !passes(&icp, i),
                    "{text} without {:?} keeps {} ({:?})",
                    segment.en,
                    data[i].name,
                    data[i].industry
                );
            }
            // The siblings stay, but for a company the classifier also puts in the excluded
            // segment or whose own words carry the value ("Fintech / Insurance").
            let value = tokens(segment.en);
            for sibling in asked.iter().filter(|s| *s != excluded) {
                for i in of_segment(*sibling) {
                    let own = &features()[i];
                    if own.facts.segment_in(&[*excluded]).is_some()
                        || icp.excludes_labels(&own.labels)
                            && engine::industry::label_mentions(
                                &value,
                                data[i].industry.as_deref(),
                                &data[i].keywords,
                            )
                    {
                        continue;
                    }
                    checked += 1;
                    assert!(
                        passes(&icp, i),
                        "{text} without {:?} removes {} ({:?})",
                        segment.en,
                        data[i].name,
                        data[i].industry
                    );
                }
            }
        }
    }
    assert!(checked > 10_000, "{checked} companies checked");
}

#[tokio::test]
async fn excluding_the_refining_label_keeps_exploration_and_production() {
    let catalog = MemoryCatalog::new(dataset().to_vec());
    let us = vec!["United States".to_string()];
    let icp_text = "Oil and gas exploration and production companies";
    let run = |excluded: &[&str]| {
        let excluded: Vec<String> = excluded.iter().map(|e| e.to_string()).collect();
        parse_parts(icp_text, &us, &[], &excluded)
    };
    let plain = run(&[]);
    assert!(plain.industries.contains(&Industry::Energy));
    let found = find(&plain, &us, &catalog, &BlacklistIndex::default())
        .await
        .unwrap();
    let refining = "Oil & Gas Refining & Marketing";
    for excluded in [refining, "Refining"] {
        let icp = run(&[excluded]);
        assert_eq!(icp.industries, plain.industries, "{excluded}");
        // Exactly the refiners go: every other company passes as it did.
        let before: HashSet<usize> = (0..dataset().len())
            .filter(|i| passes(&plain, *i))
            .collect();
        let after: HashSet<usize> = (0..dataset().len()).filter(|i| passes(&icp, *i)).collect();
        let expected: HashSet<usize> = before
            .iter()
            .copied()
            .filter(|i| !carries(&dataset()[*i], refining))
            .collect();
        let names = |ids: Vec<&usize>| -> Vec<String> {
            ids.iter()
                .take(5)
                .map(|i| format!("{} ({:?})", dataset()[**i].name, dataset()[**i].industry))
                .collect()
        };
        assert!(
            after == expected,
            "{excluded}: removes {} others, e.g. {:?}; keeps {} refiners",
            expected.difference(&after).count(),
            names(expected.difference(&after).collect()),
            after.difference(&expected).count()
        );
        let kept = find(&icp, &us, &catalog, &BlacklistIndex::default())
            .await
            .unwrap();
        assert!(
            kept.stats.matching * 10 >= found.stats.matching * 9,
            "{excluded}: {} matches of {}",
            kept.stats.matching,
            found.stats.matching
        );
        assert!(kept
            .selected
            .iter()
            .all(|(c, _)| c.industry.as_deref() != Some(refining)));
        // The best ones are still the exploration and production companies.
        let top = |f: &engine::selection::Found| -> Vec<String> {
            f.selected
                .iter()
                .filter(|(c, _)| c.industry.as_deref() != Some(refining))
                .take(5)
                .map(|(c, _)| c.id.clone())
                .collect()
        };
        assert_eq!(top(&kept), top(&found), "{excluded}");
    }
}

#[test]
fn a_value_naming_part_of_a_wanted_segment_removes_every_company_of_that_part() {
    let data = dataset();
    // (ICP, excluded value, the labels it names, labels of the wanted segments it must keep).
    // The German values go with ICPs that read German ("in den USA"): a value is read in its
    // ICP's language, and "Versorger" alone does not say which.
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        (
            "Consumer lenders",
            "Mortgage lenders",
            &["Mortgage Finance", "Thrifts & Mortgage Finance"],
            &["Consumer Finance", "Credit Services"],
        ),
        (
            "Kreditgeber in den USA",
            "Hypothekenfinanzierer",
            &["Mortgage Finance", "Thrifts & Mortgage Finance"],
            &["Consumer Finance", "Credit Services"],
        ),
        (
            "Mining companies",
            "Uranium mining",
            &["Uranium"],
            &["Gold", "Steel"],
        ),
        (
            "Versorger in den USA",
            "Wasserversorger",
            &["Water Utilities", "Utilities - Regulated Water"],
            &["Electric Utilities", "Gas Utilities"],
        ),
    ];
    let mut checked = 0usize;
    for (text, value, gone, kept) in cases {
        let icp = parse_parts(text, countries(), &[], &[value.to_string()]);
        let gone_at = labelled(data, gone);
        assert!(!gone_at.is_empty(), "{value}: no company labelled {gone:?}");
        for i in gone_at {
            assert!(
                !passes(&icp, i),
                "{text} without {value:?} keeps {}",
                data[i].name
            );
        }
        // What the ICP still asks for stays, but for a company whose tags carry the value.
        for i in labelled(data, kept)
            .into_iter()
            .filter(|i| !gone.iter().any(|g| carries(&data[*i], g)))
        {
            checked += 1;
            assert!(
                passes(&icp, i),
                "{text} without {value:?} removes {} ({:?}, tags {:?})",
                data[i].name,
                data[i].industry,
                data[i].keywords
            );
        }
    }
    assert!(checked > 100, "{checked} companies checked");
}

/// A catalog label written with a role word after it ("Tobacco producers", "Oil & Gas Equipment
/// & Services suppliers", "Gold miners" aside) excludes exactly what the label excludes, for an
/// ICP asking for the label's segment by its name and for one asking for anything: the role word
/// says who the companies are, not which; a label that carries it keeps it.
#[test]
fn a_label_written_with_a_role_word_excludes_as_the_label_does() {
    const ROLES: &[&str] = &[
        "makers",
        "suppliers",
        "operators",
        "providers",
        "producers",
        "vendors",
        "manufacturers",
    ];
    let data = dataset();
    let mut checked = 0usize;
    let mut at = 0usize;
    for segment in SEGMENTS.iter().filter(|s| s.industry != Industry::Other) {
        for label in segment
            .labels
            .iter()
            .filter(|l| data.iter().any(|c| c.industry.as_deref() == Some(**l)))
        {
            let role = ROLES[at % ROLES.len()];
            at += 1;
            let value = format!("{label} {role}");
            for text in [segment.en, "Companies"] {
                let plain = parse_parts(text, countries(), &[], &[label.to_string()]);
                let with_role = parse_parts(text, countries(), &[], std::slice::from_ref(&value));
                assert_eq!(plain.industries, with_role.industries, "{text}: {value}");
                checked += 1;
                // The hard filters read only these fields: the same reading excludes the same
                // companies, so only a reading that differs is compared company by company.
                if exclusion_reading(&plain) == exclusion_reading(&with_role) {
                    continue;
                }
                for (i, c) in data.iter().enumerate() {
                    assert_eq!(
                        passes(&plain, i),
                        passes(&with_role, i),
                        "{text}: {value:?} and {label:?} differ on {} ({:?}, tags {:?})",
                        c.name,
                        c.industry,
                        c.keywords
                    );
                }
            }
        }
    }
    assert!(checked > 400, "{checked} values checked");
}

/// What `passes_hard_filters` reads of an ICP's exclusions.
type ExclusionReading<'a> = (
    &'a [Industry],
    &'a [Vec<String>],
    &'a [Vec<String>],
    &'a [(Vec<String>, Vec<Industry>)],
);

fn exclusion_reading(icp: &Icp) -> ExclusionReading<'_> {
    (
        &icp.excluded,
        &icp.excluded_phrases,
        &icp.excluded_labels,
        &icp.excluded_parts,
    )
}

/// English compounds of a label's word and wanted siblings: excluding "Oilfield equipment
/// suppliers" from oil and gas removes the equipment and services labels of every vocabulary
/// and keeps every other oil and gas label; "Casino operators" and "Tobacco producers" from
/// leisure and from food remove what "Casinos" and "Tobacco" do.
#[test]
fn values_with_role_words_and_compounds_remove_what_they_name_and_keep_the_siblings() {
    let data = dataset();
    // (ICP, excluded value, what it names as the labels say it, labels it names, labels of the
    // wanted segments it must keep but for a company whose own label or tags carry what it names).
    type Case<'a> = (&'a str, &'a str, &'a str, &'a [&'a str], &'a [&'a str]);
    let cases: &[Case] = &[
        (
            "Oil and gas companies",
            "Oilfield equipment suppliers",
            "oil equipment",
            &[
                "Oil & Gas Equipment & Services",
                "Energy Equipment & Services",
            ],
            &[
                "Oil & Gas E&P",
                "Oil & Gas Integrated",
                "Oil & Gas Midstream",
                "Oil & Gas Refining & Marketing",
                "Oil & Gas Drilling",
            ],
        ),
        (
            "Travel and leisure companies",
            "Casino operators",
            "casino",
            &["Resorts & Casinos", "Gambling"],
            &["Hotels, Restaurants & Leisure", "Restaurants", "Lodging"],
        ),
        (
            "Hersteller von Lebensmitteln, Getränken und Tabakwaren in den USA",
            "Tabakhersteller",
            "tabak",
            &["Tobacco", "Cigarettes"],
            &["Beverages", "Packaged Foods"],
        ),
        (
            "Food, beverage and tobacco companies",
            "Tobacco producers",
            "tobacco",
            &["Tobacco", "Cigarettes"],
            &["Beverages", "Packaged Foods"],
        ),
        (
            "Medical technology and healthcare services companies",
            "Medical device makers",
            "medical device",
            &["Medical Devices", "Healthcare / Medical Devices"],
            &[
                "Health Care Providers & Services",
                "Medical Care Facilities",
            ],
        ),
    ];
    let mut checked = 0usize;
    for (text, value, named, gone, kept) in cases {
        let icp = parse_parts(text, countries(), &[], &[value.to_string()]);
        let gone_at = labelled(data, gone);
        assert!(!gone_at.is_empty(), "{value}: no company labelled {gone:?}");
        for i in gone_at {
            assert!(
                !passes(&icp, i),
                "{text} without {value:?} keeps {} ({:?})",
                data[i].name,
                data[i].industry
            );
        }
        for i in labelled(data, kept)
            .into_iter()
            .filter(|i| !gone.iter().any(|g| carries(&data[*i], g)))
            .filter(|i| {
                !engine::industry::label_mentions(
                    &tokens(named),
                    data[*i].industry.as_deref(),
                    &data[*i].keywords,
                )
            })
        {
            checked += 1;
            assert!(
                passes(&icp, i),
                "{text} without {value:?} removes {} ({:?}, tags {:?})",
                data[i].name,
                data[i].industry,
                data[i].keywords
            );
        }
    }
    assert!(checked > 500, "{checked} companies checked");
}

/// The words of a label that say which part of its segment it is: neither filler nor a role
/// word ("Providers", which says who, not which), nor a word of the segment's name, nor carried
/// by every label of the segment ("Midstream" of "Oil & Gas Midstream", "Regional" of "Banks -
/// Regional", "Specialty" of "Specialty Chemicals").
fn distinctive_part(label: &str, segment: &engine::industry::Segment) -> Vec<String> {
    let roles = engine::word_lists::words(engine::word_lists::List::RoleWords);
    let name: Vec<String> = tokens(segment.en)
        .into_iter()
        .chain(tokens(segment.de))
        .collect();
    let labels: Vec<Vec<String>> = segment.labels.iter().map(|l| tokens(l)).collect();
    let one = |w: &String| std::slice::from_ref(w).to_vec();
    tokens(label)
        .into_iter()
        .filter(|w| phrase_in(&one(w), &tokens(label)) && !roles.contains(&w.as_str()))
        .filter(|w| {
            !name
                .iter()
                .any(|n| phrase_in(&one(w), std::slice::from_ref(n)))
        })
        .filter(|w| !labels.iter().all(|l| phrase_in(&one(w), l)))
        .collect()
}

/// A sub-industry named by its distinctive part alone, as partners write it ("Midstream",
/// "Regional", "Specialty"), from an ICP asking for its segment: every company of every label
/// of the segment that carries the part goes (and of what those labels cover in the other
/// vocabularies), and every company of the other labels of the segment stays, but for one whose
/// own label or tags carry the part. Parts that another segment's labels carry too or that name
/// another segment are left out: they name no one sub-industry.
#[test]
fn excluding_a_labels_distinctive_part_removes_that_label_and_no_sibling() {
    let data = dataset();
    let mut checked = 0usize;
    let mut values = 0usize;
    for segment in SEGMENTS.iter().filter(|s| s.industry != Industry::Other) {
        let present = present_labels(data, segment.labels);
        let mut seen: Vec<Vec<String>> = Vec::new();
        for label in &present {
            let part = distinctive_part(label, segment);
            if part.is_empty() || seen.contains(&part) {
                continue;
            }
            seen.push(part.clone());
            let value = part.join(" ");
            // A part another segment's labels carry too ("Services", "Specialty") or that names
            // another segment ("Retail" of "REIT - Retail") names no one sub-industry.
            let elsewhere = SEGMENTS
                .iter()
                .filter(|s| s.industry != segment.industry)
                .flat_map(|s| s.labels.iter())
                .any(|l| phrase_in(&part, &tokens(l)));
            let mentioned = Industry::mentioned_in(&value);
            // A part that is a label itself ("Broadcasting") removes that label
            // (`an_excluded_label_removes_all_of_it_and_nothing_else_of_its_segment`).
            let a_label = SEGMENTS
                .iter()
                .flat_map(|s| s.labels.iter())
                .any(|l| same_label(&part, &tokens(l)));
            if elsewhere
                || a_label
                || !(mentioned.is_empty() || mentioned == vec![segment.industry])
            {
                continue;
            }
            let icp = parse_parts(segment.en, countries(), &[], std::slice::from_ref(&value));
            assert!(
                icp.industries.contains(&segment.industry),
                "{}: {value:?} removes the segment",
                segment.en
            );
            values += 1;
            // The labels of the segment carrying the part, with what they cover.
            let named: Vec<&str> = present
                .iter()
                .copied()
                .filter(|l| phrase_in(&part, &tokens(l)))
                .collect();
            let covered: Vec<Vec<String>> = named
                .iter()
                .flat_map(|l| std::iter::once(tokens(l)).chain(label_synonyms(&tokens(l))))
                .collect();
            let is_named = |l: &str| covered.iter().any(|c| same_label(c, &tokens(l)));
            for i in labelled(data, &named) {
                assert!(
                    !passes(&icp, i),
                    "{}: excluding {value:?} keeps {} ({:?})",
                    segment.en,
                    data[i].name,
                    data[i].industry
                );
            }
            let siblings: Vec<&str> = present.iter().copied().filter(|l| !is_named(l)).collect();
            for i in labelled(data, &siblings) {
                let c = &data[i];
                if engine::industry::label_mentions(&part, c.industry.as_deref(), &c.keywords)
                    || c.keywords.iter().any(|t| is_named(t))
                {
                    continue;
                }
                checked += 1;
                assert!(
                    passes(&icp, i),
                    "{}: excluding {value:?} removes {} ({:?}, tags {:?})",
                    segment.en,
                    c.name,
                    c.industry,
                    c.keywords
                );
            }
        }
    }
    assert!(values > 40, "{values} parts checked");
    assert!(checked > 10_000, "{checked} companies checked");
}

/// The German-English dictionary the engine reads (`data/de_en.tsv`): each German word with its
/// English words, tokenised.
fn dictionary() -> Vec<(&'static str, Vec<String>)> {
    include_str!("../data/de_en.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .filter(|(_, en)| !en.trim().is_empty())
        .map(|(de, en)| (de, tokens(en)))
        .collect()
}

/// A German word the dictionary translates to a catalog label's own words ("Süßware":
/// confectionery, the "Confectioners"; "Konditorei"), excluded from a German ICP asking for the
/// label's segment, removes what the label itself removes from that ICP: every company of the
/// label, and no company of a sibling label the label keeps. Also where the taxonomy lists the
/// German word as one of the segment's own ("Süßwaren" of food), which the wanted segments read
/// as the segment. Labels that name their segment whole ("Banks") and generic ones are left out,
/// as is a word that names another segment or this one by its name (a segment exclusion).
///
/// `LEFT` are the words this does not hold for yet, none through the dictionary's reading: the
/// hand tables read some otherwise ("Modegeschäft" a fashion business, "Blechverarbeitung" sheet
/// metal processing, "Vertriebshändler" a distribution retailer, "Bekleidungserzeuger",
/// "Stromversorger" electricity utility), and the compound's parts name more than the label
/// ("Kokskohle": coal, thermal coal too; "Stromversorgungsunternehmen": power, the independent
/// producers too; "Bauprodukt": construction; "Autospediteur": automotive), or a word the
/// taxonomy lists as the segment's own reads as its segment ("Bautechnik", "Bauprodukte",
/// "Beratung", "Bekleidungshersteller": clothing) or as a sub-industry of two labels
/// ("Distributoren").
#[test]
fn a_german_word_for_a_label_excludes_as_the_label_does() {
    const LEFT: &[&str] = &[
        "modegeschaft",
        "kleidergeschaft",
        "blechverarbeitung",
        "vertriebshandler",
        "bekleidungserzeuger",
        "stromversorger",
        "kokskohle",
        "backkohle",
        "stromversorgungsunternehmen",
        "elektrizitatsversorgungsunternehmen",
        "bauprodukt",
        "autospediteur",
        "bautechnik",
        "bauprodukte",
        "beratung",
        "bekleidungshersteller",
        "distributoren",
    ];
    let data = dataset();
    let dictionary = dictionary();
    let mut checked = 0usize;
    let mut values = 0usize;
    let mut failures: Vec<String> = Vec::new();
    for segment in SEGMENTS.iter().filter(|s| s.industry != Industry::Other) {
        let present: Vec<&str> = present_labels(data, segment.labels)
            .into_iter()
            .filter(|l| !names_exactly(&tokens(l), segment.industry))
            .collect();
        let of_segment = labelled(data, &present);
        // A German order ("aus der" tells its language) asking for the segment by its name.
        let text = format!("Unternehmen aus der Branche {}", segment.de);
        let wanted = |excluded: &[String]| parse_parts(&text, countries(), &[], excluded);
        assert!(
            wanted(&[]).industries.contains(&segment.industry),
            "{text} asks for {:?}",
            segment.industry
        );
        for label in &present {
            let label_words = tokens(label);
            let by_label = wanted(&[label.to_string()]);
            // The dictionary's words, and the forms the taxonomy lists as the segment's own
            // ("susswaren" of the dictionary's "sussware").
            let words: Vec<&str> = dictionary
                .iter()
                .filter(|(_, en)| same_label(en, &label_words))
                .flat_map(|(german, _)| {
                    let german: &'static str = german;
                    std::iter::once(german).chain(segment.terms.iter().copied().filter(move |t| {
                        t.starts_with(german)
                            && t.len() > german.len()
                            && t.len() <= german.len() + 2
                    }))
                })
                .collect();
            for german in &words {
                // A word naming another segment, or this one by its name, removes a segment.
                let mentioned = Industry::mentioned_in(german);
                if mentioned.iter().any(|s| *s != segment.industry)
                    || names_exactly(&tokens(german), segment.industry)
                    || LEFT.contains(german)
                {
                    continue;
                }
                values += 1;
                let by_word = wanted(&[german.to_string()]);
                for i in &of_segment {
                    checked += 1;
                    let (word, label_passes) = (passes(&by_word, *i), passes(&by_label, *i));
                    // The label's own companies go; what it covers in the other vocabularies
                    // is `an_excluded_label_removes_all_of_it_and_nothing_else_of_its_segment`'s.
                    let own = data[*i].industry.as_deref() == Some(*label);
                    if (word && !label_passes && own) || (!word && label_passes) {
                        let c = &data[*i];
                        failures.push(format!(
                            "{text}: {german:?} {} {} ({:?}, tags {:?}) which {label:?} {}",
                            if word { "keeps" } else { "removes" },
                            c.name,
                            c.industry,
                            c.keywords,
                            if label_passes { "keeps" } else { "removes" },
                        ));
                        break;
                    }
                }
            }
        }
    }
    eprintln!("{values} values, {checked} companies checked");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(values > 100, "{values} words checked");
    assert!(checked > 50_000, "{checked} companies checked");
}
