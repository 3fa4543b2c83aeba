//! German words read as English. The catalog's descriptions are English, so a German ICP finds and
//! ranks companies only by what its words mean in English: "Anbieter von Krankenhaussoftware"
//! must rank by "hospital" and "software" as "Hospital software vendors" does, not by its head
//! alone. Two steps:
//! - compounds are split into parts ("Versicherungsgesellschaften" is "Versicherung" + linking
//!   "s" + "Gesellschaft" + plural), fewest parts first, over the parts this module and the
//!   taxonomy know (`split`); a word the taxonomy lists whole is split too, and parts nest;
//! - each part becomes its English words (`data/german_english.tsv`), in order, so
//!   "Haushaltsgeräten" reads "household appliance" for industry matching and for text relevance
//!   alike (`english`).
//!
//! Why a hand-kept table of parts rather than a resource from a registry (measured on the 210
//! words of 10+ letters in the German dev ICPs, `infra/eval/icps.json`):
//! - A decompounding dictionary gives German parts, and a German part ranks nothing against
//!   English descriptions. charabia's German segmenter (crates.io, MIT; its FST is the LGPL word
//!   list of german-decompounder, 31k parts, 142 KB, plus nine required dependencies) would
//!   split 81 of the 210 words where the taxonomy's words split 23 and this table 51, but only
//!   13 more of them get a part with an English meaning, and it also splits "Österreich" as
//!   "Oster" + "reich" and "Bürgerservices" as "Burger" + "services".
//! - No crate ships a German-English word list (crates.io has readers of databases a user must
//!   download). Debian's Ding list (trans-de-en, GPL-2+, 25 MB) knows 279 of this table's 311
//!   parts, but with a median of 4 senses each, and the sense discovery needs is among the first
//!   three for only 186 ("Netz": omentum, apron, grid...): it cannot replace this table.
//!
//! It is a fallback instead, for the English reading of a German text (`with_dictionary`, used by
//! `industry::in_english`: keywords and ranking, labels the reading names, German excluded values):
//! `data/de_en.tsv` (2.2 MB, written by `infra/lexicon/make_de_en.py` from trans-de-en 1.9-6)
//! holds Ding's nouns with the senses whose words the engine's English knows, without the
//! compounds its parts read alike. A word or compound part no hand table lists reads as its
//! English there ("Sägewerk" sawmill, "Bremsbelag" brake lining), whole first, then by its longest
//! known head and its modifier; segment matching keeps to the hand tables (a dictionary sense
//! names segments no table was written for). A word is looked up as the ICP spells it first
//! (`with_spellings`: "Förderung" is no "Forderung", though both fold alike). Measured in
//! `infra/eval/README.md` ("A German-English dictionary from a registry").
//!
//! The hand table holds only word parts that name an industry, a customer domain or what a company
//! is ("Krankenhaus", "Haushalt", "Netz", "Hersteller"), each with the English words company
//! descriptions use; a compound of known parts needs no entry of its own. Beyond the table, rules
//! rather than entries:
//! - a word borrowed from Latin or Greek reads as its English cognate by its regular ending
//!   (`cognates`: "Restrukturierung" restructuring, "Onkologie" oncology, "professionelle"
//!   professional, "Infrastruktur" infrastructure);
//! - a compound with one piece nobody listed keeps its known parts (`english_loose`): for ranking
//!   always ("Gas-förder-unternehmen" ranks by gas), for industries only where its head is known
//!   ("Zahnarzt-software" is software, as German compounds name a kind of their head);
//! - a list item of a German ICP is German even without a small word of its own (`in_language`).
//!
//! (Looked first for splitting: the `decompound` crate (0.3, 2023) takes a word-validity
//! closure like this one but links parts only with "s" and knows no endings, so
//! "Versicherungsgesellschaften" or "Medizinprodukten" would not split.)
use super::tsv;
use super::word_lists::{self, List};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::LazyLock;

/// German word parts and the English words that say the same (`data/german_english.tsv`, folded:
/// `ü` as `u`, `ß` as `ss`). A compound is read as its parts' English words in order
/// ("Krankenhaussoftware" as "hospital software"), so German ICPs rank by the evidence English ones
/// do: the catalog's descriptions are English. Parts only, never whole phrases; a part without an
/// entry stays as it is.
const ENGLISH_TSV: &str = include_str!("../data/german_english.tsv");

/// Words partners put after an industry word: they carry no industry themselves.
pub static HEADS: LazyLock<&[&str]> = LazyLock::new(|| word_lists::words(List::Heads));

/// Letters German puts between the parts of a compound ("Versicherung-s-makler").
const LINKS: &[&str] = &["s", "es", "n", "en", "e", "er"];
/// Endings a word may take at the end of a compound (plural, case).
pub const ENDINGS: &[&str] = &["s", "es", "n", "en", "e", "er", "ern"];
/// Shorter parts make too many false splits ("Bank-ett").
const MIN_PART: usize = 3;
/// A word's first part may be this short where it is a known word ("Öl-feld", "KI-software"):
/// German industry words of two letters begin compounds, and a known piece at the start cannot
/// be a wrong cut inside the word. Later pieces keep `MIN_PART` ("Alkoh-ol" is no oil).
const MIN_FIRST_PART: usize = 2;
/// Longer tokens are no words a partner writes (and would only cost time).
const MAX_WORD: usize = 64;

/// The parts of a compound, fewest first; `None` when the word is not a compound of known parts.
/// `known` says whether a (folded) piece is a lexicon word.
pub fn split(word: &str, known: &dyn Fn(&str) -> bool) -> Option<Vec<String>> {
    if !word.is_ascii() || word.len() < 2 * MIN_PART || word.len() > MAX_WORD {
        return None;
    }
    let parts = best_split(word, known, true)?;
    (parts.len() >= 2).then_some(parts)
}

/// Words that only a German text has (folded): where a text has one, its words that the table
/// knows whole are read in English too ("Möbel", "digitalen"). Without one, only compounds are:
/// an English word that happens to be a German part ("mode", "personal") keeps its meaning.
static GERMAN_WORDS: LazyLock<&[&str]> = LazyLock::new(|| word_lists::words(List::GermanWords));
/// German heads no English text has, alone or ending a compound ("KEP-Dienstleister: Paket,
/// Kurier"): a text with one reads as German even where it has no small German word.
static GERMAN_NOUNS: LazyLock<&[&str]> = LazyLock::new(|| word_lists::words(List::GermanNouns));
/// English words no German text has: an English text naming a German maker ("fashion brands
/// (Kosmetik-Hersteller) selling online") stays English, its "personal care" no staff.
const ENGLISH_SMALL_WORDS: [&str; 12] = [
    "the", "and", "of", "for", "with", "that", "which", "our", "we", "are", "is", "or",
];

/// Whether a folded text reads as German (`GERMAN_WORDS`), or, inside `in_language`, whether the
/// whole text it is part of does.
pub fn reads_german(folded: &str) -> bool {
    reads_german_by(|| folded.to_string())
}

/// `reads_german` for a text made only where no `in_language` scope has fixed the language
/// (joining a long text's tokens for each question would cost as much as reading it).
pub fn reads_german_by(text: impl FnOnce() -> String) -> bool {
    LANGUAGE.with(Cell::get).unwrap_or_else(|| {
        let folded = text();
        let words = || crate::text::words(&folded);
        words().any(|w| GERMAN_WORDS.contains(&w))
            || (words().any(|w| GERMAN_NOUNS.iter().any(|n| w.ends_with(n)))
                && !words().any(|w| ENGLISH_SMALL_WORDS.contains(&w)))
    })
}

thread_local! {
    /// The language `in_language` fixed for the text being read: `Some(true)` for German.
    static LANGUAGE: Cell<Option<bool>> = const { Cell::new(None) };
    /// Whether `with_dictionary` lets the dictionary read words the hand tables do not.
    static DICTIONARY: Cell<bool> = const { Cell::new(false) };
    /// What is left of `LOOSE_WORK` in the outermost `in_language` scope; `None` outside one.
    static LOOSE_LEFT: Cell<Option<usize>> = const { Cell::new(None) };
    /// The words of the text being read that umlauts or "ß" spell (`with_spellings`).
    static SPELLINGS: RefCell<Vec<Spelling>> = const { RefCell::new(Vec::new()) };
}

/// A word as umlauts or "ß" spell it: each letter's folded form and its form in the dictionary's
/// keys ("ö": "o", "ö"; "ß": "ss", "ß"; other letters folded both ways).
type Spelling = Vec<(String, String)>;

/// Runs `f` with the dictionary reading the words of `texts` as they are spelled: folding makes
/// "Förderung" (extraction, funding) "forderung" (a claim), "Zähler" (a counter) "zahler" (a
/// payer). Where folding makes one word of two, the dictionary keys the umlaut's as it is spelled
/// (`infra/lexicon/make_de_en.py`: "förderung"), and a folded word or compound part of these
/// texts looks that key up first, then the folded one.
pub fn with_spellings<R>(texts: &[&str], f: impl FnOnce() -> R) -> R {
    let spellings: Vec<Spelling> = texts
        .iter()
        .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().any(|c| "äöüÄÖÜß".contains(c)))
        .map(|w| {
            w.chars()
                .map(|c| {
                    let folded = domain::normalize::fold(&c.to_string());
                    let key = match c.to_lowercase().next() {
                        Some(l @ ('ä' | 'ö' | 'ü' | 'ß')) => l.to_string(),
                        _ => folded.clone(),
                    };
                    (folded, key)
                })
                .collect()
        })
        .collect();
    super::scoped::with(&SPELLINGS, spellings, f)
}

