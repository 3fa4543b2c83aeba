//! CONTACTS: a company's people as prospects, ranked for the order's `contact_roles`.
//!
//! A job title is read through one small lexicon of phrases (English and German, a few French and
//! Spanish ones) into a [`RoleFamily`] and a [`Seniority`]. Requested roles are read the same way,
//! so "CEO", "Geschäftsführer" and "Managing Director" all ask for the same people. A requested
//! role the lexicon does not know falls back to sharing words with the title.
//!
//! Synonyms (see `data/title_lexicon.tsv` for the full list):
//!
//! | family    | titles                                                                              |
//! |-----------|-------------------------------------------------------------------------------------|
//! | Ceo       | CEO, Chief Executive Officer, Geschäftsführer(in), Geschäftsführung, Managing Director, MD, Vorstand(svorsitzende/r), Inhaber(in), Owner, President, PDG, Directeur général |
//! | Cto       | CTO, Chief Technology Officer, Head/VP/Director of Engineering, Technischer Leiter, Technischer Geschäftsführer, Leiter (Software)entwicklung; engineers and developers |
//! | Cfo       | CFO, Chief Financial Officer, Finanzvorstand, Head of Finance, Kaufmännischer Leiter/Geschäftsführer; finance staff |
//! | Coo       | COO, Chief Operating Officer, Head/VP/Director of Operations, Betriebsleiter |
//! | Cmo       | CMO, Chief Marketing Officer, Head/VP of Marketing, Marketing Director, Marketingleiter |
//! | Sales     | CRO, Chief Revenue/Sales Officer, Head/VP/Director of Sales, Sales Director, Vertriebsleiter, Account Executive; sales staff |
//! | Marketing | marketing staff (Marketing Manager, Werkstudent Marketing)                          |
//! | Hr        | CHRO, Chief People Officer, Head of People/HR, Personalleiter, HR Director; HR staff |
//! | Product   | CPO, Chief Product Officer, Head/VP/Director of Product, Product Owner/Manager     |
//! | It        | CIO, CISO, Head of IT, IT-Leiter, IT Director; IT staff                             |
//! | Operations| operations, logistics, production and purchasing staff                             |
//! | Founder   | Founder, Co-Founder, Gründer(in), Mitgründer(in), Fondateur, Fundador               |
//! | Other     | a title that names none of the above ("Assistant to the CEO", "Office Manager")     |
//!
//! Department words without a rank word ("Marketing Manager") give the staff family; with a rank
//! of Head or above ("Director of Marketing", "Marketingleiter") the leader's family (Cmo, Coo).
use std::cmp::Reverse;
use std::sync::LazyLock;

use uuid::Uuid;

use super::catalog::{CatalogCompany, Person};
use domain::language::Language;
use domain::normalize::fold;
use domain::results::Prospect;

/// More prospects per company than this are noise for an outbound team.
pub const MAX_PROSPECTS_PER_COMPANY: usize = 10;

/// The function a title belongs to. The `C..` families stand for the function led by that
/// officer, so they hold its leaders (and, for technology and finance, its staff too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoleFamily {
    Ceo,
    Cto,
    Cfo,
    Coo,
    Cmo,
    Sales,
    Marketing,
    Hr,
    Product,
    It,
    Operations,
    Founder,
    Other,
}

/// How senior a title is, most senior first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Seniority {
    CLevel,
    Founder,
    VpDirector,
    Head,
    Manager,
    Individual,
}

impl Seniority {
    /// Its name in the lexicon file.
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "c-level" => Seniority::CLevel,
            "founder" => Seniority::Founder,
            "vp-director" => Seniority::VpDirector,
            "head" => Seniority::Head,
            "manager" => Seniority::Manager,
            "individual" => Seniority::Individual,
            _ => return None,
        })
    }

    /// 5 for the top (C-level and founders alike) down to 1 for individual contributors.
    fn rank(self) -> u8 {
        match self {
            Seniority::CLevel | Seniority::Founder => 5,
            Seniority::VpDirector => 4,
            Seniority::Head => 3,
            Seniority::Manager => 2,
            Seniority::Individual => 1,
        }
    }

    /// One step down, for deputies ("Stellvertretender Geschäftsführer", "Deputy CEO").
    fn below(self) -> Self {
        match self {
            Seniority::CLevel | Seniority::Founder => Seniority::VpDirector,
            Seniority::VpDirector => Seniority::Head,
            Seniority::Head => Seniority::Manager,
            Seniority::Manager | Seniority::Individual => Seniority::Individual,
        }
    }
}

