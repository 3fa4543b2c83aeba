//! The needs of an ICP that names several wanted industries ("Consulting and professional services
//! firms", "Chemie- und Pharmaunternehmen", "Halbleiterhersteller (sowie Computerhardware)"): each
//! item of its wanted list is a need of its own, so that naming one more industry adds what it
//! names instead of narrowing what the others name (`Industry::wanted_in_asked` reads a broad
//! word beside a specific one as a qualifier of it).
use super::{english_tokens, hits, match_tokens, Industry, AUDIENCE, WITHIN};

/// Words that join the items of a wanted list ("such as", "like" and "wie" bring examples).
const JOINERS: &[&str] = &["and", "or", "nor", "und", "oder", "sowie", "bzw", "plus"];
/// Words from which the wanted list is over: its place, size, business, examples or a clause.
const LIST_ENDS: &[&str] = &[
    "in",
    "im",
    "with",
    "mit",
    "aus",
    "from",
    "across",
    "based",
    "located",
    "headquartered",
    "that",
    "which",
    "who",
    "whose",
    "welche",
    "deren",
    "dessen",
    "bevorzugt",
    "vorzugsweise",
    "ideally",
    "idealerweise",
    "preferably",
    "including",
    "incl",
    "inkl",
    "insbesondere",
    "especially",
    "such",
    "like",
    "wie",
    "e",
    "eg",
    "z",
    "zb",
    "etwa",
    "ab",
    "bis",
    "mainly",
    "vor",
    "only",
    "nur",
    "offering",
    "selling",
    "building",
    "developing",
    "making",
    "owning",
    "operating",
    "die",
    "der",
    "das",
];
/// Words that say what kind of company, not which industry: a broad word before them is the
/// industry asked for ("healthcare companies"), before any other word a qualifier of it ("digital
/// health platforms").
const COMPANY_WORDS: &[&str] = &[
    "companies",
    "company",
    "firms",
    "firm",
    "businesses",
    "business",
    "providers",
    "provider",
    "vendors",
    "vendor",
    "makers",
    "maker",
    "manufacturers",
    "manufacturer",
    "producers",
    "producer",
    "suppliers",
    "supplier",
    "operators",
    "operator",
    "groups",
    "group",
    "players",
    "organisations",
    "organizations",
    "enterprises",
    "corporations",
    "sector",
    "industry",
    "industries",
    "brands",
    "service",
    "services",
    "unternehmen",
    "firmen",
    "firma",
    "anbieter",
    "dienstleister",
    "hersteller",
    "produzenten",
    "betreiber",
    "konzerne",
    "konzern",
    "gesellschaften",
    "gesellschaft",
    "betriebe",
    "branche",
    "sektor",
    "industrie",
    "wirtschaft",
];

/// A word of the asked text (byte range) and what follows it.
struct Word<'a> {
    at: usize,
    text: &'a str,
}

/// One item of a wanted list: its words (indices into the words of the text), and the text that
/// stands for it in its own need (a German item cut short, "Software-", gets the head of the next:
/// "Softwaredienstleister").
struct Item {
    words: Vec<usize>,
    /// The words that name its industry (`naming`): the first item's words before them and the
    /// last item's after them belong to every need ("Makers of ...", "... firms").
    named: (usize, usize),
    own: String,
    segments: Vec<Industry>,
    /// Whether it stands in a parenthesis that adds, or was completed by the next item's head:
    /// lists the ICP's one reading (`Industry::wanted_in_asked`) does not see.
    unseen: bool,
}