/// The dictionary key of a folded word or compound part as the text being read spells it
/// (`with_spellings`): "forderung" of "Gasförderung" is "förderung". `None` where no word of
/// the text spells it with an umlaut or "ß".
fn spelled(part: &str) -> Option<String> {
    SPELLINGS.with(|s| {
        s.borrow().iter().find_map(|word| {
            // Each letter's start in the folded word; a part starts and ends at a letter's.
            let folded: String = word.iter().map(|(f, _)| f.as_str()).collect();
            let mut starts = Vec::with_capacity(word.len() + 1);
            let mut at = 0;
            for (f, _) in word {
                starts.push(at);
                at += f.len();
            }
            starts.push(at);
            folded.match_indices(part).find_map(|(i, _)| {
                let from = starts.iter().position(|&s| s == i)?;
                let to = starts.iter().position(|&s| s == i + part.len())?;
                let key: String = word[from..to].iter().map(|(_, k)| k.as_str()).collect();
                (key != part).then_some(key)
            })
        })
    })
}

/// Runs `f` with the dictionary (`data/de_en.tsv`) reading the words and compound parts the hand
/// tables and the taxonomy do not: for a German text's English reading (`industry::in_english`),
/// whose words rank as its English translation's would. Segment matching reads the hand tables
/// only: a dictionary sense would name segments the ICP does not mean ("Sanitärausstattung":
/// sanitary appliances, household products).
pub fn with_dictionary<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            DICTIONARY.with(|d| d.set(self.0));
        }
    }
    let _restore = Restore(DICTIONARY.with(|d| d.replace(true)));
    f()
}

/// How words are being read now: the language `in_language` fixed and whether `with_dictionary`
/// is on; a reading cached for one word (`industry::with_word_memo`) holds only under the same.
pub(crate) fn reading_mode() -> (Option<bool>, bool) {
    (LANGUAGE.with(Cell::get), DICTIONARY.with(Cell::get))
}

/// Runs `f` with every piece of text read in the language of the whole: an ICP's list item or
/// need ("professionelle Dienstleister") has no small word to tell its language by, but is as
/// German as the ICP it comes from ("Beratungsfirmen und professionelle Dienstleister").
///
/// The outermost scope also bounds the loose readings of its text (`LOOSE_WORK`).
pub fn in_language<R>(german: bool, f: impl FnOnce() -> R) -> R {
    struct Restore {
        language: Option<bool>,
        outermost: bool,
    }
    impl Drop for Restore {
        fn drop(&mut self) {
            LANGUAGE.with(|l| l.set(self.language));
            if self.outermost {
                LOOSE_LEFT.with(|l| l.set(None));
            }
        }
    }
    let outermost = LOOSE_LEFT.with(|l| l.get().is_none());
    if outermost {
        LOOSE_LEFT.with(|l| l.set(Some(LOOSE_WORK)));
    }
    let _restore = Restore {
        language: LANGUAGE.with(|l| l.replace(Some(german))),
        outermost,
    };
    f()
}

/// The splits `english_loose` may try while one text is read (`in_language`). A long word of
/// pieces nobody listed costs hundreds of them, so a 5,000-character ICP of made-up words would
/// otherwise take seconds of CPU (4.7 s for 2,000 characters before this bound, about 0.1 ms a
/// split). The most an eval ICP uses is 7,951 (dev; held-out at most 4,272).
const LOOSE_WORK: usize = 12_000;

/// Takes one split from the text's `LOOSE_WORK`; false once it is spent. Outside `in_language`
/// (one word read on its own) nothing is counted.
fn spend_loose_work() -> bool {
    LOOSE_LEFT.with(|l| match l.get() {
        None => true,
        Some(0) => false,
        Some(n) => {
            l.set(Some(n - 1));
            true
        }
    })
}

fn table() -> &'static HashMap<&'static str, &'static str> {
    static T: LazyLock<HashMap<&str, &str>> = LazyLock::new(|| {
        // The file is compiled in, and `the_german_files_parse_whole` parses all of it.
        #[allow(clippy::expect_used)]
        let rows =
            tsv::rows(ENGLISH_TSV, ["german", "english"]).expect("data/german_english.tsv parses");
        rows.into_iter().map(|[de, en]| (de, en)).collect()
    });
    &T
}

/// Whether a (folded) piece is a part this module translates, itself or as the doer of a part
/// (`agent_entry`).
pub fn is_part(piece: &str) -> bool {
    table().contains_key(piece)
        || agent_entry(piece).is_some()
        || elided_entry(piece).is_some()
        || latin_plural_entry(piece).is_some()
}

/// A plural in "-en" of a noun in "-um", as German forms those taken from Latin ("Zentren" of
/// "Zentrum", "Ministerien" of "Ministerium", "Laboratorien"): the plural reads as its singular.
fn latin_plural_entry(piece: &str) -> Option<&'static str> {
    let stem = piece.strip_suffix("en").filter(|s| s.len() >= MIN_PART)?;
    entry(&format!("{stem}um"))
}

/// Shorter pieces are too often cut wrongly to be read as a word without its "-e".
const MIN_ELIDED: usize = 4;

/// A first part that drops its final "-e" in a compound ("Schul-software" of "Schule",
/// "Sprach-schule" of "Sprache", "Kirch-turm" of "Kirche"): German shortens these words so, and
/// the part reads as the whole word does.
fn elided_entry(piece: &str) -> Option<&'static str> {
    if piece.len() < MIN_ELIDED || piece.ends_with('e') {
        return None;
    }
    entry(&format!("{piece}e"))
}

/// Goods a "-händler" sells as a dealer (`word_lists.tsv`'s `dealer_goods`).
static DEALER_GOODS: LazyLock<&[&str]> = LazyLock::new(|| word_lists::words(List::DealerGoods));

/// Modifiers of a "-händler" that trade with businesses (`word_lists.tsv`'s `distributor_goods`).
static DISTRIBUTOR_GOODS: LazyLock<&[&str]> =
    LazyLock::new(|| word_lists::words(List::DistributorGoods));

/// The folded German heads of trade, the doer ("Händler") and the trade ("Handel"), with the
/// English word the tables give each and the words English says instead by what is traded: of
/// vehicles and machines, of goods to businesses, of other goods.
const TRADES: [(&str, &str, [&str; 3]); 2] = [
    ("handler", "dealer", ["dealer", "distributor", "retailer"]),
    ("handel", "trade", ["dealers", "distribution", "retail"]),
];

/// A compound's English words with its "-händler" or "-handel" read by what it sells: English
/// says "dealer" of vehicles and machines ("Kfz-händler" car dealer, "Landmaschinenhändler") and
/// "retailer" of other goods ("Modehändler" fashion retailer, "Schuhhändler", "Lebensmittelhandel"
/// food retail), but "distributor" where it trades with businesses ("Industriehändler" industrial
/// distributor, "Stahlhandel" steel distribution). `parts` are the compound's German parts,
/// `english` their English words in order.
fn trader_by_goods(parts: &[String], mut english: Vec<String>) -> Vec<String> {
    let Some((last, modifiers)) = parts.split_last() else {
        return english;
    };
    let trade = TRADES.iter().find(|(head, _, _)| {
        std::iter::once(last.as_str())
            .chain(ENDINGS.iter().filter_map(|e| last.strip_suffix(e)))
            .any(|w| w == *head)
    });
    let Some((_, read, [dealer, distributor, retailer])) = trade else {
        return english;
    };
    if modifiers.is_empty() {
        return english;
    }
    let sells = |goods: &[&str]| {
        modifiers
            .iter()
            .map(String::as_str)
            .chain(english.iter().map(String::as_str))
            .any(|w| goods.contains(&w))
    };
    let word = if sells(*DEALER_GOODS) {
        dealer
    } else if sells(*DISTRIBUTOR_GOODS) {
        distributor
    } else {
        retailer
    };
    if let Some(l) = english.iter_mut().rev().find(|w| w == read) {
        *l = word.to_string();
    }
    english
}

/// The English words of one folded German word: a compound's parts in order, each as its English
/// words or as itself when the table has none ("krankenhaussoftware": "hospital", "software";
/// "medizintechnikunternehmen": "medizintechnik", "unternehmen"); a word the table knows whole
/// (with an ending: "digitalen") only when `german` says the text is German. `None` when the
/// word is neither. `known` says which other pieces are words (the taxonomy's, `HEADS`).
pub fn english(word: &str, known: &dyn Fn(&str) -> bool, german: bool) -> Option<Vec<String>> {
    let ascii = ascii_umlauts(word);
    std::iter::once(word)
        .chain(ascii.as_deref())
        .find_map(|w| english_of(w, known, german, 0))
}