/// A function named by a department word, with its staff and its leader family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dept {
    Tech,
    Finance,
    Operations,
    Marketing,
    Sales,
    Hr,
    Product,
    It,
}

impl Dept {
    /// Its name in the lexicon file.
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "tech" => Dept::Tech,
            "finance" => Dept::Finance,
            "operations" => Dept::Operations,
            "marketing" => Dept::Marketing,
            "sales" => Dept::Sales,
            "hr" => Dept::Hr,
            "product" => Dept::Product,
            "it" => Dept::It,
            _ => return None,
        })
    }

    fn family(self, leader: bool) -> RoleFamily {
        match (self, leader) {
            (Dept::Tech, _) => RoleFamily::Cto,
            (Dept::Finance, _) => RoleFamily::Cfo,
            (Dept::Operations, true) => RoleFamily::Coo,
            (Dept::Operations, false) => RoleFamily::Operations,
            (Dept::Marketing, true) => RoleFamily::Cmo,
            (Dept::Marketing, false) => RoleFamily::Marketing,
            (Dept::Sales, _) => RoleFamily::Sales,
            (Dept::Hr, _) => RoleFamily::Hr,
            (Dept::Product, _) => RoleFamily::Product,
            (Dept::It, _) => RoleFamily::It,
        }
    }
}

/// What a lexicon phrase says about a title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sense {
    /// A title in its own right: its family and rank.
    Role(RoleFamily, Seniority),
    /// A rank word without a function ("Head", "Director", "Manager").
    Level(Seniority),
    /// A function word without a rank ("Marketing", "Vertrieb").
    Dept(Dept),
    /// Trainees and students: never decision makers, whatever else the title says.
    Junior,
    /// Assistants and secretaries: the executive role in their title belongs to someone else.
    Aide,
    /// "Deputy", "Stellvertretender": one rank below the role named.
    Deputy,
}

impl RoleFamily {
    /// Its name in the lexicon file.
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "ceo" => RoleFamily::Ceo,
            "cto" => RoleFamily::Cto,
            "cfo" => RoleFamily::Cfo,
            "coo" => RoleFamily::Coo,
            "cmo" => RoleFamily::Cmo,
            "sales" => RoleFamily::Sales,
            "marketing" => RoleFamily::Marketing,
            "hr" => RoleFamily::Hr,
            "product" => RoleFamily::Product,
            "it" => RoleFamily::It,
            "operations" => RoleFamily::Operations,
            "founder" => RoleFamily::Founder,
            "other" => RoleFamily::Other,
            _ => return None,
        })
    }
}

impl Sense {
    /// A row's `sense`, `family` and `seniority` columns; a column a sense does not use is empty.
    fn parse(sense: &str, family: &str, seniority: &str) -> Option<Self> {
        Some(match (sense, family, seniority) {
            ("role", f, s) => Sense::Role(RoleFamily::parse(f)?, Seniority::parse(s)?),
            ("level", "", s) => Sense::Level(Seniority::parse(s)?),
            ("dept", d, "") => Sense::Dept(Dept::parse(d)?),
            ("junior", "", "") => Sense::Junior,
            ("aide", "", "") => Sense::Aide,
            ("deputy", "", "") => Sense::Deputy,
            _ => return None,
        })
    }
}

use RoleFamily as F;

/// The lexicon (`data/title_lexicon.tsv`), written in natural spelling and normalised with the
/// same `tokens` as titles, so "Geschäftsführer", "Geschaeftsfuehrer" and "GESCHÄFTSFÜHRERIN" all
/// meet. A trailing `*` makes the last word a stem ("Vertrieb*" matches "Vertriebsleiter" after
/// compound splitting, or "Vertriebsmitarbeiter"). The longest phrase wins, so "Technischer
/// Geschäftsführer" is a CTO and "Product Owner" is not an owner; of equally good ones the later.
const LEXICON_TSV: &str = include_str!("../data/title_lexicon.tsv");