/// The texts of an ICP's needs (`split_negations`' asked text, folded): one per item of its
/// wanted list, each the whole text without the other items, when the items name different
/// segments; empty when the ICP has one need. Examples (after a colon, "such as", "z. B.") and
/// asides in parentheses are no items; a parenthesis that adds ("(and IT services firms)",
/// "(sowie Computerhardware)") is one. An item that only qualifies another (a broad word before a
/// word that is not a kind of company: "digital health platforms"; a host segment named bare
/// beside one of its kinds: "hospital software and digital health platforms") is no need of its
/// own.
pub fn needs(asked: &str) -> Needs {
    let words = words_of(asked);
    let items = list(asked, &words);
    // An item the ICP's one reading does not want, though it sees it, is an example or a
    // qualifier of what is wanted ("integrated resorts" beside casino operators), unless it is a
    // broad word that reading gives way to a specific one for ("professional services").
    let whole = Industry::wanted_in_asked(asked);
    let seen = |item: &Item| item.segments.iter().all(|s| whole.contains(s));
    let wanted: Vec<&Item> = items
        .iter()
        .filter(|item| is_need(item, &items))
        .filter(|item| item.unseen || seen(item) || broad(item))
        .collect();
    let mut kinds: Vec<&Vec<Industry>> = wanted.iter().map(|i| &i.segments).collect();
    kinds.sort();
    kinds.dedup();
    if kinds.len() < 2 {
        return Needs::default();
    }
    let texts = wanted
        .iter()
        .map(|need| {
            let mut text = String::with_capacity(asked.len());
            let mut from = 0;
            for item in &items {
                let keep = std::ptr::eq(item, *need);
                let (first, last) = match (keep, item.words.first(), item.words.last()) {
                    (true, Some(first), Some(last)) => (*first, *last),
                    (false, Some(_), Some(_)) => item.named,
                    _ => continue,
                };
                let start = words[first].at;
                let end = words[last].at + words[last].text.len();
                let is_wanted = wanted.iter().any(|w| std::ptr::eq(*w, item));
                if !(keep || is_wanted) {
                    continue;
                }
                text.push_str(&asked[from..start]);
                if keep {
                    text.push_str(&item.own);
                }
                from = end;
            }
            text.push_str(&asked[from..]);
            text
        })
        .collect();
    Needs {
        texts,
        seen: wanted.iter().all(|item| seen(item)),
    }
}

/// The needs of an ICP (`needs`).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Needs {
    /// One text per need; none when the ICP has one need.
    pub texts: Vec<String>,
    /// Whether the ICP's one reading (`Industry::wanted_in_asked`) wants every need already: it
    /// then ranks as before, and the needs only add what each matches beyond it.
    pub seen: bool,
}

/// Words of a folded text: runs of letters, digits, hyphens and apostrophes.
fn words_of(text: &str) -> Vec<Word<'_>> {
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '\'';
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(Word {
                    at: s,
                    text: &text[s..i],
                });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Word {
            at: s,
            text: &text[s..],
        });
    }
    out
}

/// The punctuation between two words (or before the first / after the last).
fn between<'a>(text: &'a str, words: &[Word], i: usize) -> &'a str {
    let from = match i.checked_sub(1) {
        Some(p) => words[p].at + words[p].text.len(),
        None => 0,
    };
    let to = words.get(i).map_or(text.len(), |w| w.at);
    &text[from..to]
}