/// Compounds nest ("Mobilfunk-netzbetreiber", "Speicher-chiphersteller"): parts the table lacks
/// are read again as compounds, this deep.
const MAX_NESTING: usize = 3;

fn english_of(
    w: &str,
    known: &dyn Fn(&str) -> bool,
    german: bool,
    depth: usize,
) -> Option<Vec<String>> {
    if german && DICTIONARY_FIRST && !is_listed(w, known) {
        if let Some(e) = looked_up(w) {
            return Some(e);
        }
    }
    if german {
        if let Some(e) = translated(w) {
            return Some(e);
        }
    }
    // "-mittel" at the end names a means for what its modifier says ("Düngemittel" fertilizer,
    // "Pflanzenschutzmittel" crop protection) and adds nothing of its own; elsewhere it is
    // another word ("mittelständisch", "mittelgroß"), so it is no part of the table.
    if let Some(means) = means_of(w, known, depth) {
        return Some(means);
    }
    // A word the taxonomy knows whole ("haushaltsgerate", "chiphersteller") is a compound too:
    // only pieces shorter than the word (and its ending) cover it, unless the table has them.
    // A piece whose English cognate the taxonomy knows ("Onkologie": oncology) is a part too.
    let any = |p: &str| {
        // "-mittel" inside a compound ("Pflanzenschutz-mittel-hersteller"), not at its start.
        (p == MEANS && !w.starts_with(MEANS))
            || is_part(p)
            || (known(p) && !(w.starts_with(p) && w.len() <= p.len() + MAX_ENDING))
            || (p.len() < w.len() && cognates(p).iter().any(|c| known(c)))
    };
    let parts = split(w, &any);
    // A word the dictionary has whole keeps the meaning its parts do not say ("Sägewerk" is a
    // sawmill, not "Säge" + "Werk"; the dictionary leaves out compounds its parts read alike):
    // before the tables' split, and for a word the taxonomy lists whole only where that split
    // reads it anyway (else it stays itself: "Unternehmen").
    // The tables know a word when they translate each of its parts; a split that leaves a
    // taxonomy piece as it is ("sage") reads less than the dictionary's whole word.
    let weak = parts
        .as_ref()
        .is_some_and(|ps| ps.iter().any(|p| p != MEANS && translated(p).is_none()));
    let whole_first = match ORDER {
        Order::TablesFirst => false,
        Order::WholeBeforeWeakSplit => weak,
        Order::WholeBeforeSplit => parts.is_some(),
    };
    // A head whose sense its modifier decides ("Baumarkt" a DIY store, "Kapitalmarkt" a market)
    // reads the dictionary's whole word, for segments too: the tables' parts would name another
    // trade ("Bau-markt" construction). A word the taxonomy lists whole is its segment's already
    // ("Haushaltsgeräte" household appliances, not the dictionary's "white goods").
    if german && parts.as_deref().is_some_and(sense_by_modifier) && !is_listed(w, known) {
        if let Some(e) = whole_sense(w).or_else(|| parts.as_deref().and_then(store_sense)) {
            return Some(e);
        }
    }
    if german && (whole_first || spelled_apart(w)) {
        if let Some(e) = looked_up(w) {
            return Some(e);
        }
    }
    let Some(parts) = parts else {
        if !german {
            return None;
        }
        // A word or compound the hand tables do not cover: the dictionary's, whole first
        // ("Sägewerk"), then over its parts ("Aluminium-hütte").
        // A word the taxonomy lists whole stays itself ("Unternehmen") unless it is a compound
        // (the dictionary reads it by parts too: "Sägewerk" a sawmill, not "Säge" + "Werk").
        let by_parts = dictionary_split(w, known);
        // (Read once: a long word's loose reading is the costliest step.)
        let loose = if by_parts.is_none() {
            english_loose(w, known, true)
        } else {
            None
        };
        let compound = by_parts.is_some() || loose.is_some();
        let whole = (compound || !is_listed(w, known))
            .then(|| looked_up(w))
            .flatten();
        if let Some(e) = whole.or(by_parts) {
            return Some(e);
        }
        // A compound whose head is known but one modifier is not ("Zahnarzt-software") is still
        // a kind of its head, as German compounds are.
        if loose.is_some() {
            return loose;
        }
        // A German word no table lists may still be an English word in German spelling
        // ("Restrukturierung", "professionelle", "Elektrizität").
        let c = cognates(w);
        return (!c.is_empty()).then_some(c);
    };
    let last = parts.len().saturating_sub(1);
    let mut english: Vec<String> = parts
        .iter()
        .enumerate()
        .flat_map(|(at, p)| {
            if p == MEANS {
                return Vec::new();
            }
            let head = parts.get(last).map_or("", String::as_str);
            if let Some(sense) = (at < last).then(|| sense_before(p, head)).flatten() {
                return sense;
            }
            translated(p)
                .or_else(|| {
                    (depth < MAX_NESTING)
                        .then(|| english_of(p, known, false, depth + 1))
                        .flatten()
                })
                .or_else(|| Some(cognates(p)).filter(|c| !c.is_empty()))
                // A part the hand tables do not translate and the taxonomy does not list.
                .or_else(|| {
                    (DICTIONARY_PARTS && !known(p))
                        .then(|| looked_up(p))
                        .flatten()
                })
                .unwrap_or_else(|| vec![p.clone()])
        })
        .collect();
    // Parts that say one word twice say it once ("Autoteile-zulieferer": auto parts supplier).
    english.dedup();
    Some(trader_by_goods(&parts, english))
}

/// Parts whose sense as a compound's modifier is not the one the table gives them as its head:
/// "Beratungs-leistung" is consulting services, "Leistungs-elektronik" power electronics and
/// "Hochleistungs-keramik" high-performance ceramics; "Privatkunden" are retail customers, a
/// "Privatkunden-bank" a retail bank.
const MODIFIER_SENSES: &[(&str, &str)] = &[
    ("leistung", "power"),
    ("hochleistung", "high power"),
    ("privatkunde", "retail"),
    ("privatkunden", "retail"),
];

/// A modifier's own sense (`MODIFIER_SENSES`), also with a linking "-s" or an ending.
fn modifier_sense(part: &str) -> Option<Vec<String>> {
    std::iter::once(part)
        .chain(ENDINGS.iter().filter_map(|e| part.strip_suffix(e)))
        .find_map(|p| MODIFIER_SENSES.iter().find(|(de, _)| *de == p))
        .map(|(_, en)| en.split_whitespace().map(String::from).collect())
}

/// A modifier's sense before `head`: its own (`modifier_sense`), or an insurance claim for
/// "Schaden-". Before an insurer or an insurance "Schaden-" names the property line
/// ("Schadenversicherer", P&C), before any other head the claim ("Schadenmanagement",
/// "Schadenregulierung", "Schadenautomatisierung"), not the table's property damage.
fn sense_before(part: &str, head: &str) -> Option<Vec<String>> {
    let claim = ["schaden", "schadens"].contains(&part) && !head.starts_with("versicher");
    modifier_sense(part).or_else(|| claim.then(|| vec!["claims".to_string()]))
}

/// Heads whose sense their modifier decides: "-markt" names a store of goods ("Baumarkt" a DIY
/// superstore, "Getränkemarkt", "Abholmarkt" a retail outlet) or an economic market
/// ("Kapitalmarkt", "Rohstoffmarkt", "Arbeitsmarkt"), "-gerät" a household appliance
/// ("Küchengerät") or an instrument or device ("Prüfgerät" a test instrument, "Messgerät",
/// "Kommunikationsgerät"), and the tables' part-by-part reading ("test appliance") cannot tell
/// which.
const SENSE_BY_MODIFIER: &[&str] = &["markt", "gerat"];

/// Whether a split compound ends in a head of `SENSE_BY_MODIFIER` (with an ending: "Baumärkte"):
/// then the dictionary's whole word, where it lists one, says which sense the compound has.
fn sense_by_modifier(parts: &[String]) -> bool {
    let Some((head, modifiers)) = parts.split_last() else {
        return false;
    };
    !modifiers.is_empty()
        && std::iter::once(head.as_str())
            .chain(ENDINGS.iter().filter_map(|e| head.strip_suffix(e)))
            .any(|h| SENSE_BY_MODIFIER.contains(&h))
}

/// The dictionary's whole word for a compound of `sense_by_modifier`, also outside
/// `with_dictionary`: its rows for these heads name the kind of store, market or device, nothing
/// else.
fn whole_sense(w: &str) -> Option<Vec<String>> {
    if GERMAN_WORDS.contains(&w) {
        return None;
    }
    dictionary_words(w)
}

/// German heads of a shop's name ("Fach-geschäft", "Schuh-laden"), folded.
const SHOP_HEADS: &[&str] = &["geschaft", "laden"];

/// English words of the dictionary's rows for shops: a row of a shop head names a shop with one.
const SHOP_WORDS: &[&str] = &["shop", "store", "dealer", "outlet", "stockist"];