/// The columns of `LEXICON_TSV`, its first line that is no comment.
const LEXICON_COLUMNS: [&str; 4] = ["phrase", "sense", "family", "seniority"];

/// The rows of a lexicon file in its order, or the first row that does not parse.
fn lexicon_rows(tsv: &str) -> Result<Vec<(&str, Sense)>, String> {
    super::tsv::rows(tsv, LEXICON_COLUMNS)?
        .into_iter()
        .map(|[phrase, sense, family, seniority]| {
            Sense::parse(sense, family, seniority)
                .filter(|_| !phrase.trim().is_empty())
                .map(|s| (phrase, s))
                .ok_or_else(|| {
                    format!("no phrase or no sense in {phrase:?}\t{sense}\t{family}\t{seniority}")
                })
        })
        .collect()
}

/// German compounds end in a rank word ("Vertriebsleiter", "Produktmanager"): split them so the
/// stem and the rank are read separately, unless the whole word is in the lexicon.
const COMPOUND_RANKS: &[&str] = &[
    "leiter", "leitung", "manager", "vorstand", "direktor", "chef",
];

/// Words that carry no meaning when a requested role is compared word by word with a title.
const STOP_WORDS: &[&str] = &[
    "of", "the", "and", "for", "to", "in", "und", "der", "die", "das", "des", "fur", "de", "du",
    "la", "le", "et", "y", "senior", "sr", "jr",
];

struct Entry {
    words: Vec<String>,
    /// The last word is a stem (`*` in the lexicon).
    stem: bool,
    sense: Sense,
}

fn lexicon() -> &'static [Entry] {
    static LEX: LazyLock<Vec<Entry>> = LazyLock::new(|| {
        // The file is compiled in, and `the_lexicon_file_parses_whole` parses every row of it.
        #[allow(clippy::expect_used)]
        let rows = lexicon_rows(LEXICON_TSV).expect("data/title_lexicon.tsv parses");
        rows.into_iter()
            .map(|(phrase, sense)| {
                let stem = phrase.ends_with('*');
                Entry {
                    words: words(phrase.trim_end_matches('*')),
                    stem,
                    sense,
                }
            })
            .filter(|e| !e.words.is_empty())
            .collect()
    });
    &LEX
}

/// Folded words of a text: accents dropped, German umlaut spellings merged ("ae" -> "a", as
/// `fold` already turns "ä" into "a"), feminine endings dropped ("Leiterin" -> "leiter").
fn words(text: &str) -> Vec<String> {
    super::text::words(&fold(text))
        .map(canonical_word)
        .collect()
}

fn canonical_word(word: &str) -> String {
    let word = word
        .replace("ae", "a")
        .replace("oe", "o")
        .replace("ue", "u");
    let feminine = ["erin", "orin", "ntin"].iter().any(|e| word.ends_with(e));
    if feminine && word.len() > 5 {
        word[..word.len() - 2].to_string()
    } else {
        word
    }
}

/// Title words with German compounds split before their rank word.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in words(text) {
        match split_compound(&word) {
            Some((stem, rank)) => {
                out.push(stem.to_string());
                out.push(rank.to_string());
            }
            None => out.push(word),
        }
    }
    out
}

fn split_compound(word: &str) -> Option<(&str, &str)> {
    let known = lexicon()
        .iter()
        .any(|e| e.words.len() == 1 && e.words[0] == word);
    if known {
        return None;
    }
    COMPOUND_RANKS.iter().find_map(|rank| {
        let stem = word.strip_suffix(rank)?;
        (stem.len() >= 2).then_some((stem, *rank))
    })
}

