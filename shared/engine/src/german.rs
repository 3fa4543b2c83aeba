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
/// Longer tokens are no words a partner writes (and would only cost time).
const MAX_WORD: usize = 64;

/// The parts of a compound, fewest first; `None` when the word is not a compound of known parts.
/// `known` says whether a (folded) piece is a lexicon word.
pub fn split(word: &str, known: &dyn Fn(&str) -> bool) -> Option<Vec<String>> {
    if !word.is_ascii() || word.len() < 2 * MIN_PART || word.len() > MAX_WORD {
        return None;
    }
    let parts = best_split(word, known)?;
    (parts.len() >= 2).then_some(parts)
}

/// Fewest-pieces cover of `word` by lexicon parts, with linking letters between parts and an
/// ending after the last: `best[i]` is the best cover of `word[i..]`, filled from the end, so
/// each suffix is solved once (O(n² ) lookups for an n-letter word).
fn best_split(word: &str, known: &dyn Fn(&str) -> bool) -> Option<Vec<String>> {
    let n = word.len();
    let mut best: Vec<Option<Vec<String>>> = vec![None; n + 1];
    for start in (0..n).rev() {
        let rest = &word[start..];
        let mut choice: Option<Vec<String>> = None;
        for cut in (MIN_PART..=rest.len()).rev() {
            let (head, tail) = rest.split_at(cut);
            if !known(head) {
                continue;
            }
            let mut consider = |c: Vec<String>| {
                if choice.as_ref().is_none_or(|b| c.len() < b.len()) {
                    choice = Some(c);
                }
            };
            if tail.is_empty() || ENDINGS.contains(&tail) {
                consider(vec![head.to_string()]);
            }
            let links = std::iter::once("").chain(LINKS.iter().copied());
            for link in links {
                let Some(after) = tail.strip_prefix(link) else {
                    continue;
                };
                if after.is_empty() {
                    continue;
                }
                if let Some(more) = &best[n - after.len()] {
                    let mut c = vec![head.to_string()];
                    c.extend(more.iter().cloned());
                    consider(c);
                }
            }
        }
        best[start] = choice;
    }
    best[0].take()
}

pub use domain::normalize::ascii_umlauts;

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
    fn long_and_repetitive_words_split_quickly() {
        // Each suffix is solved once: ten "banken" (each also "bank" + link "en") stay cheap.
        let parts = split(&"banken".repeat(10), &lexicon).unwrap();
        assert!(parts.iter().all(|p| p == "bank"), "{parts:?}");
        assert_eq!(
            split(&"banken".repeat(20), &lexicon),
            None,
            "longer than any word"
        );
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