/// The reading of a "-markt" compound the dictionary does not list whole, as a store where its
/// modifier names what shops sell: the dictionary lists a shop of it ("Fachmarkt" beside
/// "Fachgeschäft", a specialist dealer: a specialty store, not a specialty market). The
/// modifier's English words, then "store"; `None` where no shop of the modifier is listed (an
/// economic market: "Energiemarkt"). The shop must sell the modifier's goods by the modifier's
/// own English word ("Möbelgeschäft", a furniture shop): a shop of other goods (a
/// "Papiergeschäft" is a stationery shop) leaves the compound a market of its goods
/// ("Papiermarkt": the paper market).
fn store_sense(parts: &[String]) -> Option<Vec<String>> {
    let (head, modifiers) = parts.split_last()?;
    if !std::iter::once(head.as_str())
        .chain(ENDINGS.iter().filter_map(|e| head.strip_suffix(e)))
        .any(|h| h == "markt")
    {
        return None;
    }
    let modifier = modifiers.concat();
    let mut out: Vec<String> = modifiers
        .iter()
        .flat_map(|p| {
            translated(p)
                .or_else(|| Some(cognates(p)).filter(|c| !c.is_empty()))
                .unwrap_or_else(|| vec![p.clone()])
        })
        .collect();
    // The modifier's English words, by the tables and the dictionary ("Schuh": footwear, shoe).
    let goods: Vec<String> = out
        .iter()
        .cloned()
        .chain(dictionary_words(&modifier).unwrap_or_default())
        .collect();
    let shop = SHOP_HEADS.iter().any(|h| {
        dictionary_row(&format!("{modifier}{h}")).is_some_and(|e| {
            let words: Vec<&str> = e.split_whitespace().collect();
            words.iter().any(|w| SHOP_WORDS.contains(w))
                && words
                    .iter()
                    .any(|w| !SHOP_WORDS.contains(w) && goods.iter().any(|g| same_goods(g, w)))
        })
    });
    if !shop {
        return None;
    }
    out.push("store".to_string());
    Some(out)
}

/// Whether a shop's English word names the goods of a modifier's English word: one begins with
/// the other ("book", "bookshop"), or both begin with the same stem of 7+ letters ("specialty",
/// "specialized"; "electrical", "electric").
fn same_goods(goods: &str, word: &str) -> bool {
    const MIN_WORD: usize = 4;
    const MIN_STEM: usize = 7;
    if goods.len() < MIN_WORD || word.len() < MIN_WORD {
        return goods == word;
    }
    let common = goods
        .chars()
        .zip(word.chars())
        .take_while(|(a, b)| a == b)
        .count();
    common == goods.len().min(word.len()) || common >= MIN_STEM
}

/// Whether the taxonomy lists a word whole, itself or with an ending: it then stays itself.
pub(crate) fn is_listed(w: &str, known: &dyn Fn(&str) -> bool) -> bool {
    known(w) || ENDINGS.iter().any(|e| w.strip_suffix(e).is_some_and(known))
}

/// Whether compound parts are read by the dictionary too, not only whole words.
const DICTIONARY_PARTS: bool = true;

/// Where the dictionary's whole word comes against the hand tables' split of a word neither
/// lists whole (each measured in `infra/eval/README.md`).
#[allow(dead_code)]
enum Order {
    /// The tables' split always first.
    TablesFirst,
    /// The dictionary's whole word first where the split leaves a part untranslated.
    WholeBeforeWeakSplit,
    /// The dictionary's whole word first ("Netzbetreiber": network carrier).
    WholeBeforeSplit,
}

const ORDER: Order = Order::WholeBeforeWeakSplit;

/// Whether the dictionary reads a German word before the hand tables (measured both ways in
/// `infra/eval/README.md`): the hand tables first keep their industry readings.
const DICTIONARY_FIRST: bool = false;

/// The folded German head of a means ("Dünge-mittel", "Pflanzenschutz-mittel").
const MEANS: &str = "mittel";

/// The English words of a compound in "-mittel" (with an ending): its modifier's, read as a
/// word of its own ("Düngemittel" as "Dünge", "Pflanzenschutzmitteln" as "Pflanzenschutz"),
/// where the table or a split reads it. A word the table lists whole ("Lebensmittel") is read
/// before this.
fn means_of(w: &str, known: &dyn Fn(&str) -> bool, depth: usize) -> Option<Vec<String>> {
    if depth >= MAX_NESTING {
        return None;
    }
    let stem = std::iter::once(w)
        .chain(ENDINGS.iter().filter_map(|e| w.strip_suffix(e)))
        .find_map(|s| s.strip_suffix(MEANS))
        .filter(|s| s.len() >= MIN_PART)?;
    let stems = std::iter::once(stem).chain(LINKS.iter().filter_map(|l| stem.strip_suffix(l)));
    for s in stems.filter(|s| s.len() >= MIN_PART) {
        if let Some(e) = translated(s).or_else(|| english_of(s, known, false, depth + 1)) {
            return Some(e);
        }
    }
    None
}

/// German endings of words borrowed from Latin and Greek, and their English spelling: these
/// words are regular across the two languages ("Logistik" logistics, "Onkologie" oncology,
/// "professionell" professional, "Infrastruktur" infrastructure), so a German word that no table
/// lists still reads as the English word company descriptions use. Longest first.
static SUFFIXES: LazyLock<Vec<(&str, Vec<&str>)>> = LazyLock::new(|| {
    // The file is compiled in, and `the_german_files_parse_whole` parses all of it.
    #[allow(clippy::expect_used)]
    let rows = suffix_rows(SUFFIXES_TSV).expect("data/german_suffixes.tsv parses");
    rows
});

const SUFFIXES_TSV: &str = include_str!("../data/german_suffixes.tsv");

/// The endings of a suffix file and their English spellings, in its order.
fn suffix_rows(tsv: &str) -> Result<Vec<(&str, Vec<&str>)>, String> {
    tsv::rows(tsv, ["german", "english"]).map(|rows| {
        rows.into_iter()
            .map(|[de, en]| (de, en.split_whitespace().collect()))
            .collect()
    })
}

/// The English spellings of a folded German word by the regular correspondences of `SUFFIXES`
/// and of German "k" and "z" for English "c" ("Komponente" component, "Medizin" medicin-,
/// "Sektor" sector). Empty when no ending corresponds or the spelling is the same: a German word
/// then stays as it is. Inflection endings are dropped first ("klinischer", "professionelle").
pub fn cognates(w: &str) -> Vec<String> {
    // Country names are hard filters, never keywords ("Australien" is no "australy"), and small
    // words are no loans ("sowie").
    if GERMAN_WORDS.contains(&w) || domain::normalize::country(w).len() == 2 {
        return Vec::new();
    }
    let stems = std::iter::once(w).chain(ENDINGS.iter().filter_map(|e| w.strip_suffix(e)));
    for stem in stems.filter(|s| s.len() >= MIN_COGNATE) {
        let Some((de, en)) = SUFFIXES.iter().find(|(de, _)| stem.ends_with(de)) else {
            continue;
        };
        // "-ell" is English "-al" after these letters ("professionell", "industriell",
        // "manuell", "generell"), not in "Hersteller" or "Modell".
        if *de == "ell" && !stem[..stem.len() - 3].ends_with(['i', 'u', 'n', 'r']) {
            continue;
        }
        // "-ie" is English "-y" after these letters ("Technologie", "Industrie", "Strategie",
        // "Therapie", "Akademie"); place names in "-ien" take others ("Australien", "Indien").
        if *de == "ie" && !stem[..stem.len() - 2].ends_with(['g', 'r', 't', 'm', 'p', 'h']) {
            continue;
        }
        let base = &stem[..stem.len() - de.len()];
        let out: Vec<String> = en
            .iter()
            .map(|e| c_spelling(&format!("{base}{e}")))
            .filter(|c| c != w)
            .collect();
        if !out.is_empty() {
            return out;
        }
    }
    Vec::new()
}

/// Shorter stems are too often German words of their own ("Tor", "Kur").
const MIN_COGNATE: usize = 5;

/// German "k" and "z" where English writes "c": "k" except before e, i, y (soft in English) and
/// after "c"; "z" before e, i, y.
fn c_spelling(stem: &str) -> String {
    let b = stem.as_bytes();
    let mut out = String::with_capacity(stem.len());
    for (i, &ch) in b.iter().enumerate() {
        let next = b.get(i + 1).copied();
        let soft = matches!(next, Some(b'e' | b'i' | b'y'));
        let after_c = i > 0 && b[i - 1] == b'c';
        match ch {
            b'k' if !soft && !after_c => out.push('c'),
            b'z' if soft => out.push('c'),
            _ => out.push(ch as char),
        }
    }
    out
}

/// Longer words are not tried loosely (each try is quadratic in the word's length).
const MAX_LOOSE: usize = 40;
/// An unknown piece shorter than this is more likely a wrong cut than a word.
const MIN_UNKNOWN: usize = 4;
/// A head that decides the industry beside an unknown piece is at least this long: short parts
/// are often cut wrongly and mean many things ("Pferderenn-bahn" is a racetrack, not a railway).
const MIN_HEAD: usize = 5;

