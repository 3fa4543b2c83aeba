//! Several wanted industries over the whole evaluation dataset (`../shared/datasets`, read in
//! place): naming one more wanted industry never shrinks the match. For pairs of industries, in
//! English and German phrasings (joined by "and"/"und", "or"/"oder", commas, a hyphenated German
//! list and an adding parenthesis), every company "A" or "B" matches alone is matched by the ICP
//! that names both, in the same countries.
mod common;
use common::dataset;
use engine::blacklist_match::BlacklistIndex;
use engine::icp::parse_parts;
use engine::pipeline::matching;
use engine::ports::MemoryCatalog;
use std::collections::HashSet;

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

async fn matched(catalog: &MemoryCatalog, icp: &str, countries: &[String]) -> HashSet<String> {
    let parsed = parse_parts(icp, countries, &[], &[]);
    matching(&parsed, countries, catalog, &BlacklistIndex::default())
        .await
        .unwrap_or_else(|e| panic!("{icp}: {e:?}"))
}

#[tokio::test]
async fn naming_another_wanted_industry_never_shrinks_the_match() {
    let catalog = MemoryCatalog::new(dataset().to_vec());
    let us = strings(&["United States"]);
    let uk = strings(&["United Kingdom"]);
    let dach = strings(&["Germany", "Austria", "Switzerland"]);
    let japan = strings(&["Japan"]);
    let canada = strings(&["Canada"]);
    // (both, each alone, countries)
    let cases: Vec<(String, [String; 2], &[String])> = vec![
        // English: "and", "or", commas, a parenthesis that adds.
        (
            "Consulting and professional services firms".into(),
            [
                "Consulting firms".into(),
                "Professional services firms".into(),
            ],
            &uk,
        ),
        (
            "Staffing agencies and professional services firms".into(),
            [
                "Staffing agencies".into(),
                "Professional services firms".into(),
            ],
            &canada,
        ),
        (
            "Banks and insurance companies".into(),
            ["Banks".into(), "Insurance companies".into()],
            &us,
        ),
        (
            "Medical device makers or healthcare companies".into(),
            [
                "Medical device makers".into(),
                "Healthcare companies".into(),
            ],
            &uk,
        ),
        (
            "Utilities, energy companies".into(),
            ["Utilities".into(), "Energy companies".into()],
            &dach,
        ),
        (
            "Software vendors (and IT services firms)".into(),
            ["Software vendors".into(), "IT services firms".into()],
            &uk,
        ),
        (
            "Semiconductor makers and chemical companies".into(),
            ["Semiconductor makers".into(), "Chemical companies".into()],
            &japan,
        ),
        (
            "Hotels and restaurants or airlines".into(),
            ["Hotels and restaurants".into(), "Airlines".into()],
            &us,
        ),
        (
            "Logistics providers and staffing agencies".into(),
            ["Logistics providers".into(), "Staffing agencies".into()],
            &us,
        ),
        // German: "und", "oder", commas, hyphenated lists sharing a head, "(sowie ...)".
        (
            "Chemie- und Pharmaunternehmen".into(),
            ["Chemieunternehmen".into(), "Pharmaunternehmen".into()],
            &dach,
        ),
        (
            "Software- und IT-Dienstleister".into(),
            ["Softwaredienstleister".into(), "IT-Dienstleister".into()],
            &uk,
        ),
        (
            "Personal- und Unternehmensdienstleister".into(),
            [
                "Personaldienstleister".into(),
                "Unternehmensdienstleister".into(),
            ],
            &canada,
        ),
        (
            "Beratungsunternehmen oder Unternehmensdienstleister".into(),
            [
                "Beratungsunternehmen".into(),
                "Unternehmensdienstleister".into(),
            ],
            &uk,
        ),
        (
            "Medizintechnikhersteller und Gesundheitsunternehmen".into(),
            [
                "Medizintechnikhersteller".into(),
                "Gesundheitsunternehmen".into(),
            ],
            &dach,
        ),
        (
            "Energieunternehmen, Versorger".into(),
            ["Energieunternehmen".into(), "Versorger".into()],
            &dach,
        ),
        (
            "Halbleiterhersteller (sowie Computerhardware)".into(),
            ["Halbleiterhersteller".into(), "Computerhardware".into()],
            &japan,
        ),
        (
            "Banken oder Versicherungen".into(),
            ["Banken".into(), "Versicherungen".into()],
            &dach,
        ),
        (
            "Logistikdienstleister und Maschinenbauer".into(),
            ["Logistikdienstleister".into(), "Maschinenbauer".into()],
            &dach,
        ),
    ];
    for (both, alone, countries) in &cases {
        let place = |text: &str| format!("{text} in {}", countries.join(", "));
        let together = matched(&catalog, &place(both), countries).await;
        for one in alone {
            let single = matched(&catalog, &place(one), countries).await;
            assert!(
                !single.is_empty(),
                "{one}: matches nothing in {countries:?}"
            );
            let lost: Vec<&String> = single.difference(&together).take(5).collect();
            assert!(
                lost.is_empty(),
                "{both}: {} of the {} companies {one} matches are lost, e.g. {lost:?}",
                single.difference(&together).count(),
                single.len()
            );
        }
    }
}