/// How well `entry` matches `tokens` at their start: `None` when it does not; otherwise a key where
/// more words, then an exact (not stem) last word, then a longer phrase wins.
fn match_at(entry: &Entry, tokens: &[String]) -> Option<(usize, bool, usize)> {
    let n = entry.words.len();
    if tokens.len() < n {
        return None;
    }
    let (last_want, head_want) = entry.words.split_last()?;
    let (last_got, head_got) = tokens[..n].split_last()?;
    if head_want != head_got {
        return None;
    }
    let exact = last_got == last_want;
    let stem_match = entry.stem && last_got.starts_with(last_want.as_str());
    if !(exact || stem_match) {
        return None;
    }
    let chars = entry.words.iter().map(String::len).sum();
    Some((n, exact, chars))
}

/// The senses of a title, read left to right taking the longest phrase at each position, and how
/// many words no phrase explained.
fn senses(tokens: &[String]) -> (Vec<Sense>, usize) {
    let mut out = Vec::new();
    let mut unknown = 0;
    let mut i = 0;
    while i < tokens.len() {
        let best = lexicon()
            .iter()
            .filter_map(|e| match_at(e, &tokens[i..]).map(|key| (key, e.sense)))
            .max_by_key(|(key, _)| *key);
        match best {
            Some(((n, _, _), sense)) => {
                out.push(sense);
                i += n;
            }
            None => {
                unknown += 1;
                i += 1;
            }
        }
    }
    (out, unknown)
}

/// What a title says: its families (most specific first) and its rank.
#[derive(Debug, Clone, PartialEq)]
struct Reading {
    families: Vec<RoleFamily>,
    seniority: Seniority,
    /// The title had no words at all.
    blank: bool,
    /// Nothing but rank words: a requested "C-Level" or "Director".
    level_only: bool,
}

fn read(title: &str) -> Reading {
    let tokens = tokens(title);
    let (senses, unknown) = senses(&tokens);
    let aide = senses.contains(&Sense::Aide);
    let seniority = seniority_of(&senses);
    let mut families = Vec::new();
    // An assistant's title names someone else's role: only their own department counts.
    if !aide {
        let roles = senses.iter().filter_map(|s| match s {
            Sense::Role(f, _) => Some(*f),
            _ => None,
        });
        let (founders, others): (Vec<_>, Vec<_>) = roles.partition(|f| *f == F::Founder);
        families.extend(others);
        families.extend(founders);
    }
    let leader = seniority.rank() >= Seniority::Head.rank();
    families.extend(senses.iter().filter_map(|s| match s {
        Sense::Dept(d) => Some(d.family(leader)),
        _ => None,
    }));
    let mut seen = Vec::new();
    families.retain(|f| {
        let new = !seen.contains(f);
        seen.push(*f);
        new
    });
    let level_only =
        unknown == 0 && !senses.is_empty() && senses.iter().all(|s| matches!(s, Sense::Level(_)));
    if families.is_empty() && !tokens.is_empty() {
        families.push(F::Other);
    }
    Reading {
        families,
        seniority,
        blank: tokens.is_empty(),
        level_only,
    }
}

fn seniority_of(senses: &[Sense]) -> Seniority {
    if senses
        .iter()
        .any(|s| matches!(s, Sense::Aide | Sense::Junior))
    {
        return Seniority::Individual;
    }
    let named = senses
        .iter()
        .filter_map(|s| match s {
            Sense::Role(_, level) | Sense::Level(level) => Some(*level),
            _ => None,
        })
        // The highest rank named; a C-level title outranks "Founder" in "Founder & CEO".
        .max_by_key(|level| (level.rank(), *level == Seniority::CLevel))
        .unwrap_or(Seniority::Individual);
    if senses.contains(&Sense::Deputy) {
        named.below()
    } else {
        named
    }
}

/// The family of a job title, `None` when the title has no words. Titles that name none of the
/// families are `Other`.
pub fn role_family(title: &str) -> Option<RoleFamily> {
    read(title).families.first().copied()
}

/// The rank of a job title; titles without a rank word are `Individual`.
pub fn seniority(title: &str) -> Seniority {
    read(title).seniority
}

/// A requested contact role, as the order wrote it and as the engine reads it.
struct Request {
    label: String,
    want: Want,
}

enum Want {
    Families(Vec<RoleFamily>),
    AtLeast(Seniority),
    /// A role the lexicon does not know: compared word by word with titles.
    Words(Vec<String>),
}