/// The English words of a German compound with one piece nobody listed ("Gas-förder-unternehmen",
/// "Ladeinfrastruktur", "Vergleichsportale"): the known parts read in English as in `english`, the
/// unknown piece stays as it is; the shortest unknown piece wins. `head_known` asks for a known
/// last part (the head, which says what kind of company a German compound names): what industry
/// matching may use, where an unknown head would leave a modifier to pick the segment. `None`
/// when no part is known.
pub fn english_loose(
    word: &str,
    known: &dyn Fn(&str) -> bool,
    head_known: bool,
) -> Option<Vec<String>> {
    let w = ascii_umlauts(word).unwrap_or_else(|| word.to_string());
    let n = w.len();
    if !w.is_ascii() || !(MIN_UNKNOWN + MIN_PART..=MAX_LOOSE).contains(&n) {
        return None;
    }
    let part = |p: &str| is_part(p) || known(p) || cognates(p).iter().any(|c| known(c));
    // Only the piece before the unknown one begins the word (`MIN_FIRST_PART`).
    let cover = |piece: &str, first: bool| -> Option<Vec<String>> {
        if piece.is_empty() {
            Some(Vec::new())
        } else {
            best_split(piece, &part, first)
        }
    };
    for len in MIN_UNKNOWN..=n - MIN_PART {
        for start in 0..=n - len {
            if !spend_loose_work() {
                return None;
            }
            let (before, rest) = w.split_at(start);
            let (unknown, after) = rest.split_at(len);
            let (Some(a), Some(b)) = (cover(before, true), cover(after, false)) else {
                continue;
            };
            let short_head = b.last().is_none_or(|h| h.len() < MIN_HEAD);
            if (a.is_empty() && b.is_empty()) || (head_known && short_head) {
                continue;
            }
            // A head cut out of a longer word that begins inside the unknown piece
            // ("Gastge-werbe" of "Gast-gewerbe": trade, not advertising) is no head: the
            // longer word is, and this cut loses to a reading that keeps it.
            if let [head] = b.as_slice() {
                if cut_from_longer(unknown, head) {
                    continue;
                }
            }
            let english_of_part = |p: &String| {
                translated(p)
                    .or_else(|| Some(cognates(p)).filter(|c| !c.is_empty()))
                    .unwrap_or_else(|| vec![p.clone()])
            };
            let mut out: Vec<String> = a.iter().flat_map(english_of_part).collect();
            out.push(unknown.to_string());
            out.extend(b.iter().flat_map(english_of_part));
            return Some(out);
        }
    }
    None
}

/// Whether `head` is the end of a longer word that the dictionary lists, begun by the last
/// letters of `unknown` (the piece before it): "werbe" after "gastge" is the end of "gewerbe".
/// The dictionary is asked whether the word exists, also outside `with_dictionary`.
fn cut_from_longer(unknown: &str, head: &str) -> bool {
    (1..unknown.len()).any(|k| {
        unknown.is_char_boundary(unknown.len() - k)
            && dictionary_row(&format!("{}{head}", &unknown[unknown.len() - k..]))
                .is_some_and(|e| !e.is_empty())
    })
}

/// The longest of `ENDINGS`.
const MAX_ENDING: usize = 3;

/// A word's English words from the table, itself or without an ending ("produzenten").
fn translated(w: &str) -> Option<Vec<String>> {
    let mut stems = std::iter::once(w).chain(
        ENDINGS
            .iter()
            .filter_map(|e| w.strip_suffix(e).filter(|stem| stem.len() >= MIN_PART)),
    );
    let e = stems
        .clone()
        .find_map(entry)
        .or_else(|| stems.clone().find_map(agent_entry))
        .or_else(|| stems.find_map(elided_entry))
        .or_else(|| latin_plural_entry(w))?;
    // An empty entry: a part that says nothing ("-konzern").
    Some(e.split_whitespace().map(String::from).collect())
}

fn entry(w: &str) -> Option<&'static str> {
    table().get(w).copied()
}

/// German nouns and their English words from Ding's German-English dictionary (Debian's
/// `trans-de-en`, GPL-2+), filtered to the senses whose words the engine's English reading knows
/// (`data/de_en.tsv`, written by `infra/lexicon/make_de_en.py`). A fallback for words and
/// compound parts that neither the hand table nor the taxonomy lists ("Sägewerk": sawmill,
/// "Zellstoff": pulp, "Bremsbelag": brake pad); the hand table keeps its industry readings.
const DICTIONARY_TSV: &str = include_str!("../data/de_en.tsv");

fn dictionary() -> &'static HashMap<&'static str, &'static str> {
    static D: LazyLock<HashMap<&str, &str>> = LazyLock::new(|| {
        // The file is compiled in, and `the_german_files_parse_whole` parses all of it.
        #[allow(clippy::expect_used)]
        let rows = tsv::rows(DICTIONARY_TSV, ["german", "english"]).expect("data/de_en.tsv parses");
        rows.into_iter().map(|[de, en]| (de, en)).collect()
    });
    &D
}

/// Dictionary parts are at least this long: shorter ones cut words wrongly ("Bank-ett").
const MIN_DICTIONARY_PART: usize = 4;

/// A word's English words from the dictionary, itself or without an ending ("Sägewerke"). Never a
/// country ("Österreich" is a hard filter) or a small German word.
fn looked_up(w: &str) -> Option<Vec<String>> {
    if !DICTIONARY.with(Cell::get)
        || w.len() < MIN_DICTIONARY_PART
        || GERMAN_WORDS.contains(&w)
        || domain::normalize::country(w).len() == 2
    {
        return None;
    }
    dictionary_words(w)
}

/// A word's English words in the dictionary: as the text spells it first ("Förderung" is no
/// "Forderung"), then folded; `None` for an empty row.
fn dictionary_words(w: &str) -> Option<Vec<String>> {
    let e = spelled(w)
        .and_then(|k| dictionary_row(&k))
        .or_else(|| dictionary_row(w))?;
    let words: Vec<String> = e.split_whitespace().map(String::from).collect();
    (!words.is_empty()).then_some(words)
}

/// A word's row in the dictionary, itself or without an ending. A form of a verb or adjective
/// that an ending would read as a noun has an empty row ("wollen" is no "Wolle"), as has a noun
/// kept apart by its umlaut without a sense ("förderung" reads nothing rather than "forderung").
fn dictionary_row(w: &str) -> Option<&'static str> {
    match dictionary().get(w) {
        Some(e) => Some(*e),
        None => ENDINGS
            .iter()
            .filter_map(|e| w.strip_suffix(e).filter(|s| s.len() >= MIN_DICTIONARY_PART))
            .find_map(|s| dictionary().get(s).copied().filter(|e| !e.is_empty())),
    }
}

/// The dictionary's English for a folded German word or compound part, also where `english`
/// reads it as itself because the taxonomy or the language's word list has it ("Süßwaren", a
/// German word of the food segment: confectionery). For what an excluded value names
/// (`industry::in_english_by_dictionary`); wanted segments read the hand tables
/// (`with_dictionary`).
pub fn dictionary_sense(part: &str) -> Option<Vec<String>> {
    if part.len() < MIN_DICTIONARY_PART || domain::normalize::country(part).len() == 2 {
        return None;
    }
    dictionary_words(part)
}

/// Whether the dictionary has `w` whole as the text spells it, where folding makes it another
/// word ("Wälzlager", rolling bearings, folds as "Walzlager"): then the folded word's split
/// ("Walz" + "Lager") reads another word, and the dictionary's whole word comes first.
fn spelled_apart(w: &str) -> bool {
    DICTIONARY.with(Cell::get)
        && spelled(w).is_some_and(|k| dictionary_row(&k).is_some_and(|e| !e.is_empty()))
}

/// The English words of a compound that the hand table and the taxonomy do not cover, read as
/// German compounds are built: its longest known head ("Konsumenten-kreditgeber", not
/// "Konsumentenkredit-geber") after a modifier read the same way ("Bremsbelag-hersteller":
/// brake lining, maker). Head and modifier are read by the hand table where it has them, else by
/// the dictionary; a piece the taxonomy lists stays itself. `None` unless a dictionary piece is
/// read and every piece is.
fn dictionary_split(w: &str, known: &dyn Fn(&str) -> bool) -> Option<Vec<String>> {
    if !DICTIONARY_PARTS || w.len() > MAX_LOOSE {
        return None;
    }
    dictionary_reading(w, known, 0, &mut HashMap::new())
        .filter(|(_, used)| *used)
        .map(|(e, _)| e)
}

/// A reading of `dictionary_reading` and whether it used the dictionary.
type Reading = Option<(Vec<String>, bool)>;

/// `dictionary_split`'s reading of `w` and whether it used the dictionary; `w` whole counts
/// where it is a word (`depth > 0`: a modifier or a head). Modifiers are prefixes of one word,
/// each read once per depth (`memo`), so a long word costs O(n²) lookups per depth.
fn dictionary_reading(
    w: &str,
    known: &dyn Fn(&str) -> bool,
    depth: usize,
    memo: &mut HashMap<(usize, usize), Reading>,
) -> Reading {
    if let Some(r) = memo.get(&(w.len(), depth)) {
        return r.clone();
    }
    let r = read_compound(w, known, depth, memo);
    memo.insert((w.len(), depth), r.clone());
    r
}