/// The items of the wanted list at the start of the text, each with the segments it names.
fn list(text: &str, words: &[Word]) -> Vec<Item> {
    let mut groups: Vec<Vec<usize>> = vec![Vec::new()];
    // Joiners between items, so a phrase across one ("oil and gas") is not cut.
    let mut joins: Vec<String> = Vec::new();
    let mut aside = 0usize;
    let mut adding = 0usize;
    let mut added: Vec<usize> = Vec::new();
    let close = |groups: &mut Vec<Vec<usize>>, joins: &mut Vec<String>, join: &str| {
        if groups.last().is_some_and(|g| !g.is_empty()) {
            groups.push(Vec::new());
            joins.push(join.to_string());
        }
    };
    for (i, w) in words.iter().enumerate() {
        let gap = between(text, words, i);
        let mut stop = false;
        for c in gap.chars() {
            match c {
                ':' | ';' | '!' | '?' if aside == 0 => stop = true,
                '.' if aside == 0 => {
                    let prev = i.checked_sub(1).map(|p| words[p].text);
                    stop |= !prev.is_some_and(|p| p == "ca" || super::ABBREVIATIONS.contains(&p));
                }
                '(' | '[' => {
                    if aside == 0 && adding == 0 && JOINERS.contains(&w.text) {
                        adding += 1;
                        close(&mut groups, &mut joins, "");
                    } else {
                        aside += 1;
                    }
                }
                ')' | ']' => {
                    if aside > 0 {
                        aside -= 1;
                    } else if adding > 0 {
                        adding -= 1;
                        close(&mut groups, &mut joins, "");
                    }
                }
                ',' | '/' if aside == 0 => close(&mut groups, &mut joins, ""),
                '&' if aside == 0 => close(&mut groups, &mut joins, "and"),
                _ => {}
            }
        }
        if stop {
            break;
        }
        if aside > 0 {
            if let Some(g) = groups.last_mut().filter(|g| !g.is_empty()) {
                g.push(i);
            }
            continue;
        }
        if JOINERS.contains(&w.text) {
            close(&mut groups, &mut joins, w.text);
            continue;
        }
        let ends = LIST_ENDS.contains(&w.text)
            || AUDIENCE.contains(&w.text)
            || super::NEGATIONS.contains(&w.text);
        if ends {
            break;
        }
        if let Some(g) = groups.last_mut() {
            g.push(i);
        }
        if adding > 0 {
            added.push(i);
        }
    }
    groups.retain(|g| !g.is_empty());
    // Items a phrase spans across their joiner are one ("oil and gas", "Tobacco & Gambling" not),
    // as are a bare modifier and the item whose head it shares ("retail and regional banks").
    let mut merged: Vec<Vec<usize>> = Vec::new();
    for (k, g) in groups.into_iter().enumerate() {
        let bridged = k > 0
            && merged.last().is_some_and(|m| {
                let join = joins.get(k - 1).map_or("", String::as_str);
                let first = g.first().map_or("", |f| words[*f].text);
                let before: Vec<&str> = m.iter().map(|i| words[*i].text).collect();
                let whole: Vec<&str> = g.iter().map(|i| words[*i].text).collect();
                !join.is_empty()
                    && (spans(&before, &format!("{join} {first}"))
                        || spans(&before, &format!("{join} {}", whole.join(" "))))
            });
        match merged.last_mut() {
            Some(m) if bridged => m.extend(g),
            _ => merged.push(g),
        }
    }
    let mut items: Vec<Item> = Vec::with_capacity(merged.len());
    for (k, g) in merged.iter().enumerate() {
        let text_of = |g: &[usize]| {
            g.iter()
                .map(|i| words[*i].text)
                .collect::<Vec<_>>()
                .join(" ")
        };
        let written = text_of(g);
        let mut own = written.clone();
        // "Software- und IT-Dienstleister": the item cut short takes the next item's head.
        if own.ends_with('-') && g.len() == 1 {
            let head = merged[k + 1..]
                .iter()
                .filter_map(|n| n.first())
                .map(|f| words[*f].text)
                .find(|t| !t.ends_with('-'))
                .and_then(head_of);
            if let Some(head) = head {
                own = format!("{}{head}", own.trim_end_matches('-'));
            }
        }
        let segments = Industry::wanted_in_asked(&own);
        let (Some(first), Some(last)) = (g.first(), g.last()) else {
            continue;
        };
        let naming = naming(g, words);
        let named = match (k == 0, k + 1 == merged.len()) {
            (true, true) => (
                naming.first().copied().unwrap_or(*first),
                naming.last().copied().unwrap_or(*last),
            ),
            (true, false) => (naming.first().copied().unwrap_or(*first), *last),
            (false, true) => (*first, naming.last().copied().unwrap_or(*last)),
            (false, false) => (*first, *last),
        };
        items.push(Item {
            words: g.clone(),
            named,
            unseen: own != written || g.iter().any(|i| added.contains(i)),
            own,
            segments,
        });
    }
    items
}