fn requests(contact_roles: &[String]) -> Vec<Request> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for role in contact_roles {
        let label = role.trim();
        let key = fold(label);
        if label.is_empty() || seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let reading = read(label);
        let want = if reading.level_only {
            Want::AtLeast(reading.seniority)
        } else if reading.families.is_empty() || reading.families == [F::Other] {
            Want::Words(content_words(label))
        } else {
            Want::Families(reading.families)
        };
        out.push(Request {
            label: label.to_string(),
            want,
        });
    }
    out
}

/// Words of a role that say what it is about, without rank words and fillers.
fn content_words(text: &str) -> Vec<String> {
    tokens(text)
        .into_iter()
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .filter(|w| {
            !lexicon().iter().any(|e| {
                matches!(e.sense, Sense::Level(_)) && e.words.len() == 1 && &e.words[0] == w
            })
        })
        .collect()
}

/// How a person relates to the requested roles, best first.
#[derive(Debug, Clone, PartialEq)]
enum Fit {
    Exact(String),
    FounderAsCeo(String),
    Related(String),
    SharedWords(String),
    NotRequested,
    NothingRequested,
}

/// Families close enough that asking for one is half an answer for the other.
fn related(a: RoleFamily, b: RoleFamily) -> bool {
    const PAIRS: &[(RoleFamily, RoleFamily)] = &[
        (F::Cmo, F::Marketing),
        (F::Coo, F::Operations),
        (F::Ceo, F::Founder),
    ];
    PAIRS
        .iter()
        .any(|(x, y)| (a, b) == (*x, *y) || (a, b) == (*y, *x))
}

fn fit(title: &str, reading: &Reading, requests: &[Request]) -> Fit {
    if requests.is_empty() {
        return Fit::NothingRequested;
    }
    let mine = &reading.families;
    let first = |pred: &dyn Fn(&Request) -> bool| requests.iter().find(|r| pred(r));
    let exact = first(&|r| match &r.want {
        Want::Families(fs) => fs.iter().any(|f| *f != F::Other && mine.contains(f)),
        Want::AtLeast(level) => !reading.blank && reading.seniority.rank() >= level.rank(),
        Want::Words(_) => false,
    });
    if let Some(r) = exact {
        return Fit::Exact(r.label.clone());
    }
    let wants =
        |r: &Request, f: RoleFamily| matches!(&r.want, Want::Families(fs) if fs.contains(&f));
    if mine.contains(&F::Founder) {
        if let Some(r) = first(&|r| wants(r, F::Ceo)) {
            return Fit::FounderAsCeo(r.label.clone());
        }
    }
    let close = first(&|r| match &r.want {
        Want::Families(fs) => fs.iter().any(|f| mine.iter().any(|m| related(*f, *m))),
        _ => false,
    });
    if let Some(r) = close {
        return Fit::Related(r.label.clone());
    }
    let title_words = tokens(title);
    let shared = first(&|r| match &r.want {
        Want::Words(ws) => ws.iter().any(|w| title_words.contains(w)),
        _ => false,
    });
    match shared {
        Some(r) => Fit::SharedWords(r.label.clone()),
        None => Fit::NotRequested,
    }
}

/// The score table, by fit and rank (5 = C-level/founder ... 1 = individual, 0 = no title):
///
/// | fit                               | 0 | 1 | 2 | 3 | 4 | 5  |
/// |-----------------------------------|---|---|---|---|---|----|
/// | no roles requested (seniority)    | 2 | 3 | 5 | 7 | 8 | 9  |
/// | requested family                  | - | 5 | 7 | 8 | 9 | 10 |
/// | founder for a requested CEO       | - | - | - | - | - | 9  |
/// | related family / shared words     | - | 4 | 6 | 7 | 8 | 9  |
/// | roles requested, none matched     | 1 | 2 | 3 | 4 | 5 | 6  |
///
/// So a requested role beats any unrequested one at the same rank, a matching manager (7) beats an
/// unrequested CEO (6), and without requests decision makers come first.
fn score(fit: &Fit, rank: u8) -> u8 {
    const BY_SENIORITY: [u8; 6] = [2, 3, 5, 7, 8, 9];
    const EXACT: [u8; 6] = [4, 5, 7, 8, 9, 10];
    const UNMATCHED: [u8; 6] = [1, 2, 3, 4, 5, 6];
    let i = usize::from(rank.min(5));
    let s = match fit {
        Fit::NothingRequested => BY_SENIORITY[i],
        Fit::Exact(_) => EXACT[i],
        Fit::FounderAsCeo(_) => EXACT[i].saturating_sub(1),
        Fit::Related(_) | Fit::SharedWords(_) => EXACT[i].saturating_sub(1),
        Fit::NotRequested => UNMATCHED[i],
    };
    s.clamp(1, 10)
}