fn read_compound(
    w: &str,
    known: &dyn Fn(&str) -> bool,
    depth: usize,
    memo: &mut HashMap<(usize, usize), Reading>,
) -> Reading {
    if depth > 0 {
        if let Some(e) = whole_reading(w, known) {
            return Some(e);
        }
    }
    if depth >= MAX_NESTING || w.len() < MIN_PART + MIN_DICTIONARY_PART {
        return None;
    }
    // Longest head first: the head decides what the compound is.
    for start in MIN_PART..=w.len() - MIN_DICTIONARY_PART {
        if !w.is_char_boundary(start) {
            continue;
        }
        let (modifier, head) = w.split_at(start);
        // "-mittel" says nothing beyond its modifier (`means_of`).
        let means = std::iter::once(head)
            .chain(ENDINGS.iter().filter_map(|e| head.strip_suffix(e)))
            .any(|h| h == MEANS);
        let reading = if means {
            Some((Vec::new(), false))
        } else {
            whole_reading(head, known)
        };
        let Some((head_en, head_dict)) = reading else {
            continue;
        };
        let modifiers = std::iter::once(modifier)
            .chain(LINKS.iter().filter_map(|l| modifier.strip_suffix(l)))
            .filter(|m| m.len() >= MIN_PART);
        for m in modifiers {
            let own = sense_before(m, head).map(|e| (e, false));
            if let Some((mut e, mod_dict)) =
                own.or_else(|| dictionary_reading(m, known, depth + 1, memo))
            {
                let parts = [m.to_string(), head.to_string()];
                e.extend(head_en);
                return Some((trader_by_goods(&parts, e), head_dict || mod_dict));
            }
        }
    }
    None
}

/// A piece read whole: by the hand table, as itself where the taxonomy lists it, or by the
/// dictionary (then `true`).
fn whole_reading(w: &str, known: &dyn Fn(&str) -> bool) -> Reading {
    if let Some(e) = translated(w) {
        return Some((e, false));
    }
    if is_listed(w, known) {
        return Some((vec![w.to_string()], false));
    }
    looked_up(w).map(|e| (e, true))
}

/// Who does what a table word names: German makes the doer of "-ung" with "-er" ("Ausrüster" of
/// "Ausrüstung", "Versicherer" of "Versicherung", "Vermieter" of "Vermietung"), and a company named
/// so is in the industry of the thing ("equipment", "insurance", "rental"), as the English
/// descriptions say it. Read only where the table lacks the word itself.
fn agent_entry(w: &str) -> Option<&'static str> {
    let stem = w.strip_suffix("er").filter(|s| s.len() >= MIN_PART)?;
    entry(&format!("{stem}ung")).or_else(|| {
        // Nouns in "-el" make their doer in "-ler" ("Großhändler" of "Großhandel" wholesale,
        // "Einzelhändler" of "Einzelhandel" retail; folded, "ä" is "a").
        let stem = w.strip_suffix("ler").filter(|s| s.len() >= MIN_PART)?;
        entry(&format!("{stem}el"))
    })
}