/// The words of an item that are part of a phrase of the taxonomy (compounds included).
fn naming(item: &[usize], words: &[Word]) -> Vec<usize> {
    let mut toks: Vec<String> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    for i in item {
        for t in match_tokens(words[*i].text) {
            if t != "," {
                toks.push(t);
                owner.push(*i);
            }
        }
    }
    let mut out: Vec<usize> = hits(&toks)
        .iter()
        .flat_map(|h| owner[h.start..h.end].iter().copied())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether a phrase of the taxonomy spans the joiner of "last join first" ("oil and gas"), or
/// begins further back in the item before it ("semiconductor equipment and materials"): `before`
/// are that item's words, `after` the joiner and the next item's first word.
fn spans(before: &[&str], after: &str) -> bool {
    (0..before.len()).rev().any(|from| {
        let head = before[from..].join(" ");
        let toks = match_tokens(&format!("{head} {after}"));
        hits(&toks)
            .iter()
            .any(|h| h.start == 0 && h.end == toks.len())
    })
}

/// The head a German list shares with its last item ("dienstleister" of "IT-Dienstleister",
/// "unternehmen" of "Pharmaunternehmen").
fn head_of(word: &str) -> Option<String> {
    let last = word.rsplit('-').next().unwrap_or(word);
    let ascii = super::german::ascii_umlauts(last).unwrap_or_else(|| last.to_string());
    super::german::HEADS
        .iter()
        .chain(COMPANY_WORDS)
        .filter(|h| h.len() >= 4)
        .filter_map(|h| {
            let at = ascii.rfind(*h)?;
            let rest = &ascii[at + h.len()..];
            (super::german::ENDINGS.contains(&rest) || rest.is_empty())
                .then(|| ascii[at..].to_string())
        })
        .max_by_key(String::len)
}

/// Whether an item names only broad words (`taxonomy::GROUPS`).
fn broad(item: &Item) -> bool {
    let found = hits(&english_tokens(match_tokens(&item.own)));
    !found.is_empty() && found.iter().all(|h| h.group)
}

/// Whether an item is a need of its own (see `needs`).
fn is_need(item: &Item, items: &[Item]) -> bool {
    if item.segments.is_empty() {
        return false;
    }
    let toks = english_tokens(match_tokens(&item.own));
    let found = hits(&toks);
    let Some(last) = found.iter().map(|h| h.end).max() else {
        return true;
    };
    let after: Vec<&String> = toks[last..].iter().filter(|t| *t != ",").collect();
    if found.iter().all(|h| h.group)
        && !after.iter().all(|t| {
            COMPANY_WORDS.contains(&t.as_str()) || super::german::HEADS.contains(&t.as_str())
        })
    {
        return false;
    }
    // A host segment beside one of its kinds qualifies it ("hospital software and digital
    // health platforms" are health IT).
    let hosts_another = items.iter().any(|other| {
        !std::ptr::eq(other, item)
            && item.segments.iter().all(|host| {
                WITHIN
                    .iter()
                    .any(|(kind, hosts)| other.segments.contains(kind) && hosts.contains(host))
            })
    });
    !hosts_another
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needs_of(icp: &str) -> Vec<String> {
        let (asked, _) = super::super::split_negations(icp);
        needs(&asked)
            .texts
            .into_iter()
            .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    }

    #[test]
    fn every_wanted_industry_is_a_need() {
        assert_eq!(
            needs_of("Consulting and professional services firms in the UK"),
            [
                "consulting and firms in the uk",
                "and professional services firms in the uk"
            ]
        );
        // A German list sharing a head: each item takes it.
        assert_eq!(
            needs_of("Personal- und Unternehmensdienstleister in Kanada."),
            [
                "personaldienstleister und in kanada.",
                "und unternehmensdienstleister in kanada."
            ]
        );
        assert_eq!(
            needs_of("Halbleiterhersteller oder Hersteller elektronischer Bauteile (sowie Computerhardware) in Taiwan.").len(),
            3
        );
        assert_eq!(
            needs_of("Software vendors (and IT services firms) in India.").len(),
            2
        );
        // What the ICP's one reading wants already: still a need each, but that reading ranks.
        let (asked, _) = super::super::split_negations("Banken oder Versicherer, z. B. Sparkassen");
        let both = needs(&asked);
        assert!(both.seen && both.texts.len() == 2, "{both:?}");
        let (asked, _) = super::super::split_negations(
            "Casino operators and integrated resorts, plus gaming machine companies",
        );
        let casinos = needs(&asked);
        assert!(casinos.texts.is_empty() || casinos.seen, "{casinos:?}");
    }

    #[test]
    fn a_phrase_across_a_joiner_from_further_back_is_one_item() {
        // "Semiconductor equipment and materials" is one phrase: its "materials" are no need of
        // their own (the materials group).
        for icp in [
            "Semiconductor equipment and materials suppliers: lithography, wafers.",
            "Makers of semiconductor equipment and materials in Japan",
        ] {
            assert!(needs_of(icp).is_empty(), "{icp}: {:?}", needs_of(icp));
        }
        // Items no phrase spans stay needs of their own.
        assert_eq!(needs_of("Chemicals and paper companies").len(), 2);
    }

    #[test]
    fn examples_clauses_and_qualifiers_are_no_needs() {
        for icp in [
            "Aerospace and defense contractors: aircraft components, military electronics",
            "Oil and gas exploration and production companies",
            "Öl- und Gasförderunternehmen (Exploration und Produktion) in den USA.",
            "Maschinenbauer, die Software entwickeln",
            "Chemieunternehmen mit Schwerpunkt Spezialchemie, Pflanzenschutz und Duengemittel",
            "Software for banks and insurers",
            "Anbieter von Krankenhaussoftware und digitalen Gesundheitsplattformen.",
            "Hospital software and digital health platform vendors.",
            "Software and healthcare IT vendors",
            "Regional banks",
        ] {
            assert!(needs_of(icp).is_empty(), "{icp}: {:?}", needs_of(icp));
        }
    }
}