/// The function a family's decision makers decide about, for the reason text.
fn domain_word(family: Option<RoleFamily>, lang: Language) -> &'static str {
    let (en, de) = match family {
        Some(F::Cto) => ("technology", "Technologie"),
        Some(F::Cfo) => ("finance", "Finanzen"),
        Some(F::Coo | F::Operations) => ("operations", "Betrieb"),
        Some(F::Cmo | F::Marketing) => ("marketing", "Marketing"),
        Some(F::Sales) => ("sales", "Vertrieb"),
        Some(F::Hr) => ("HR", "Personal"),
        Some(F::Product) => ("product", "Produkt"),
        Some(F::It) => ("IT", "IT"),
        Some(F::Ceo | F::Founder | F::Other) | None => ("", ""),
    };
    match lang {
        Language::En => en,
        Language::De => de,
    }
}

/// "senior technology decision maker", "marketing team member, not a decision maker";
/// "leitender Entscheider im Bereich Technologie", "Teammitglied Marketing, kein Entscheider".
fn describe(reading: &Reading, lang: Language) -> String {
    let d = domain_word(reading.families.first().copied(), lang);
    let text = match lang {
        Language::En => {
            if reading.blank {
                return "no job title published, seniority unknown".to_string();
            }
            match reading.seniority {
                Seniority::CLevel => format!("C-level {d} decision maker"),
                Seniority::Founder => "founder and decision maker".to_string(),
                Seniority::VpDirector | Seniority::Head => format!("senior {d} decision maker"),
                Seniority::Manager => format!("{d} manager who influences decisions"),
                Seniority::Individual => format!("{d} team member, not a decision maker"),
            }
        }
        Language::De => {
            if reading.blank {
                return "keine Berufsbezeichnung veröffentlicht, Seniorität unbekannt".to_string();
            }
            let area = if d.is_empty() {
                String::new()
            } else {
                format!(" im Bereich {d}")
            };
            match reading.seniority {
                Seniority::CLevel => format!("Entscheider auf C-Ebene{area}"),
                Seniority::Founder => "Gründer und Entscheider".to_string(),
                Seniority::VpDirector | Seniority::Head => format!("leitender Entscheider{area}"),
                Seniority::Manager => {
                    format!("Führungskraft{area} mit Einfluss auf Entscheidungen")
                }
                Seniority::Individual => format!("Teammitglied {d}, kein Entscheider"),
            }
        }
    };
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" ,", ",")
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "CTO (Head of Engineering)", or just "CTO" when the title is the requested role itself.
fn role_with_title(label: &str, title: &str) -> String {
    if title.trim().is_empty() || fold(title.trim()) == fold(label) {
        label.to_string()
    } else {
        format!("{label} ({})", title.trim())
    }
}

