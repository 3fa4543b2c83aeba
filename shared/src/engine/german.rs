//! German compounds: "Softwarehersteller" is "Software" + "Hersteller", "Versicherungsgesellschaften"
//! is "Versicherung" + linking "s" + "Gesellschaft" + plural. A curated lexicon (the taxonomy's
//! words plus the heads partners put after them) and a fewest-pieces split; no general
//! dictionary is needed because only industry words matter to discovery.
//! (Looked first: the `decompound` crate (0.3, 2023) takes a word-validity closure like this one
//! but links parts only with "s" and knows no endings, so "Versicherungsgesellschaften" or
//! "Medizinprodukten" would not split; the dictionary-based splitters (charsplit and kin) carry
//! large word lists or models that every cold start would pay for, for a few hundred words.)

/// Words partners put after an industry word: they carry no industry themselves.
pub const HEADS: &[&str] = &[
    "hersteller",
    "anbieter",
    "unternehmen",
    "firma",
    "firmen",
    "zulieferer",
    "lieferant",
    "lieferanten",
    "dienstleister",
    "dienstleistung",
    "dienstleistungen",
    "gesellschaft",
    "gesellschaften",
    "konzern",
    "konzerne",
    "betrieb",
    "betriebe",
    "produzent",
    "produzenten",
    "handler",
    "haus",
    "hauser",
    "gruppe",
    "branche",
    "sektor",
    "industrie",
    "technik",
    "technologie",
    "technologien",
    "werk",
    "werke",
    "markt",
    "entwickler",
    "spezialist",
    "spezialisten",
    "versorger",
    "betreiber",
    "kette",
    "ketten",
    "geschaft",
    "systeme",
    "losungen",
    "produkte",
    "gerate",
    "anlagen",
    "teile",
    "komponenten",
    "waren",
    "guter",
    "agentur",
    "agenturen",
    "startup",
    "startups",
    "mittelstand",
    "mittelstandler",
    "wirtschaft",
    "wesen",
    "bereich",
    // Not an industry word on its own ("Computerhardware" is hardware).
    "computer",
];

/// Letters German puts between the parts of a compound ("Versicherung-s-makler").
const LINKS: &[&str] = &["s", "es", "n", "en", "e", "er"];
/// Endings a word may take at the end of a compound (plural, case).
pub const ENDINGS: &[&str] = &["s", "es", "n", "en", "e", "er", "ern"];
/// Shorter parts make too many false splits ("Bank-ett").
const MIN_PART: usize = 3;

/// The parts of a compound, fewest first; `None` when the word is not a compound of known parts.
/// `known` says whether a (folded) piece is a lexicon word.
pub fn split(word: &str, known: &dyn Fn(&str) -> bool) -> Option<Vec<String>> {
    if !word.is_ascii() || word.len() < 2 * MIN_PART {
        return None;
    }
    let parts = best_split(word, known)?;
    (parts.len() >= 2).then_some(parts)
}

/// Fewest-pieces cover of `word` by lexicon parts, with linking letters between parts and an
/// ending after the last. Short words, so a plain recursion over cut points is enough.
fn best_split(word: &str, known: &dyn Fn(&str) -> bool) -> Option<Vec<String>> {
    let mut best: Option<Vec<String>> = None;
    for cut in (MIN_PART..=word.len()).rev() {
        let (head, rest) = word.split_at(cut);
        if !known(head) {
            continue;
        }
        let tails: Vec<&str> = std::iter::once(rest)
            .chain(LINKS.iter().filter_map(|l| rest.strip_prefix(l)))
            .collect();
        for tail in tails {
            let candidate = if tail.is_empty() || ENDINGS.contains(&tail) {
                Some(vec![head.to_string()])
            } else {
                best_split(tail, known).map(|mut more| {
                    more.insert(0, head.to_string());
                    more
                })
            };
            if let Some(c) = candidate {
                if best.as_ref().is_none_or(|b| c.len() < b.len()) {
                    best = Some(c);
                }
            }
        }
    }
    best
}

pub use crate::domain::normalize::ascii_umlauts;

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(w: &str) -> bool {
        [
            "software",
            "hersteller",
            "medizintechnik",
            "medizin",
            "technik",
            "unternehmen",
            "versicherung",
            "gesellschaft",
            "logistik",
            "dienstleister",
            "maschinenbau",
            "bank",
        ]
        .contains(&w)
    }

    #[test]
    fn splits_compounds_into_fewest_known_parts() {
        let s = |w: &str| split(w, &lexicon);
        assert_eq!(s("softwarehersteller").unwrap(), ["software", "hersteller"]);
        assert_eq!(
            s("medizintechnikunternehmen").unwrap(),
            ["medizintechnik", "unternehmen"]
        );
        assert_eq!(
            s("versicherungsgesellschaften").unwrap(),
            ["versicherung", "gesellschaft"]
        );
        assert_eq!(
            s("logistikdienstleister").unwrap(),
            ["logistik", "dienstleister"]
        );
        assert_eq!(s("maschinenbauer"), None, "one part and an ending");
        assert_eq!(s("bankett"), None);
        assert_eq!(s("software"), None);
        assert_eq!(s("großbank"), None, "folded input only");
    }

    #[test]
    fn ascii_umlauts_fold_like_umlauts() {
        assert_eq!(ascii_umlauts("muenchen").as_deref(), Some("munchen"));
        assert_eq!(
            ascii_umlauts("rueckversicherer").as_deref(),
            Some("ruckversicherer")
        );
        assert_eq!(ascii_umlauts("bank"), None);
    }
}