/// Fewest-pieces cover of `word` by lexicon parts, with linking letters between parts and an
/// ending after the last: `best[i]` is the best cover of `word[i..]`, filled from the end, so
/// each suffix is solved once (O(n² ) lookups for an n-letter word).
/// `first`: `word` begins a word, so its first part may be short (`MIN_FIRST_PART`).
fn best_split(word: &str, known: &dyn Fn(&str) -> bool, first: bool) -> Option<Vec<String>> {
    let n = word.len();
    let mut best: Vec<Option<Vec<String>>> = vec![None; n + 1];
    for start in (0..n).rev() {
        let rest = &word[start..];
        let mut choice: Option<Vec<String>> = None;
        let min = if first && start == 0 {
            MIN_FIRST_PART
        } else {
            MIN_PART
        };
        for cut in (min..=rest.len()).rev() {
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
    fn compounds_read_as_their_parts_english_words() {
        let taxonomy = |p: &str| {
            [
                "software",
                "unternehmen",
                "medizintechnik",
                "haushaltsgerate",
                "chiphersteller",
            ]
            .contains(&p)
        };
        let e = |w: &str, german: bool| english(w, &taxonomy, german);
        let cases: &[(&str, &[&str])] = &[
            // "-leistung" heads services, "Leistungs-" modifies as power.
            ("beratungsleistung", &["consulting", "services"]),
            ("leistungselektronik", &["power", "electronics"]),
            ("krankenhaussoftware", &["hospital", "software"]),
            // "Schaden-" is a claim, but for an insurer ("Schadenversicherer": property).
            ("schadenmanagement", &["claims", "management"]),
            ("schadenssoftware", &["claims", "software"]),
            ("schadenversicherer", &["property", "damage", "insurer"]),
            // A booking, not the dictionary's ticketing.
            ("buchungsplattformen", &["booking", "platform"]),
            ("reisebuchung", &["travel", "booking"]),
            ("gesundheitsplattformen", &["health", "platform"]),
            (
                "konsumguterhersteller",
                &["consumer", "goods", "maker", "manufacturer"],
            ),
            ("netzbetreiber", &["network", "operator"]),
            (
                "telekommunikationsanbieter",
                &["telecommunications", "telecom", "provider", "vendor"],
            ),
            (
                "logistikdienstleister",
                &["logistics", "service", "provider"],
            ),
            ("investmentfirmen", &["investment", "firms"]),
            (
                "medizintechnikunternehmen",
                &["medical", "technology", "unternehmen"],
            ),
            ("autoteilezulieferer", &["auto", "parts", "supplier"]),
            // Words the taxonomy lists whole are compounds too, and compounds nest.
            (
                "speicherchipherstellern",
                &["memory", "storage", "chip", "maker", "manufacturer"],
            ),
            ("lebensmittelproduzenten", &["food", "producer"]),
            // A building's window, not the dictionary's "box window".
            ("fensterhersteller", &["window", "maker", "manufacturer"]),
            // "Bau-" of goods is building (the catalog's "Building Products"), of a trade
            // construction; "Agrar-" is agricultural, as English descriptions say.
            (
                "bauproduktehersteller",
                &["building", "products", "maker", "manufacturer"],
            ),
            ("agrarunternehmen", &["agriculture", "unternehmen"]),
            // A procedure is a process, a line a connection.
            ("genehmigungsverfahren", &["permitting", "process"]),
            ("glasfaseranschlusse", &["fiber", "connection"]),
            // Securities are dealt, never sold at retail; a "Transporteur" carries goods.
            ("wertpapierhandler", &["securities", "dealer"]),
            ("lkwtransporteure", &["trucking", "transport"]),
            // A "-fertiger" is a maker, not the manufacturing industry; a "Baugruppe" an assembly.
            ("auftragsfertiger", &["contract", "manufacturer"]),
            ("elektronikbaugruppen", &["electronics", "assembly"]),
            // Food and farming parts, farm machines, charging ("Lade-" only whole: "Läden").
            ("fleischverarbeiter", &["meat", "processing"]),
            ("lachszucht", &["salmon", "farming"]),
            ("traktorenhersteller", &["tractor", "maker", "manufacturer"]),
            (
                "ladeinfrastrukturanbieter",
                &["charging", "infrastructure", "provider", "vendor"],
            ),
        ];
        for (word, want) in cases {
            assert_eq!(e(word, false).unwrap_or_default(), *want, "{word}");
        }
        // A word the table knows whole is read in English only in a German text.
        assert_eq!(e("mobeln", true).unwrap(), ["furniture"]);
        assert_eq!(e("konsumgutern", true).unwrap(), ["consumer", "goods"]);
        assert_eq!(e("digitalen", true).unwrap(), ["digital"]);
        assert_eq!(e("personal", false), None, "English 'personal care'");
        assert_eq!(e("mode", false), None);
        assert_eq!(e("furniture", true), None);
        assert_eq!(e("unbekanntwort", true), None);
    }

    #[test]
    fn the_german_files_parse_whole() {
        let english = tsv::rows(ENGLISH_TSV, ["german", "english"])
            .unwrap_or_else(|e| panic!("data/german_english.tsv: {e}"));
        let mut seen = std::collections::HashSet::new();
        for [de, en] in &english {
            assert!(
                de.is_ascii() && *de == domain::normalize::fold(de),
                "{de:?}"
            );
            assert!(de.len() >= MIN_FIRST_PART, "{de:?} is shorter than a part");
            assert!(seen.insert(de), "{de:?} twice");
            // Only a part that says nothing has no English ("-konzern").
            assert!(!en.is_empty() || *de == "konzern", "{de:?} without English");
        }
        assert_eq!(table().len(), english.len());
        let suffixes =
            suffix_rows(SUFFIXES_TSV).unwrap_or_else(|e| panic!("data/german_suffixes.tsv: {e}"));
        for (i, (de, en)) in suffixes.iter().enumerate() {
            assert!(!de.is_empty() && !en.is_empty(), "{de:?}");
            // The first ending that fits is taken: one listed after an ending of its own would
            // never be.
            for (earlier, _) in &suffixes[..i] {
                assert!(!de.ends_with(earlier), "{de:?} after {earlier:?}");
            }
        }
        assert_eq!(*SUFFIXES, suffixes);
        let rows = tsv::rows(DICTIONARY_TSV, ["german", "english"])
            .unwrap_or_else(|e| panic!("data/de_en.tsv: {e}"));
        for [de, _] in &rows {
            // Folded, but where that makes one word of two ("Förderung", "Forderung") the
            // umlaut's keeps its spelling.
            let umlaut = |c: char| "äöüß".contains(c);
            assert!(
                *de == domain::normalize::fold(de)
                    || (de.chars().any(umlaut)
                        && de.chars().all(|c| c.is_ascii_lowercase() || umlaut(c))),
                "{de:?}"
            );
        }
        assert_eq!(dictionary().len(), rows.len(), "a German word twice");
    }

    #[test]
    fn words_nobody_listed_read_as_their_english_cognates() {
        let c = |w: &str| cognates(w);
        assert_eq!(c("restrukturierung"), ["restructuring"]);
        assert_eq!(c("professionelle"), ["professional"]);
        assert_eq!(c("onkologie"), ["oncology"]);
        assert_eq!(c("forensik"), ["forensics"]);
        assert_eq!(c("klinischer"), ["clinical"]);
        assert_eq!(c("technologien"), ["technology"]);
        assert_eq!(c("infrastruktur"), ["infrastructure"]);
        assert_eq!(c("elektrizitat"), ["electricity"]);
        assert_eq!(c("komponenten"), ["component"]);
        assert_eq!(c("kommerziell"), ["commercial"]);
        assert_eq!(c("digitalisierung"), ["digitalization", "digitalisation"]);
        // No ending that corresponds, or the same spelling: nothing.
        assert!(c("kette").is_empty());
        assert!(c("region").is_empty());
        assert!(c("tor").is_empty());
        assert!(c("windturbinenhersteller").is_empty());
        assert!(c("australien").is_empty() && c("grossbritannien").is_empty());
        assert!(c("sowie").is_empty() && c("arabien").is_empty());
        let taxonomy = |p: &str| ["oncology", "software"].contains(&p);
        // A German text's unlisted word, and a compound part whose cognate the taxonomy knows.
        assert_eq!(
            english("restrukturierung", &taxonomy, true).unwrap(),
            ["restructuring"]
        );
        assert_eq!(english("restrukturierung", &taxonomy, false), None);
        assert_eq!(
            english("onkologiesoftware", &taxonomy, false).unwrap(),
            ["oncology", "software"]
        );
    }

    #[test]
    fn plurals_in_ika_read_as_english_ics_and_split_a_compound() {
        assert_eq!(cognates("generika"), ["generics", "genericals"]);
        assert_eq!(
            cognates("pharmazeutika"),
            ["pharmaceutics", "pharmaceuticals"]
        );
        let taxonomy = |p: &str| ["pharmaceuticals", "pharma"].contains(&p);
        let read = english("spezialpharmazeutika", &taxonomy, true).unwrap();
        assert_eq!(read, ["specialty", "pharmaceutics", "pharmaceuticals"]);
    }

    #[test]
    fn one_text_reads_loosely_only_within_its_work() {
        let taxonomy = |p: &str| ["unternehmen", "gas"].contains(&p);
        let made_up = "qxzvbnmkqxzvbnmkqxzvbnmkqxzvbnmkqxzvbnmk";
        in_language(true, || {
            // A text of made-up words spends the whole budget and no more...
            for _ in 0..100 {
                assert_eq!(english_loose(made_up, &taxonomy, false), None);
            }
            assert_eq!(LOOSE_LEFT.with(Cell::get), Some(0));
            // ...after which its real compounds are no longer read loosely.
            assert_eq!(
                english_loose("gasforderunternehmen", &taxonomy, false),
                None
            );
            // A nested scope shares the outer budget.
            in_language(false, || assert_eq!(LOOSE_LEFT.with(Cell::get), Some(0)));
        });
        // The next text starts afresh; outside any text nothing is counted.
        assert_eq!(LOOSE_LEFT.with(Cell::get), None);
        in_language(true, || {
            assert!(english_loose("gasforderunternehmen", &taxonomy, false).is_some());
        });
        assert!(english_loose("gasforderunternehmen", &taxonomy, false).is_some());
    }

    #[test]
    fn compounds_with_one_unknown_piece_keep_their_known_parts() {
        let taxonomy = |p: &str| ["unternehmen", "gas", "portal", "infrastructure"].contains(&p);
        let l = |w: &str| english_loose(w, &taxonomy, false);
        assert_eq!(
            l("gasforderunternehmen").unwrap(),
            ["gas", "forder", "unternehmen"]
        );
        assert_eq!(l("vergleichsportale").unwrap(), ["vergleichs", "portal"]);
        assert_eq!(l("ladeinfrastruktur").unwrap(), ["lade", "infrastructure"]);
        assert_eq!(l("unbekanntwort"), None);
        assert_eq!(
            english_loose("gasforderunternehmen", &taxonomy, true).unwrap(),
            ["gas", "forder", "unternehmen"]
        );
        assert_eq!(english_loose("solarmodulen", &|p| p == "solar", true), None);
        assert_eq!(english_loose("pferderennbahnen", &|_| false, true), None);
        // Nor for ranking: "bahn" is the end of "Rennbahn" (a racetrack), no railway.
        assert_eq!(english_loose("pferderennbahnen", &|_| false, false), None);
        assert_eq!(l(&"x".repeat(60)), None);
    }

    #[test]
    fn a_head_cut_out_of_a_longer_word_is_no_head() {
        // "Gastgewerbe" is "Gast" + "Gewerbe" (hospitality), not "gastge" + "Werbe" (advertising).
        assert_eq!(english_loose("gastgewerbe", &|_| false, true), None);
        assert_eq!(english_loose("gastgewerbe", &|_| false, false), None);
        // A head that begins where the unknown piece ends still reads.
        assert_eq!(
            english_loose("ladeinfrastruktur", &|p| p == "infrastructure", true).unwrap(),
            ["lade", "infrastructure"]
        );
    }

    #[test]
    fn a_market_compound_of_goods_shops_sell_is_a_store() {
        let none = |_: &str| false;
        for (word, want) in [
            // The dictionary lists no "Fachmarkt", but a "Fachgeschäft": a specialty store.
            ("fachmarkte", ["specialty", "store"]),
            // A market of goods no shop sells stays a market.
            ("energiemarkt", ["energy", "market"]),
            // Shops of the modifier's goods by its own word: a store.
            ("mobelmarkt", ["furniture", "store"]),
            // A shop of other goods ("Papiergeschäft": a stationery shop) leaves the market of
            // the modifier's goods.
            ("papiermarkt", ["paper", "market"]),
        ] {
            assert_eq!(
                english(word, &none, true).unwrap_or_default(),
                want,
                "{word}"
            );
        }
    }

    #[test]
    fn a_known_short_word_begins_a_compound_and_a_doer_reads_as_its_deed() {
        let taxonomy = |p: &str| ["ol", "gas"].contains(&p);
        // "Öl" (two letters) begins a compound; "-ausrüster" is who makes "Ausrüstung".
        assert_eq!(
            english("olausruster", &taxonomy, false).unwrap(),
            ["oil", "equipment"]
        );
        assert_eq!(
            english_loose("olfeldausrustern", &taxonomy, true).unwrap(),
            ["oil", "feld", "equipment"]
        );
        // Only as the first part: a word ending in two known letters is no compound.
        assert_eq!(split("gasol", &taxonomy), None);
        assert_eq!(english_loose("alkohol", &taxonomy, false), None);
        // The table's own word wins over the doer reading ("Hersteller" is a maker).
        assert_eq!(translated("hersteller").unwrap(), ["maker", "manufacturer"]);
        assert!(is_part("ausruster") && !is_part("kinder"));
    }

    #[test]
    fn a_first_part_without_its_final_e_reads_as_the_word() {
        let none = |_: &str| false;
        // "Schul-" of "Schule", with and without a linking "s" after a later part.
        assert_eq!(
            english("schulsoftware", &lexicon, false).unwrap(),
            ["school", "software"]
        );
        assert_eq!(
            english("schulverwaltungssoftware", &lexicon, false).unwrap(),
            ["school", "management", "software"]
        );
        assert!(is_part("schul") && elided_entry("schul") == Some("school"));
        // Only a word the table has with its "-e", and not too short a piece.
        assert_eq!(elided_entry("mod"), None, "shorter than MIN_ELIDED");
        assert_eq!(elided_entry("schule"), None, "ends in -e already");
        assert_eq!(english("schulz", &none, true), None);
    }

    #[test]
    fn a_trader_is_a_dealer_of_vehicles_and_a_retailer_of_other_goods() {
        let none = |_: &str| false;
        // The doer ("-händler") and the trade itself ("-handel") alike.
        for (word, read) in [
            ("modehandler", ["fashion", "retailer"]),
            ("schuhhandlern", ["footwear", "retailer"]),
            ("autohandler", ["auto", "dealer"]),
            ("maschinenhandler", ["machinery", "dealer"]),
            ("stahlhandler", ["steel", "distributor"]),
            ("lebensmittelhandel", ["food", "retail"]),
            ("stahlhandel", ["steel", "distribution"]),
            ("autohandel", ["auto", "dealers"]),
        ] {
            assert_eq!(english(word, &none, false).unwrap(), read, "{word}");
        }
        // A trader to businesses is a distributor, never a retailer.
        let industrial = english("industriehandler", &none, false).unwrap();
        assert_eq!(industrial.last().unwrap(), "distributor");
        assert!(!industrial.iter().any(|w| w == "retailer"));
        // Energy and commodities are traded between businesses: no retail.
        for w in [
            "energiehandel",
            "stromhandler",
            "pharmahandel",
            "holzhandel",
        ] {
            let read = english(w, &none, false).unwrap();
            assert!(
                !read.iter().any(|e| e.starts_with("retail")),
                "{w}: {read:?}"
            );
        }
        // Alone, "Händler" keeps the table's word; the doer of a listed "-handel" reads as it.
        assert_eq!(translated("handler").unwrap(), ["dealer"]);
        assert_eq!(translated("einzelhandlern").unwrap(), ["retail"]);
        assert_eq!(translated("onlinehandler").unwrap(), ["e-commerce"]);
    }

    #[test]
    fn latin_plurals_and_participles_read_as_their_english() {
        // "Zentren" is the plural of "Zentrum", as German forms those of Latin nouns in "-um".
        assert_eq!(translated("zentren"), translated("zentrum"));
        assert!(translated("zentren").is_some());
        // "-iert" participles are English cognates in "-ated" / "-ified".
        assert_eq!(cognates("integrierte"), ["integrated"]);
        assert_eq!(cognates("zertifizierte"), ["certified"]);
    }

    #[test]
    fn a_means_reads_as_what_it_is_for() {
        let none = |_: &str| false;
        // "-mittel" says nothing beyond its modifier ("Düngemittel" fertilizer); a word the table
        // lists whole ("Lebensmittel" food) keeps its own reading.
        assert_eq!(
            english("dungemittel", &none, false).unwrap(),
            ["fertilizer"]
        );
        assert_eq!(
            english("pflanzenschutzmittelhersteller", &none, false).unwrap(),
            ["crop", "protection", "maker", "manufacturer"]
        );
        assert_eq!(translated("lebensmittel").unwrap(), ["food"]);
        // Elsewhere "mittel" is another word: "mittelgroß" is no "groß" (large).
        assert_eq!(means_of("mittelgrosse", &none, 0), None);
        assert!(!is_part("mittel"));
        // A machine's compound reads as machinery, its modifier first ("Baumaschinen").
        assert_eq!(
            english("baumaschinen", &none, false).unwrap(),
            ["construction", "machinery"]
        );
        assert_eq!(
            english("erntemaschinen", &none, false).unwrap(),
            ["harvest", "machinery"]
        );
    }

    #[test]
    fn the_dictionary_reads_what_the_hand_tables_do_not() {
        let none = |_: &str| false;
        // Only inside `with_dictionary` (ranking), never for industry matching.
        assert_eq!(english("sagewerke", &none, true), None);
        with_dictionary(|| {
            // A word no hand table lists, whole and with an ending, in a German text only.
            assert_eq!(looked_up("sagewerke").unwrap()[0], "sawmill");
            assert_eq!(english("sagewerke", &none, true).unwrap()[0], "sawmill");
            assert_eq!(
                english("sagewerk", &none, false),
                None,
                "not in an English text"
            );
            // A compound by its longest known head and its modifier, the hand table's reading
            // where it has the piece ("-hersteller" maker).
            let read = english("bremsbelaghersteller", &none, true).unwrap();
            assert_eq!(read[0], "brake");
            assert_eq!(read[read.len() - 2..], ["maker", "manufacturer"]);
            // The hand table's readings win: "Netz" is a network, not the dictionary's "net".
            assert_eq!(english("netz", &none, true).unwrap(), ["network"]);
            // A piece the taxonomy lists stays itself ("unternehmen"), not the dictionary's.
            let taxonomy = |p: &str| p == "unternehmen";
            let read = english("sagewerksunternehmen", &taxonomy, true).unwrap();
            assert_eq!(read[0], "sawmill");
            assert_eq!(read.last().map(String::as_str), Some("unternehmen"));
            assert_eq!(english("unternehmen", &taxonomy, true), None);
            // A verb's form is no noun with an ending ("wollen" is no "Wolle", wool).
            assert_eq!(looked_up("wollen"), None);
            assert!(looked_up("wolle").is_some());
            // No country, no small German word, no short piece.
            assert_eq!(looked_up("osterreich"), None);
            assert_eq!(looked_up("und"), None);
            assert_eq!(looked_up("ett"), None);
        });
        assert_eq!(english("sagewerke", &none, true), None, "restored");
    }

    #[test]
    fn a_market_compound_reads_as_the_dictionary_says_which_market() {
        let none = |_: &str| false;
        // For segments too (outside `with_dictionary`): "Baumärkte" are DIY stores, not a
        // construction market.
        let read = english("baumarkte", &none, true).unwrap();
        assert!(read.contains(&"diy".to_string()), "{read:?}");
        assert!(!read.contains(&"construction".to_string()), "{read:?}");
        // A market compound the dictionary lacks keeps its parts' reading.
        assert_eq!(
            english("energiemarkt", &none, true).unwrap(),
            ["energy", "market"]
        );
    }

    #[test]
    fn the_dictionary_reads_words_as_they_are_spelled() {
        with_spellings(&["Öl- und Gasförderung", "Süßwaren"], || {
            // A word, or a part of one, at whole letters: "ß" is one letter of two.
            assert_eq!(spelled("forderung").as_deref(), Some("förderung"));
            assert_eq!(spelled("gasforderung").as_deref(), Some("gasförderung"));
            assert_eq!(spelled("susswaren").as_deref(), Some("süßwaren"));
            assert_eq!(spelled("sus"), None);
            assert_eq!(spelled("gas"), None, "no umlaut in it");
            assert_eq!(spelled("waren"), None);
            with_dictionary(|| {
                // Folded alike, two words: "Förderung" (funding, extraction) is no "Forderung"
                // (a claim).
                let spelled_so = looked_up("forderung");
                assert!(spelled_so.is_some());
                assert_ne!(spelled_so, with_spellings(&[], || looked_up("forderung")));
                // A word folding makes another is read whole before the folded word's split.
                with_spellings(&["Wälzlager"], || {
                    let none = |_: &str| false;
                    let read = english("walzlager", &none, true).unwrap();
                    assert!(!read.contains(&"warehousing".to_string()), "{read:?}");
                });
                // No key of its own: the folded word's ("Süßwaren": confectionery).
                assert_eq!(looked_up("susswaren").unwrap(), ["confectionery"]);
            });
        });
        assert_eq!(spelled("forderung"), None, "restored");
    }

    #[test]
    fn a_dictionary_split_needs_a_dictionary_piece_and_drops_a_means() {
        let none = |_: &str| false;
        with_dictionary(|| {
            // Parts the hand table covers alone are its own split's, not the dictionary's.
            assert_eq!(dictionary_split("softwarehersteller", &lexicon), None);
            assert!(dictionary_split("bremsbelaghersteller", &none).is_some());
            // "-mittel" says nothing of its own here either.
            let read = dictionary_split("bremsbelagmittel", &none).unwrap();
            assert_eq!(read[0], "brake");
            assert!(!read.iter().any(|w| w == "mittel"));
            assert_eq!(
                dictionary_split(&"bremsbelag".repeat(5), &none),
                None,
                "too long"
            );
        });
    }

    #[test]
    fn german_texts_are_told_by_their_small_words() {
        assert!(reads_german("hersteller von mobeln und konsumgutern"));
        assert!(!reads_german("makers of furniture and consumer goods"));
        // A piece of a German text is German, and the language is restored afterwards.
        assert!(in_language(true, || reads_german(
            "professionelle beratung"
        )));
        assert!(!in_language(false, || reads_german(
            "hersteller von mobeln"
        )));
        assert!(!reads_german("professionelle beratung"));
        // A German head no English text has tells it too, alone or ending a compound.
        assert!(reads_german("kep-dienstleister: paket, kurier, last mile"));
        // ...but not in a text with English small words.
        assert!(!reads_german(
            "personal care and fashion brands (kosmetik-hersteller) selling online"
        ));
        assert!(!reads_german("rail freight betreiber in the eu"));
        assert!(reads_german("softwareanbieter, saas, cloud"));
        assert!(!reads_german("parcel, courier and last mile providers"));
        // A German text without a small word of a list: who asks, what is left out.
        assert!(reads_german(
            "landtechnik-hersteller: traktoren, erntemaschinen. baumaschinen ausgenommen."
        ));
        assert!(reads_german("wir suchen zweiradhersteller"));
        assert!(!reads_german(
            "we look for two-wheeler makers, construction excluded"
        ));
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