/// The `qualification_reason`, in the order's language (English by default).
fn reason(
    fit: &Fit,
    title: &str,
    reading: &Reading,
    requests: &[Request],
    lang: Language,
) -> String {
    let what = describe(reading, lang);
    let labels = || {
        requests
            .iter()
            .map(|r| r.label.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (lang, fit) {
        (Language::En, Fit::Exact(label)) => format!(
            "Matches requested role {}; {what}",
            role_with_title(label, title)
        ),
        (Language::De, Fit::Exact(label)) => format!(
            "Entspricht der gesuchten Rolle {}; {what}",
            role_with_title(label, title)
        ),
        (Language::En, Fit::FounderAsCeo(label)) => format!(
            "Founder counted for requested role {label}, ranked just below a titled {label}; \
             top decision maker"
        ),
        (Language::De, Fit::FounderAsCeo(label)) => format!(
            "Gründer zählt für die gesuchte Rolle {label}, eingestuft knapp hinter einer Person \
             mit dem Titel {label}; oberste Entscheidungsebene"
        ),
        (Language::En, Fit::Related(label)) => format!(
            "Related to requested role {}; {what}",
            role_with_title(label, title)
        ),
        (Language::De, Fit::Related(label)) => format!(
            "Verwandt mit der gesuchten Rolle {}; {what}",
            role_with_title(label, title)
        ),
        (Language::En, Fit::SharedWords(label)) => format!(
            "Title shares words with requested role {}; {what}",
            role_with_title(label, title)
        ),
        (Language::De, Fit::SharedWords(label)) => format!(
            "Berufsbezeichnung hat Wörter mit der gesuchten Rolle {} gemeinsam; {what}",
            role_with_title(label, title)
        ),
        (Language::En, Fit::NotRequested) => format!(
            "{}; not one of the requested roles ({})",
            capitalize(&what),
            labels()
        ),
        (Language::De, Fit::NotRequested) => format!(
            "{}; keine der gesuchten Rollen ({})",
            capitalize(&what),
            labels()
        ),
        (Language::En, Fit::NothingRequested) => format!(
            "{}; no contact roles requested, ranked by seniority",
            capitalize(&what)
        ),
        (Language::De, Fit::NothingRequested) => format!(
            "{}; keine Kontaktrollen angefragt, nach Seniorität sortiert",
            capitalize(&what)
        ),
    }
}

/// Deterministic per company and person, so re-running an order yields the same prospect ids.
fn prospect_id(company_id: Uuid, person: &Person) -> Uuid {
    let key = format!(
        "{}|{}|{}",
        person.first_name,
        person.last_name.as_deref().unwrap_or(""),
        person.title.as_deref().unwrap_or("")
    );
    Uuid::new_v5(&company_id, key.as_bytes())
}

fn prospect(company_id: Uuid, person: &Person, requests: &[Request], lang: Language) -> Prospect {
    let title = person.title.as_deref().unwrap_or("");
    let reading = read(title);
    let rank = if reading.blank {
        0
    } else {
        reading.seniority.rank()
    };
    let fit = fit(title, &reading, requests);
    Prospect {
        id: prospect_id(company_id, person),
        company_id,
        first_name: person.first_name.clone(),
        last_name: person.last_name.clone(),
        job_title: person.title.clone(),
        email: None,
        phone_number: person.phone_number.clone(),
        linkedin_url: person.linkedin_url.clone(),
        qualification_score: Some(score(&fit, rank)),
        qualification_reason: Some(reason(&fit, title, &reading, requests, lang)),
        email_type: None,
        validation_confidence: None,
        bounce_risk_score: None,
    }
}

/// Every person of the company as a prospect, best first (score, then last and first name), at
/// most [`MAX_PROSPECTS_PER_COMPANY`]. The same person listed twice (same name and title) is one
/// prospect: their ids would collide. `qualification_reason` is written in `lang` (the order's
/// `output_language`); ranking and scores do not depend on it.
pub fn prospects_for(
    company: &CatalogCompany,
    company_id: Uuid,
    contact_roles: &[String],
    lang: Language,
) -> Vec<Prospect> {
    let requests = requests(contact_roles);
    let mut out: Vec<Prospect> = Vec::with_capacity(company.people.len());
    for person in &company.people {
        let p = prospect(company_id, person, &requests, lang);
        if !out.iter().any(|q| q.id == p.id) {
            out.push(p);
        }
    }
    out.sort_by_cached_key(|p| {
        (
            Reverse(p.qualification_score),
            fold(p.last_name.as_deref().unwrap_or("")),
            fold(&p.first_name),
            fold(p.job_title.as_deref().unwrap_or("")),
            p.id,
        )
    });
    out.truncate(MAX_PROSPECTS_PER_COMPANY);
    out
}

#[cfg(test)]
mod tests;
