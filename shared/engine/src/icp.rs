//! Understanding an order's Ideal Customer Profile: industries, keywords, employee range, business
//! model and growth signals from free text (English and German), plus the hard filters
//! (`target_countries`, `excluded_industries`) and the soft `target_cities`.
use super::industry::{
    carried, exclusion_is_broader, exclusions_of, is_vendor, label_synonyms, named_labels_termed,
    narrowed, phrase_in, same_label, Exclusion, Industry, NamedLabels,
};
use super::text;
use super::word_lists::{self, List};
use domain::normalize;
use domain::order::Order;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeRange {
    pub min: Option<u64>,
    pub max: Option<u64>,
}

impl SizeRange {
    pub fn contains(&self, n: u64) -> bool {
        self.min.is_none_or(|m| n >= m) && self.max.is_none_or(|m| n <= m)
    }

    pub fn describe(&self) -> String {
        match (self.min, self.max) {
            (Some(a), Some(b)) => format!("{a}-{b}"),
            (Some(a), None) => format!("{a}+"),
            (None, Some(b)) => format!("up to {b}"),
            (None, None) => "any".into(),
        }
    }

    /// `describe` in German.
    pub fn describe_de(&self) -> String {
        match (self.min, self.max) {
            (Some(a), Some(b)) => format!("{a}-{b}"),
            (Some(a), None) => format!("ab {a}"),
            (None, Some(b)) => format!("bis {b}"),
            (None, None) => "beliebig".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BusinessModel {
    B2B,
    B2C,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Icp {
    pub industries: Vec<Industry>,
    /// Query terms for text relevance (folded, stop words removed), with the words of the wanted
    /// segments' names the ICP leaves unsaid (`industry::name_terms`).
    pub keywords: Vec<String>,
    pub size: Option<SizeRange>,
    pub business_model: Option<BusinessModel>,
    pub wants_growth: bool,
    /// ISO codes (or folded names for unlisted countries): a hard filter.
    pub countries: Vec<String>,
    /// Folded city names: a preference, not a filter.
    pub cities: Vec<String>,
    /// A hard filter: segments...
    pub excluded: Vec<Industry>,
    /// ...the excluded values' own words, matched against a company's label and tags
    /// ("Tobacco" also excludes "Food, Beverage & Tobacco")...
    pub excluded_phrases: Vec<Vec<String>>,
    /// ...and excluded catalog labels, matched whole (`industry::same_label`) against a company's
    /// label and tags: "Oil & Gas Refining & Marketing" removes the refiners, not the rest of oil
    /// and gas.
    pub excluded_labels: Vec<Vec<String>>,
    /// ...and the part of a wanted segment an excluded value names by its other words ("Uranium"
    /// of "Uranium mining" from miners, "health" of "Health insurers" from insurers): removed
    /// where a label carries them (`industry::carried`), but for the labels of the other
    /// segments the ICP asks for, which the value does not name.
    pub excluded_parts: Vec<(Vec<String>, Vec<Industry>)>,
    /// When the ICP names several wanted industries (`industry::needs`), one ICP per need: its
    /// industries and keywords, everything else as here. A company matches when it matches one of
    /// them (`pipeline::find`), so naming one more industry never loses what another names.
    pub needs: Vec<Icp>,
    /// Whether the first of `needs` is this ICP's own reading, which wants every need already
    /// (`industry::Needs::seen`): its results rank first, as they would alone, and the other
    /// needs only add what they match beyond it.
    pub whole_first: bool,
    /// A lookalike order's seeds (`lookalike_domains`, registrable domains): when given, discovery
    /// ranks by similarity to them (`similarity`), combined with this ICP when it states one.
    pub lookalike: Vec<String>,
    /// `excluded_industries` as given: a lookalike order without ICP text reads them against
    /// what its seeds are (`similarity::hard_filters`), as an ICP's are read against its text.
    pub excluded_values: Vec<String>,
    /// The sub-industries (catalog labels of the wanted segments) the ICP names by their own
    /// words: their companies rank first within their segment (`industry::named_labels`).
    pub named: NamedLabels,
    /// Segments the ICP names only as the customers of the vendors it wants ("software for
    /// insurers", `industry::domain_technology`): a company of one of them matches by its industry
    /// only where its label is named (the domain's technology), never as a customer.
    pub served: Vec<Industry>,
}

impl Icp {
    /// Whether a company's label or tags (tokenised, `industry::tokens`) are excluded, by an
    /// excluded label or by the words of an excluded value. Excluded segments are checked apart
    /// (`scoring::Facts::segment_in`).
    pub fn excludes_labels(&self, labels: &[Vec<String>]) -> bool {
        labels.iter().any(|label| {
            self.excluded_phrases.iter().any(|p| phrase_in(p, label))
                || self.excluded_labels.iter().any(|l| same_label(l, label))
                || self.excluded_parts.iter().any(|(words, spared)| {
                    carried(words, label)
                        && (spared.is_empty()
                            || !spared.contains(&Industry::classify(Some(&label.join(" ")), &[])))
                })
        })
    }
}

/// What the excluded values remove, for the ICP's wanted segments (`industry::exclusions_of`).
#[derive(Debug, Default)]
struct Excluded {
    segments: Vec<Industry>,
    phrases: Vec<Vec<String>>,
    labels: Vec<Vec<String>>,
    parts: Vec<(Vec<String>, Vec<Industry>)>,
    /// Each whole segment removed, with the index of the value that removed it.
    removed: Vec<(usize, Industry)>,
}

/// The segments an ICP asks for, and those of them it names by a word of their own
/// (`Industry::named_specifically`): an exclusion may remove a segment wanted only by a broad
/// word ("Financial services" without "Insurance"), never one the ICP names itself unless the
/// value is exactly that segment's name.
struct Wanted {
    all: Vec<Industry>,
    named: Vec<Industry>,
    /// The text asked for, whose own label terms no narrower exclusion removes.
    asked: String,
}

impl Wanted {
    /// What a value naming these segments must not remove: the segments the ICP names itself;
    /// all it asks for where the value names every one of them (the ICP's own need, as in
    /// "Business services" without "Professional services"), as the ICP's words then say more.
    fn kept_from(&self, named_by_value: &[Industry]) -> &[Industry] {
        if self.all.iter().all(|s| named_by_value.contains(s)) {
            &self.all
        } else {
            &self.named
        }
    }

    fn of(asked: &str) -> Wanted {
        Self::within(asked, Industry::wanted_in_asked(asked))
    }

    /// `all` as the segments asked for (the union of an ICP's needs), named where `asked` names
    /// them itself.
    fn within(asked: &str, all: Vec<Industry>) -> Wanted {
        let named = Industry::named_specifically(asked)
            .into_iter()
            .filter(|s| all.contains(s))
            .collect();
        Wanted {
            all,
            named,
            asked: asked.to_string(),
        }
    }
}

/// How an excluded value excludes (`industry::exclusions_of`), with the catalog labels it names
/// in English where it is German: the catalog's labels are English, so "Unterhaltungselektronik"
/// names the label "Consumer Electronics" only as "consumer electronics", and "Drohnenhersteller"
/// the drone makers only as "drone maker". Only the labels and sub-industries the English reading
/// names are added (`Exclusion::Label`, `Exclusion::Part`): its segments and plain words are no
/// more exact than the German reading's ("Autohäuser" read as "auto hauser" is no segment name).
/// A value naming a firm by the service it sells ("Marketing agencies") is read with the labels'
/// word for it too ("Marketing Services"), in the same way. A role phrase ("Suppliers of network
/// equipment to carriers") is read as the trade it names (`industry::role_object`).
fn read_exclusion(value: &str) -> Vec<Exclusion> {
    // A value spelled as only German is ("Netzwerkausrüster für Carrier") reads as German, also
    // in an order whose text tells no language by its small words.
    let spelled_german = value.chars().any(|c| "äöüÄÖÜß".contains(c));
    if spelled_german && !super::german::reads_german(&normalize::fold(value)) {
        return super::german::in_language(true, || read_exclusion(value));
    }
    // "E&P (exploration and production)" is E&P: the spelled-out words name other trades.
    let abbreviated = super::industry::abbreviation_alone(value);
    let value = abbreviated.as_deref().unwrap_or(value);
    // "Suppliers of network equipment to carriers" excludes what the phrase says they supply.
    let object = super::industry::role_object(value);
    let value = object.as_deref().unwrap_or(value);
    let mut out = exclusions_of(value);
    let folded = normalize::fold(value);
    let mut readings: Vec<String> = Vec::new();
    if super::german::reads_german(&folded) {
        super::german::in_language(true, || {
            // The whole value, and each item of a list on its own: the English reading has no
            // punctuation left, so "Autohersteller (OEMs)" would read as one "auto manufacturer
            // oems".
            for german in
                std::iter::once(folded.clone()).chain(super::industry::list_items(&folded))
            {
                let english = super::industry::in_english(&german);
                if super::industry::tokens_joined(&english)
                    != super::industry::tokens_joined(&german)
                {
                    readings.push(english);
                }
                // The words the taxonomy lists as German ("Süßwarenhersteller") in the
                // dictionary's English too ("confectionery maker"), as an English order names
                // their label.
                readings.extend(super::industry::in_english_by_dictionary(&german));
            }
        });
    }
    // A firm that sells a service is what the labels call that service ("Marketing agencies":
    // "Marketing Services").
    let as_services: Vec<String> = std::iter::once(&folded)
        .chain(&readings)
        .filter_map(|r| {
            let words = super::industry::tokens(r);
            words
                .iter()
                .any(|w| SERVICE_NOUNS.contains(&w.as_str()))
                .then(|| {
                    words
                        .iter()
                        .map(|w| {
                            if SERVICE_NOUNS.contains(&w.as_str()) {
                                "services"
                            } else {
                                w.as_str()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(" ")
                })
        })
        .collect();
    readings.extend(as_services);
    for reading in readings {
        for e in exclusions_of(&reading) {
            // A segment's catalog label the English reading names ("restaurant" of "Gaststätte",
            // "pharmaceuticals" of "Arznei") is that label, never the segment.
            let e = match e {
                Exclusion::Segments {
                    words, label: true, ..
                } => Exclusion::Label {
                    words,
                    segments: Vec::new(),
                },
                e => e,
            };
            if matches!(e, Exclusion::Label { .. } | Exclusion::Part { .. }) && !out.contains(&e) {
                out.push(e);
            }
        }
    }
    // "Suppliers to the oil industry" are its equipment and services: the labels that say so.
    // Only a reading that keeps the industry's own word: "services" alone is no one's trade.
    if let Some(trade) = super::industry::supplied_trade(value) {
        let own = super::industry::tokens(&trade);
        let own = &own[..own.len().saturating_sub(3)];
        for e in exclusions_of(&trade) {
            let keeps = match &e {
                Exclusion::Label { words, .. } | Exclusion::Part { words, .. } => {
                    words.iter().any(|w| own.contains(w))
                }
                _ => false,
            };
            if keeps && !out.contains(&e) {
                out.push(e);
            }
        }
    }
    // ...and whatever the catalog calls that industry's equipment ("Zulieferer der Netzbetreiber":
    // "Communications Equipment"), which need not carry the industry's own word.
    let equipment = super::industry::supplied_equipment_labels(value);
    if !equipment.is_empty() {
        out.push(Exclusion::Covered { labels: equipment });
    }
    // A partner's word for labels that carry none of it ("Alcohol": the brewers and the
    // wineries & distilleries; "Apotheken": "Pharmaceutical Retailers"): those labels alone.
    let termed = super::industry::termed_labels(value);
    if !termed.is_empty() {
        out.push(Exclusion::Covered { labels: termed });
    }
    out
}

/// Nouns for a firm that sells a service, which the labels call "Services" (`read_exclusion`).
static SERVICE_NOUNS: LazyLock<&[&str]> = LazyLock::new(|| word_lists::words(List::ServiceNouns));

fn excluded_by(values: &[String], wanted: &Wanted) -> Excluded {
    let mut out = Excluded::default();
    let mut asked_terms: Option<Vec<Vec<String>>> = None;
    for (i, value) in values.iter().enumerate() {
        for exclusion in read_exclusion(value) {
            let (free, words, label_only): (Vec<Industry>, Vec<String>, bool) = match exclusion {
                // A label goes with what it covers in the other vocabularies; its segment too
                // where the ICP does not ask for it at all, so that no vocabulary's name for it
                // slips through.
                Exclusion::Label { words, segments } => {
                    let free = segments
                        .into_iter()
                        .filter(|s| !wanted.all.contains(s))
                        .collect();
                    (free, words, true)
                }
                // A segment's whole name means the segment, even where the ICP seems to ask for
                // it ("Versicherungen kommen nicht in Frage").
                Exclusion::Segments {
                    segments,
                    words,
                    label,
                    exact,
                } => {
                    let kept = segments.len();
                    let protected = wanted.kept_from(&segments);
                    let free: Vec<Industry> = segments
                        .iter()
                        .copied()
                        .filter(|s| exact || !protected.contains(s))
                        .collect();
                    // Where the ICP names a segment the value names in part, the value removes
                    // only what it names exactly: its label, else what carries its words.
                    let label_only = label && free.len() < kept;
                    (free, words, label_only)
                }
                // The labels a partner's word names, never one the ICP's own words name by such
                // a word: "Versandapotheken" from "Apothekenketten und Drogerien" names a part
                // of the pharmacy retailers the ICP asks for, which no label can tell apart.
                Exclusion::Covered { labels } => {
                    let asked = asked_terms
                        .get_or_insert_with(|| super::industry::termed_labels(&wanted.asked));
                    out.labels
                        .extend(labels.into_iter().filter(|l| !asked.contains(l)));
                    continue;
                }
                // A sub-industry: its labels, and what carries its words; never a segment.
                Exclusion::Part { labels, words } => {
                    out.labels.extend(labels);
                    out.phrases.push(words);
                    continue;
                }
                Exclusion::Words { words, head } => {
                    let protected = wanted.kept_from(&head);
                    let free = head
                        .iter()
                        .copied()
                        .filter(|s| !protected.contains(s))
                        .collect();
                    (free, words, false)
                }
            };
            if label_only {
                out.labels.extend(label_synonyms(&words));
                out.labels.push(words);
            } else {
                // A value naming a part of a segment the ICP asks for ("Goldminen", "Uranium
                // mining" from miners) removes what its other words name (gold, uranium), but
                // never a label of another wanted segment the value does not name.
                // Only a segment the value leaves: one it removes whole has no part to name.
                let kept: Vec<Industry> = wanted
                    .all
                    .iter()
                    .copied()
                    .filter(|s| !free.contains(s))
                    .collect();
                if let Some((part, named)) = narrowed(&words, &kept) {
                    let spared = wanted
                        .all
                        .iter()
                        .copied()
                        .filter(|s| !named.contains(s))
                        .collect();
                    out.parts.push((part, spared));
                }
                out.phrases.push(words);
            }
            out.removed.extend(free.iter().map(|s| (i, *s)));
            out.segments.extend(free);
        }
    }
    out.segments.sort();
    out.segments.dedup();
    out
}

/// The `excluded_industries` values that remove a whole segment broader than what they name
/// (`industry::exclusion_is_broader`), for an order with this ICP: each value as written, with the
/// segment (the order's `warnings`). "Health insurance" removes every insurer; "Government" names
/// its segment and "Oil & Gas Refining & Marketing" removes only its label, so neither is listed.
pub fn broad_exclusions(icp_text: &str, excluded: &[String]) -> Vec<(String, Industry)> {
    as_discovery_reads(icp_text, excluded, || {
        let (asked, _) = super::industry::split_negations(icp_text);
        let mut out: Vec<(String, Industry)> = excluded_by(excluded, &Wanted::of(&asked))
            .removed
            .into_iter()
            .filter(|(i, s)| exclusion_is_broader(&excluded[*i], *s))
            .map(|(i, s)| (excluded[i].clone(), s))
            .collect();
        out.dedup();
        out
    })
}

/// The `excluded_industries` values that exclude nothing, for an order with this ICP: those
/// `industry::unmatched_exclusions` finds no industry in and whose other readings
/// (`read_exclusion`: in English where German, with the labels' word for a service) name no
/// label either. "Werbe- und Marketingagenturen" names "Advertising Agencies" in English and is
/// no such value. Read in the ICP's language where it is German, as discovery reads them.
pub fn unmatched_exclusions(icp_text: &str, values: &[String]) -> Vec<String> {
    as_discovery_reads(icp_text, values, || {
        super::industry::unmatched_exclusions(values)
            .into_iter()
            .filter(|v| {
                !read_exclusion(v).iter().any(|e| {
                    matches!(
                        e,
                        Exclusion::Label { .. }
                            | Exclusion::Part { .. }
                            | Exclusion::Covered { .. }
                    )
                })
            })
            .collect()
    })
}

/// Words that say a company is growing, in an ICP or a company description.
pub static GROWTH_WORDS: LazyLock<&[&str]> = LazyLock::new(|| word_lists::words(List::GrowthWords));

pub fn parse(order: &Order) -> Icp {
    let icp_text = order.ideal_customer_profile.as_deref().unwrap_or_default();
    let mut icp = parse_parts(
        icp_text,
        order.target_countries.as_deref().unwrap_or_default(),
        order.target_cities.as_deref().unwrap_or_default(),
        order.excluded_industries.as_deref().unwrap_or_default(),
    );
    icp.lookalike = order.lookalike_domains.clone().unwrap_or_default();
    icp
}

pub fn parse_parts(
    icp_text: &str,
    countries: &[String],
    cities: &[String],
    excluded: &[String],
) -> Icp {
    as_discovery_reads(icp_text, excluded, || {
        parse_in_language(icp_text, countries, cities, excluded)
    })
}

/// Runs `read` in what an order's own text says of how to read it, so discovery and the order's
/// warnings read its words alike. Every part of the ICP (a need, a list item, an excluded value)
/// is read in the ICP's language: "professionelle Dienstleister" alone has no small word that
/// tells it is German. The dictionary reads each word as it is spelled ("Förderung" is no
/// "Forderung"), and a word the partner capitalises as an abbreviation is one ("REITs").
fn as_discovery_reads<R>(icp_text: &str, excluded: &[String], read: impl FnOnce() -> R) -> R {
    let german = super::german::reads_german(&normalize::fold(icp_text));
    let texts: Vec<&str> = std::iter::once(icp_text)
        .chain(excluded.iter().map(String::as_str))
        .collect();
    super::german::with_spellings(&texts, || {
        super::industry::with_abbreviations(&texts, || {
            super::german::in_language(german, || super::industry::with_word_memo(read))
        })
    })
}

/// Whether a ruled-out phrase names the customers of the vendors an ICP asks for, as
/// themselves ("not the carriers themselves", "nicht die Logistiker selbst"): only segments of
/// the domain whose technology it wants.
fn the_customers_themselves(value: &str, for_domain: &super::industry::DomainTechnology) -> bool {
    let folded = normalize::fold(value);
    let themselves = folded
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| matches!(w, "themselves" | "itself" | "selbst"));
    if !themselves || for_domain.is_empty() {
        return false;
    }
    let named = Industry::mentioned_in(&super::industry::in_english(&folded));
    !named.is_empty() && named.iter().all(|s| for_domain.segments.contains(s))
}

fn parse_in_language(
    icp_text: &str,
    countries: &[String],
    cities: &[String],
    excluded: &[String],
) -> Icp {
    // What the ICP text itself rules out ("No airlines") excludes like `excluded_industries`;
    // everything else is read from what it asks for, so a ruled-out word is never a keyword.
    let (asked, ruled_out) = super::industry::split_negations(icp_text);
    let size = size_outside(icp_text, &ruled_out);
    // German words count in English too ("Konsumentenkredite": consumer), as for keywords.
    let english = super::industry::in_english(&asked);
    let folded = format!(
        " {} {} ",
        super::industry::tokens_joined(&asked),
        super::industry::tokens_joined(&english)
    );
    let listed = super::industry::needs(&asked);
    let needs: Vec<(String, Vec<Industry>)> = listed
        .texts
        .into_iter()
        .map(|n| {
            let wanted = Industry::wanted_in_asked(&n);
            (n, wanted)
        })
        .collect();
    let wanted = if needs.is_empty() {
        Wanted::of(&asked)
    } else {
        let mut all: Vec<Industry> = needs.iter().flat_map(|(_, w)| w.iter().copied()).collect();
        all.sort();
        all.dedup();
        Wanted::within(&asked, all)
    };
    // Software for a domain is that domain's technology ("Krankenhaussoftware": health IT).
    let for_domain = super::industry::domain_technology(&asked);
    // What the ICP text rules out excludes as `excluded_industries` does, but for the customers
    // "themselves" of the vendors it asks for ("die Anbieter, nicht die Logistiker selbst"): they
    // never match as customers anyway (`served`), and their segment holds the domain's
    // technology labels ("B2B / Supply Chain and Logistics").
    let given = excluded.to_vec();
    let values: Vec<String> = excluded
        .iter()
        .cloned()
        .chain(
            ruled_out
                .into_iter()
                .filter(|v| !the_customers_themselves(v, &for_domain)),
        )
        .collect();
    let excluded = excluded_by(&values, &wanted);
    let free = |wanted: &[Industry]| -> Vec<Industry> {
        wanted
            .iter()
            .copied()
            .filter(|b| !excluded.segments.contains(b))
            .collect()
    };
    let mut industries = free(&wanted.all);
    let served = for_domain.add_segments(&mut industries, &excluded.segments);
    let keywords = keywords_of(&english, &industries);
    // The ICP's words name labels as they would without its exclusions (`NamedLabels::within`).
    // A partner's word for labels (`industry::termed_labels`) where the ICP asks for them, not
    // in its examples or customers (`industry::asked_part`).
    let termed = super::industry::Terms::of(&super::industry::asked_part(&asked));
    let mut named = named_labels_termed(
        &english,
        &termed.labels,
        &with_excluded(&industries, &wanted.all),
    )
    .within(&industries);
    named.name_siblings(&english, &excluded.labels, &industries);
    for_domain.name(&industries, &served, &mut named);
    named.groups =
        super::industry::parted_groups(&named, &english, &excluded.labels, &excluded.segments);
    let mut icp = Icp {
        industries,
        keywords,
        size,
        business_model: business_model(&folded),
        wants_growth: GROWTH_WORDS
            .iter()
            .any(|w| folded.contains(&format!(" {w}"))),
        countries: countries.iter().map(|c| normalize::country(c)).collect(),
        cities: cities.iter().map(|c| normalize::city(c)).collect(),
        excluded: excluded.segments.clone(),
        excluded_phrases: excluded.phrases,
        excluded_labels: excluded.labels,
        excluded_parts: excluded.parts,
        needs: Vec::new(),
        whole_first: false,
        lookalike: Vec::new(),
        excluded_values: given,
        named,
        served,
    };
    // A need whose every industry is excluded asks for nothing left.
    let needs: Vec<Icp> = needs
        .iter()
        .filter_map(|(text, wanted)| {
            let mut industries = free(wanted);
            // A need's own domain, else the whole ICP's where the need asks for vendors.
            let own = super::industry::domain_technology(text);
            let reading = if own.is_empty() && industries.iter().any(|i| is_vendor(*i)) {
                &for_domain
            } else {
                &own
            };
            let served = reading.add_segments(&mut industries, &excluded.segments);
            let need = super::industry::in_english(text);
            // Only where the whole ICP asks for them too: a need may be one of its examples.
            let own_terms =
                super::industry::termed_labels_among(&super::industry::asked_part(text), &termed);
            let mut named =
                named_labels_termed(&need, &own_terms, &with_excluded(&industries, wanted))
                    .within(&industries);
            named.name_siblings(&need, &icp.excluded_labels, &industries);
            reading.name(&industries, &served, &mut named);
            named.groups =
                super::industry::parted_groups(&named, &need, &icp.excluded_labels, &icp.excluded);
            (!industries.is_empty()).then(|| Icp {
                keywords: keywords_of(&need, &industries),
                named,
                served,
                industries,
                ..icp.clone()
            })
        })
        .collect();
    if needs.len() > 1 {
        if listed.seen {
            icp.needs = std::iter::once(icp.clone()).chain(needs).collect();
            icp.whole_first = true;
        } else {
            icp.needs = needs;
        }
    }
    icp
}

/// The segments an ICP (or a need) asks for, with those of `asked` its exclusions removed, in
/// the order of `Industry::ALL`.
fn with_excluded(industries: &[Industry], asked: &[Industry]) -> Vec<Industry> {
    if asked.iter().all(|s| industries.contains(s)) {
        return industries.to_vec();
    }
    let mut all: Vec<Industry> = industries.iter().chain(asked).copied().collect();
    all.sort();
    all.dedup();
    all
}

/// The query terms of an ICP (its text in English) and its wanted segments' English names:
/// catalog descriptions are English, and a German ICP ("Maschinenbauer") would otherwise rank
/// its segment by nothing.
fn keywords_of(english: &str, industries: &[Industry]) -> Vec<String> {
    let mut keywords = text::query_terms(english);
    let said = keywords.clone();
    for term in industries
        .iter()
        .flat_map(|i| super::industry::name_terms(&said, *i))
    {
        if !keywords.contains(&term) {
            keywords.push(term);
        }
    }
    keywords
}

fn business_model(folded: &str) -> Option<BusinessModel> {
    let b2b = folded.contains(" b2b ") || folded.contains(" business-to-business ");
    let b2c = folded.contains(" b2c ")
        || folded.contains(" consumer ")
        || folded.contains(" consumers ")
        || folded.contains(" endkunden ");
    match (b2b, b2c) {
        (true, false) => Some(BusinessModel::B2B),
        (false, true) => Some(BusinessModel::B2C),
        _ => None,
    }
}

static PEOPLE_WORDS: LazyLock<&[&str]> = LazyLock::new(|| word_lists::words(List::PeopleWords));

/// Whether `word` is the people word `people` or one of its forms ("Mitarbeitern"); a short
/// abbreviation ("MA", "emp.") only whole.
fn counts_people(word: &str, people: &str) -> bool {
    if people.len() < 4 {
        word.trim_end_matches(['.', ':']) == people
    } else {
        word.starts_with(people)
    }
}

/// The ICP's employee range, not read in what it rules out: "Startups don't interest us" asks
/// for no startup's size.
fn size_outside(icp_text: &str, ruled_out: &[String]) -> Option<SizeRange> {
    let mut text = normalize::fold(icp_text);
    for item in ruled_out.iter().filter(|r| !r.is_empty()) {
        if let Some(at) = text.find(item.as_str()) {
            text.replace_range(at..at + item.len(), " ");
        }
    }
    size_range(&text)
}

/// Employee ranges: "50-500 employees", "between 50 and 500", "more than 200 staff", "200+",
/// "fewer than 50", "up to 100", "über 200 Mitarbeiter", and the segment words (SMB, mid-market,
/// enterprise, startup, KMU, Mittelstand, Konzern).
pub fn size_range(text: &str) -> Option<SizeRange> {
    let t = strip_digit_groups(&normalize::fold(text).replace('\'', ""));
    let words: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    let num = |w: &str| -> Option<u64> { w.trim_end_matches('+').parse().ok() };
    let near_people = |i: usize| {
        words
            .iter()
            .skip(i)
            .take(4)
            .any(|w| PEOPLE_WORDS.iter().any(|p| counts_people(w, p)))
    };
    for i in 0..words.len() {
        let w = words[i];
        // "50-500" or "50–500"
        if let Some((a, b)) = w.split_once(['-', '–']) {
            if let (Some(a), Some(b)) = (num(a), num(b)) {
                // "50-500 employees", or a headcount before it: "MA 100-500", "FTE: 10-50".
                let people_before =
                    i > 0 && PEOPLE_WORDS.iter().any(|p| counts_people(words[i - 1], p));
                if a < b && (near_people(i + 1) || people_before) {
                    return Some(SizeRange {
                        min: Some(a),
                        max: Some(b),
                    });
                }
            }
        }
        let Some(n) = num(w) else { continue };
        // "50 employees" or "50 to 500 employees": the number must be about people.
        let range_follows =
            i + 2 < words.len() && num(words[i + 2]).is_some() && near_people(i + 3);
        if !near_people(i + 1) && !range_follows {
            continue;
        }
        let prev = |k: usize| if i >= k { words[i - k] } else { "" };
        // "50 to 500", "50 bis 500", "between 50 and 500"
        if i + 2 < words.len() && ["to", "bis", "and", "und"].contains(&words[i + 1]) {
            if let Some(m) = num(words[i + 2]) {
                return Some(SizeRange {
                    min: Some(n),
                    max: Some(m),
                });
            }
        }
        if w.ends_with('+') {
            return Some(SizeRange {
                min: Some(n),
                max: None,
            });
        }
        let before = format!("{} {}", prev(2), prev(1));
        let at_least = [
            "more than",
            "over",
            "above",
            "at least",
            "mehr als",
            "uber",
            "mindestens",
            "ab",
            "minimum",
        ];
        let at_most = [
            "fewer than",
            "less than",
            "under",
            "up to",
            "below",
            "at most",
            "weniger als",
            "unter",
            "bis zu",
            "maximal",
            "max",
        ];
        // "more than 200" excludes 200 itself; "at least" and "up to" include it.
        let inclusive = [
            "at least",
            "mindestens",
            "ab",
            "minimum",
            "up to",
            "at most",
            "bis zu",
            "maximal",
            "max",
        ];
        let bound = |p: &str, exclusive: u64| if inclusive.contains(&p) { n } else { exclusive };
        if let Some(p) = at_least.iter().find(|p| before.ends_with(**p)) {
            return Some(SizeRange {
                min: Some(bound(p, n + 1)),
                max: None,
            });
        }
        if let Some(p) = at_most.iter().find(|p| before.ends_with(**p)) {
            return Some(SizeRange {
                min: None,
                max: Some(bound(p, n.saturating_sub(1))),
            });
        }
        // The bound said after the number: "250 employees or more", "200 oder mehr Mitarbeiter".
        let after = |k: usize| words.get(i + k).copied().unwrap_or_default();
        let people_next = PEOPLE_WORDS.iter().any(|p| counts_people(after(1), p));
        let skip = if people_next { 2 } else { 1 };
        let tail = format!("{} {}", after(skip), after(skip + 1));
        let tail = tail.trim_end_matches(['.', ':']);
        let or_more = [
            "or more",
            "and more",
            "or above",
            "and above",
            "or larger",
            "oder mehr",
            "und mehr",
            "und daruber",
            "oder daruber",
        ];
        let or_fewer = [
            "or fewer",
            "or less",
            "and fewer",
            "and less",
            "or below",
            "and below",
            "oder weniger",
            "und weniger",
        ];
        if or_more.contains(&tail) {
            return Some(SizeRange {
                min: Some(n),
                max: None,
            });
        }
        if or_fewer.contains(&tail) {
            return Some(SizeRange {
                min: None,
                max: Some(n),
            });
        }
    }
    let padded = format!(" {} ", words.join(" "));
    let segments: &[(&[&str], SizeRange)] = &[
        (
            &[
                " mid-market ",
                " mid market ",
                " midmarket ",
                " mittelstand ",
                " mittelstandische ",
                " mittelständische ",
            ],
            SizeRange {
                min: Some(50),
                max: Some(1000),
            },
        ),
        (
            &[
                " large enterprises ",
                " enterprises ",
                " large companies ",
                " grossunternehmen ",
                " konzern ",
                " konzerne ",
            ],
            SizeRange {
                min: Some(1000),
                max: None,
            },
        ),
        (
            &[
                " smb ",
                " smbs ",
                " sme ",
                " smes ",
                " kmu ",
                " small and medium ",
                " small businesses ",
            ],
            SizeRange {
                min: Some(1),
                max: Some(250),
            },
        ),
        (
            &[
                " startup ",
                " startups ",
                " start-up ",
                " start-ups ",
                " early-stage ",
            ],
            SizeRange {
                min: Some(1),
                max: Some(50),
            },
        ),
    ];
    segments
        .iter()
        .find(|(phrases, _)| phrases.iter().any(|p| padded.contains(p)))
        .map(|(_, r)| *r)
}

/// "1,000" and "1.000" -> "1000", so thousands separators do not split numbers.
fn strip_digit_groups(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, c) in chars.iter().enumerate() {
        let grouped = (*c == ',' || *c == '.')
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars
                .get(i + 1..i + 4)
                .is_some_and(|d| d.iter().all(char::is_ascii_digit))
            && !chars.get(i + 4).is_some_and(char::is_ascii_digit);
        if !grouped {
            out.push(*c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    /// A value naming a sub-industry by a word that a broader label carries ("oil" of "Oil, Gas
    /// & Consumable Fuels") removes what carries the word, not the rest that label covers: coal
    /// and uranium producers the ICP asks for stay.
    #[test]
    fn oil_producers_excluded_leave_the_coal_and_uranium_producers() {
        let label = |l: &str| vec![crate::industry::tokens(l)];
        let icp = parse_parts(
            "Energy companies in Canada: oil, gas, coal and uranium producers",
            &[],
            &[],
            &["oil producers".to_string()],
        );
        assert!(icp.excludes_labels(&label("Oil & Gas E&P")));
        for kept in ["Thermal Coal", "Coking Coal", "Uranium"] {
            assert!(!icp.excludes_labels(&label(kept)), "{kept}");
        }
    }

    use super::*;

    /// The evidence of `label` for an ICP read as production reads it (`icp::parse_parts`).
    fn parsed_evidence(icp: &str, excluded: &[&str], label: &str) -> Option<f64> {
        let excluded: Vec<String> = excluded.iter().map(|e| e.to_string()).collect();
        let icp = parse_parts(icp, &["USA".into()], &[], &excluded);
        let segment = Industry::classify(Some(label), &[]);
        icp.named
            .evidence(segment, &[crate::industry::tokens(label)])
    }

    #[test]
    fn a_partners_word_for_a_label_names_it_where_the_icp_asks_for_it() {
        // "hotels" is the partner's word for "Lodging" (`taxonomy::LABEL_TERMS`).
        for text in [
            "Hotel groups and restaurant chains in the USA",
            "Hotelketten und Systemgastronomie in den USA",
        ] {
            assert_eq!(parsed_evidence(text, &[], "Lodging"), Some(1.0), "{text}");
            assert_eq!(parsed_evidence(text, &[], "Leisure"), Some(0.0), "{text}");
        }
        // Not where the term is the customers' ("software for estate agents") or an example
        // after the colon.
        let software = "Real estate software vendors for landlords and estate agents";
        assert_ne!(
            parsed_evidence(software, &[], "Real Estate Services"),
            Some(1.0)
        );
        let media = "Media companies: publishers, film studios and video game developers";
        assert_ne!(parsed_evidence(media, &[], "Consumer / Gaming"), Some(1.0));
    }

    #[test]
    fn an_excluded_label_names_its_unsaid_siblings() {
        let carriers = "Insurance carriers in the United States.";
        let life = ["Life & annuity writers"];
        assert_eq!(
            parsed_evidence(carriers, &life, "Insurance - Property & Casualty"),
            Some(0.5)
        );
        assert_eq!(
            parsed_evidence(carriers, &life, "Fintech / Insurance"),
            Some(0.0)
        );
        // Without the exclusion nothing of the family is named.
        assert_ne!(
            parsed_evidence(carriers, &[], "Insurance - Property & Casualty"),
            Some(0.5)
        );
        // Where the ICP's words name some of the family, those are what it asks for.
        let reits = "Equity REITs in the United States that own office buildings and warehouses";
        assert_eq!(
            parsed_evidence(reits, &["Hotel REITs"], "REIT - Mortgage"),
            Some(0.0)
        );
    }

    /// An ICP whose words name labels of the segment beyond the excluded label's family asks
    /// for those too: the exclusion names no sibling, and nothing it asks for ranks lower.
    #[test]
    fn an_excluded_label_names_no_siblings_where_the_icp_names_more_of_its_segment() {
        for text in [
            "Food and beverage manufacturers in the USA",
            "Lebensmittel- und Getränkehersteller in den USA",
        ] {
            for label in ["Beverages - Non-Alcoholic", "Packaged Foods"] {
                assert_eq!(
                    parsed_evidence(text, &["Brewers"], label),
                    parsed_evidence(text, &[], label),
                    "{text}: {label}"
                );
            }
        }
        // The family alone asked for: its rest first, also beside a word many labels carry.
        for text in [
            "Beverage makers in the USA",
            "Beverage products companies in the USA",
        ] {
            assert_eq!(
                parsed_evidence(text, &["Brewers"], "Beverages - Non-Alcoholic"),
                Some(0.5),
                "{text}"
            );
        }
    }

    /// A German value naming a label by a word the taxonomy lists as the wanted segment's own
    /// ("Süßwaren" of food) removes the label the dictionary's English names ("confectionery":
    /// "Confectioners"), and no sibling of the wanted segment, in a German order whose short text
    /// tells its language by no small word.
    #[test]
    fn a_german_value_removes_the_label_its_dictionary_english_names() {
        let label = |l: &str| vec![crate::industry::tokens(l)];
        for text in [
            "Lebensmittelhersteller in Deutschland",
            "Hersteller von Lebensmitteln in Deutschland",
        ] {
            let icp = parse_parts(text, &[], &[], &["Süßwarenhersteller".to_string()]);
            assert!(icp.industries.contains(&Industry::Food), "{text}");
            assert!(icp.excludes_labels(&label("Confectioners")), "{text}");
            assert!(!icp.excludes_labels(&label("Packaged Foods")), "{text}");
            assert!(
                !icp.excludes_labels(&label("Beverages - Non-Alcoholic")),
                "{text}"
            );
        }
    }

    /// A role phrase excludes the trade it names, not the customers after "to".
    #[test]
    fn a_role_phrase_excludes_its_trade() {
        assert_eq!(
            crate::industry::role_object("Suppliers of network equipment to carriers").as_deref(),
            Some("network equipment")
        );
        assert_eq!(
            crate::industry::role_object("Network equipment vendors"),
            None
        );
        let covered = read_exclusion("Suppliers of network equipment to carriers")
            .into_iter()
            .any(|e| matches!(e, Exclusion::Covered { labels } if labels.iter().any(|l| l.join(" ") == "communications equipment")));
        assert!(covered);
    }

    fn r(min: Option<u64>, max: Option<u64>) -> Option<SizeRange> {
        Some(SizeRange { min, max })
    }

    #[test]
    fn size_phrases() {
        let cases = [
            (
                "Mid-market SaaS companies in the DACH region with 50-500 employees",
                r(Some(50), Some(500)),
            ),
            (
                "companies with between 20 and 200 employees",
                r(Some(20), Some(200)),
            ),
            ("more than 200 staff", r(Some(201), None)),
            ("over 1,000 employees", r(Some(1001), None)),
            ("at least 50 employees", r(Some(50), None)),
            ("200+ employees", r(Some(200), None)),
            ("fewer than 50 people", r(None, Some(49))),
            ("up to 100 employees", r(None, Some(100))),
            (
                "Unternehmen mit 50 bis 250 Mitarbeitern",
                r(Some(50), Some(250)),
            ),
            ("mehr als 200 Mitarbeiter", r(Some(201), None)),
            (
                "Dev-Tool-Start-ups mit 5-150 MA, Fokus Cloud",
                r(Some(5), Some(150)),
            ),
            ("Kunden ab 50 MA.", r(Some(50), None)),
            ("teams of 10 to 80 emp.", r(Some(10), Some(80))),
            ("50 Maschinenbauer und 20 Marken", None),
            ("Firmen mit 250 MA oder mehr", r(Some(250), None)),
            ("companies of 500 employees or more.", r(Some(500), None)),
            ("200 or more employees", r(Some(200), None)),
            ("50 Mitarbeiter oder weniger", r(None, Some(50))),
            ("teams of 20 people or fewer", r(None, Some(20))),
            ("Maschinenbauer, MA 100-500", r(Some(100), Some(500))),
            ("headcount: 50-500", r(Some(50), Some(500))),
            ("Umsatz 10-50 Mio., Maschinenbau", None),
            ("über 500 Mitarbeitende", r(Some(501), None)),
            ("weniger als 20 Mitarbeiter", r(None, Some(19))),
            (
                "Maschinenbau-Unternehmen in Deutschland mit mehr als 200 Mitarbeitern",
                r(Some(201), None),
            ),
            ("Mid-market software vendors", r(Some(50), Some(1000))),
            ("Mittelständische Maschinenbauer", r(Some(50), Some(1000))),
            ("SMB retailers", r(Some(1), Some(250))),
            ("large enterprises in banking", r(Some(1000), None)),
            ("enterprise software for HR", None),
            ("early-stage startups", r(Some(1), Some(50))),
            ("Founded in 2015 in Berlin, B2B software", None),
            ("Tech companies in Europe", None),
        ];
        for (text, want) in cases {
            assert_eq!(size_range(text), want, "{text}");
        }
    }

    #[test]
    fn a_ruled_out_size_word_asks_for_no_size() {
        for icp in [
            "Logistics firms in Germany. Startups don't interest us.",
            "Maschinenbauer in Bayern, keine Startups",
        ] {
            assert_eq!(parse_parts(icp, &[], &[], &[]).size, None, "{icp}");
        }
        let icp = parse_parts(
            "Logistics firms with 50-500 employees, no startups",
            &[],
            &[],
            &[],
        );
        assert_eq!(icp.size.and_then(|s| s.max), Some(500));
    }

    #[test]
    fn parses_the_guides_icp() {
        let icp = parse_parts(
            "Mid-market B2B SaaS companies in the DACH region with 50-500 employees, focused on enterprise software solutions for HR, finance, or operations. Ideally companies that have raised Series A-C funding and are actively growing their sales team.",
            &["Germany".into(), "Österreich".into(), "CH".into()],
            &["München".into()],
            &["Government".into(), "Non-profit".into()],
        );
        assert_eq!(icp.countries, vec!["DE", "AT", "CH"]);
        assert_eq!(icp.cities, vec!["munich"]);
        assert_eq!(
            icp.excluded,
            vec![Industry::Government, Industry::NonProfit]
        );
        assert!(icp.industries.contains(&Industry::Software));
        assert_eq!(icp.size, r(Some(50), Some(500)));
        assert_eq!(icp.business_model, Some(BusinessModel::B2B));
        assert!(icp.wants_growth);
        assert!(icp.keywords.contains(&"saas".to_string()));
        assert!(!icp.keywords.contains(&"the".to_string()));
    }

    #[test]
    fn excluded_industries_never_count_as_wanted() {
        let icp = parse_parts(
            "Banks and insurance companies",
            &["DE".into()],
            &[],
            &["Insurance".into()],
        );
        // The value is the segment's whole name: the segment goes even where the ICP names it.
        assert_eq!(icp.excluded, vec![Industry::Insurance]);
        assert_eq!(icp.industries, vec![Industry::Banks]);
        assert_eq!(icp.excluded_phrases, vec![vec!["insurance".to_string()]]);
        let icp = parse_parts("Regional banks", &["DE".into()], &[], &["Insurance".into()]);
        assert_eq!(icp.excluded, vec![Industry::Insurance]);
        assert_eq!(icp.industries, vec![Industry::Banks]);
        let icp = parse_parts(
            "Equity REITs owning offices",
            &["US".into()],
            &[],
            &["Mortgage REITs".into(), "Health insurance".into()],
        );
        assert_eq!(icp.industries, vec![Industry::Reits]);
        assert_eq!(icp.excluded, vec![Industry::Insurance]);
    }

    /// A German order's warnings read its values as discovery reads them (`as_discovery_reads`):
    /// in German, as spelled.
    #[test]
    fn german_orders_are_warned_as_english_ones() {
        let values = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<String>>();
        assert_eq!(
            broad_exclusions(
                "Krankenhausbetreiber in den USA",
                &values(&["Krankenversicherer"])
            ),
            vec![("Krankenversicherer".to_string(), Industry::Insurance)]
        );
        let text = "Lebensmittelhersteller in Deutschland";
        let value = values(&["Süßwarenhersteller"]);
        assert!(unmatched_exclusions(text, &value).is_empty());
        assert!(broad_exclusions(text, &value).is_empty());
        assert_eq!(
            unmatched_exclusions(text, &values(&["Xylophonbauer", "Süßwaren"])),
            values(&["Xylophonbauer"])
        );
    }

    fn labelled(icp: &Icp, label: &str) -> bool {
        icp.excludes_labels(&[crate::industry::tokens(label)])
    }

    #[test]
    fn suppliers_to_an_industry_excluded_leave_its_producers() {
        for (text, value) in [
            (
                "Oil and gas producers in Norway",
                "suppliers to the oil industry",
            ),
            (
                "Öl- und Gasförderer in Norwegen",
                "Zulieferer der Ölindustrie",
            ),
        ] {
            let icp = parse_parts(text, &["NO".into()], &[], &[value.into()]);
            assert!(labelled(&icp, "Oil & Gas Equipment & Services"), "{value}");
            assert!(labelled(&icp, "Energy Equipment & Services"), "{value}");
            assert!(!labelled(&icp, "Oil & Gas E&P"), "{value}");
            assert!(!labelled(&icp, "Oil, Gas & Consumable Fuels"), "{value}");
        }
    }

    #[test]
    fn only_values_that_exclude_nothing_are_warned_about() {
        let values = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<String>>();
        // Read in English, these name labels: no warning.
        for (icp, value) in [
            (
                "Medienunternehmen in den USA",
                "Werbe- und Marketingagenturen",
            ),
            ("Öl- und Gasproduzenten in den USA", "Ölfeldausrüster"),
            ("Softwarehersteller in den USA", "Infrastruktursoftware"),
            ("Media companies in the USA", "Ad agencies"),
        ] {
            assert!(
                unmatched_exclusions(icp, &values(&[value])).is_empty(),
                "{value}"
            );
        }
        assert_eq!(
            unmatched_exclusions("Software vendors", &values(&["Xylophones", "Banks"])),
            values(&["Xylophones"])
        );
    }

    #[test]
    fn exclusions_in_partners_words_remove_the_labels_they_name() {
        let us = ["United States".to_string()];
        let exclude = |icp: &str, value: &str| parse_parts(icp, &us, &[], &[value.to_string()]);
        // (ICP, excluded value, labels it removes, labels the ICP asks for that stay.)
        let cases: &[(&str, &str, &[&str], &[&str])] = &[
            // Who plies a trade is the trade's label ("Refiners": refining).
            (
                "Oil and gas producers: exploration and production, integrated majors, pipelines",
                "Refiners",
                &["Oil & Gas Refining & Marketing"],
                &[
                    "Oil & Gas E&P",
                    "Oil & Gas Midstream",
                    "Oil & Gas Integrated",
                ],
            ),
            // An English compound by its words; homes are residential.
            (
                "General contractors and engineering & construction firms",
                "Homebuilders",
                &["Residential Construction"],
                &["Construction & Engineering", "Engineering & Construction"],
            ),
            (
                "General contractors and engineering & construction firms",
                "home builders",
                &["Residential Construction"],
                &["Construction & Engineering"],
            ),
            // Abbreviations and acronyms.
            (
                "Broadcasters, publishers and film studios",
                "Ad agencies",
                &["Advertising Agencies"],
                &["Broadcasting", "Publishing", "Entertainment"],
            ),
            (
                "Automotive suppliers making parts and components",
                "OEMs",
                &["Auto Manufacturers", "Automobiles"],
                &["Auto Parts", "Auto Components"],
            ),
            (
                "Regulated electric, gas and water utilities",
                "IPPs",
                &[
                    "Utilities - Independent Power Producers",
                    "Independent Power and Renewable Electricity Producers",
                ],
                &["Electric Utilities", "Gas Utilities", "Water Utilities"],
            ),
            // An agency is what the labels call a service.
            (
                "Media companies: broadcasters and publishers",
                "Advertising & marketing agencies",
                &["Advertising Agencies", "Marketing Services"],
                &["Broadcasting", "Publishing"],
            ),
            // A parent label covers its children in the YC vocabulary.
            (
                "Banks and asset managers",
                "Fintech",
                &[
                    "Fintech",
                    "Fintech / Payments",
                    "Fintech / Banking and Exchange",
                ],
                &["Banks - Regional", "Asset Management"],
            ),
            // German: each item of a list read in English on its own.
            (
                "Automobilzulieferer, die Teile und Komponenten für Pkw herstellen",
                "Autohersteller (OEMs)",
                &["Auto Manufacturers", "Automobiles"],
                &["Auto Parts", "Auto Components"],
            ),
            (
                "Regulierte Energieversorger: Strom-, Gas- und Wasserversorger",
                "unabhängige Stromerzeuger",
                &["Independent Power and Renewable Electricity Producers"],
                &["Electric Utilities", "Water Utilities"],
            ),
            (
                "Medienunternehmen: Fernsehsender und Verlage",
                "Werbe- und Marketingagenturen",
                &["Advertising Agencies", "Marketing Services"],
                &["Broadcasting", "Publishing"],
            ),
        ];
        for (text, value, removed, kept) in cases {
            assert_eq!(
                unmatched_exclusions(text, &[value.to_string()]),
                Vec::<String>::new(),
                "{value} is warned about but excludes {removed:?}"
            );
            let icp = exclude(text, value);
            for label in *removed {
                assert!(labelled(&icp, label), "{value} keeps {label}");
            }
            for label in *kept {
                let segment = Industry::classify(Some(label), &[]);
                assert!(
                    !labelled(&icp, label) && !icp.excluded.contains(&segment),
                    "{value} removes {label} ({text})"
                );
            }
        }
    }

    #[test]
    fn a_catalog_label_excludes_that_label_not_its_segment() {
        let us = ["United States".to_string()];
        let exclude = |icp: &str, values: &[&str]| {
            let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            parse_parts(icp, &us, &[], &values)
        };
        let e_and_p = "Oil and gas exploration and production companies";
        // The example: an exact label of a segment the ICP asks for.
        for value in [
            "Oil & Gas Refining & Marketing",
            "oil and gas refining & marketing",
        ] {
            let icp = exclude(e_and_p, &[value]);
            assert_eq!(icp.industries, vec![Industry::Energy], "{value}");
            assert!(icp.excluded.is_empty(), "{value}");
            assert!(labelled(&icp, "Oil & Gas Refining & Marketing"));
            for kept in [
                "Oil & Gas E&P",
                "Oil, Gas & Consumable Fuels",
                "Oil & Gas Midstream",
                "Energy",
                "Marketing Services",
            ] {
                assert!(!labelled(&icp, kept), "{value} removes {kept}");
            }
        }
        // A label removes only itself where the ICP asks for something else too.
        let icp = exclude(
            "Chemical companies",
            &[
                "Oil & Gas Refining & Marketing",
                "Thermal Coal",
                "Insurance - Life",
            ],
        );
        // Also where the ICP does not ask for their segments at all: a sub-industry's label
        // goes with what it covers in the other vocabularies, not with its segment.
        assert!(icp.excluded.is_empty(), "{:?}", icp.excluded);
        assert!(labelled(&icp, "Thermal Coal") && labelled(&icp, "Insurance - Life"));
        assert!(
            !labelled(&icp, "Coking Coal") && !labelled(&icp, "Insurance - Property & Casualty")
        );
        // A synonym of a label is that label.
        let icp = exclude("Equity REITs", &["Mortgage REITs", "Hypotheken-REITs"]);
        assert!(labelled(&icp, "REIT - Mortgage"));
        assert!(!labelled(&icp, "REIT - Office"));
        // A sibling label of a wanted segment: the other labels stay.
        let icp = exclude("Banks", &["Banks - Regional"]);
        assert_eq!(icp.industries, vec![Industry::Banks]);
        assert!(labelled(&icp, "Banks - Regional") && !labelled(&icp, "Banks - Diversified"));
        let icp = exclude("Regional banks", &["Biotechnology", "Trucking"]);
        assert_eq!(icp.industries, vec![Industry::Banks]);
        assert!(labelled(&icp, "Biotechnology") && labelled(&icp, "Trucking"));
        let icp = exclude("Pharma and biotech companies", &["Biotechnology"]);
        assert!(labelled(&icp, "Biotechnology"));
        assert!(!labelled(
            &icp,
            "Pharmaceuticals, Biotechnology & Life Sciences"
        ));
        // A segment's whole name is the segment, even where the ICP seems to ask for it.
        let icp = exclude(
            "Regionalbanken und Geschäftsbanken. Versicherungen kommen nicht in Frage.",
            &["Versicherungen"],
        );
        assert!(labelled(&icp, "Insurance - Life") && labelled(&icp, "Insurance"));
    }

    #[test]
    fn the_partners_offer_is_no_keyword() {
        let icp = parse_parts(
            "Airlines and airport operators. We sell crew rostering software.",
            &[],
            &[],
            &[],
        );
        assert!(!icp.industries.contains(&Industry::Software));
        for word in ["software", "rostering", "sell"] {
            assert!(
                !icp.keywords.iter().any(|k| k == word),
                "{:?}",
                icp.keywords
            );
        }
    }

    #[test]
    fn a_german_value_names_the_catalog_labels_its_english_reading_names() {
        let exclude = |icp: &str, value: &str| parse_parts(icp, &[], &[], &[value.to_string()]);
        let icp = exclude(
            "Computerhardware- und Serverhersteller aus Taiwan",
            "Unterhaltungselektronik",
        );
        assert_eq!(icp.industries, vec![Industry::Hardware]);
        assert!(labelled(&icp, "Consumer Electronics"));
        assert!(!labelled(&icp, "Computer Hardware"));
        let icp = exclude("Luft- und Raumfahrtunternehmen", "Drohnenhersteller");
        assert!(labelled(&icp, "Industrials / Drones"));
        assert!(!labelled(&icp, "Aerospace & Defense"));
        let icp = exclude(
            "Medienunternehmen, Sender und Verlage",
            "Werbe- und Marketingagenturen",
        );
        assert!(labelled(&icp, "Advertising Agencies"));
        assert!(!labelled(&icp, "Publishing") && !labelled(&icp, "Broadcasting"));
        // The German reading stays: a segment's German name still removes the segment.
        let icp = exclude("Industrieunternehmen in den USA", "Rüstungsindustrie");
        assert!(labelled(&icp, "Aerospace & Defense"));
    }

    #[test]
    fn a_partners_word_for_labels_removes_those_labels_and_only_them() {
        let exclude = |icp: &str, value: &str| parse_parts(icp, &[], &[], &[value.to_string()]);
        // (ICP, excluded value, labels it removes, labels the ICP asks for that stay.)
        let cases: &[(&str, &str, &[&str], &[&str])] = &[
            (
                "Drinks companies in Mexico",
                "Alcohol",
                &["Beverages - Brewers", "Beverages - Wineries & Distilleries"],
                &["Beverages - Non-Alcoholic", "Beverages", "Packaged Foods"],
            ),
            (
                "Getränkeproduzenten in Mexiko",
                "Alkohol",
                &["Beverages - Brewers", "Beverages - Wineries & Distilleries"],
                &["Beverages - Non-Alcoholic", "Beverages"],
            ),
            (
                "Retail chains in Spain",
                "Drugstores and DIY chains",
                &["Pharmaceutical Retailers", "Home Improvement Retail"],
                &["Grocery Stores", "Apparel Retail", "Specialty Retail"],
            ),
            (
                "Handelsketten in Spanien",
                "Versandapotheken",
                &["Pharmaceutical Retailers"],
                &["Grocery Stores", "Internet Retail"],
            ),
            (
                "Retail chains in Spain",
                "online shops",
                &["Internet Retail", "Internet & Direct Marketing Retail"],
                &["Grocery Stores", "Department Stores"],
            ),
            (
                "Real estate companies in Spain",
                "letting agents",
                &["Real Estate Services"],
                &["Real Estate - Development", "Real Estate - Diversified"],
            ),
            (
                "Immobilienkonzerne in Spanien",
                "Wohnungsmakler",
                &["Real Estate Services"],
                &["Real Estate - Development"],
            ),
            (
                "Power and energy companies in Spain",
                "Fossil fuel producers",
                &[
                    "Oil & Gas E&P",
                    "Thermal Coal",
                    "Energy Equipment & Services",
                ],
                &["Electric Utilities", "Utilities - Renewable", "Solar"],
            ),
            (
                "REITs in Spain",
                "mREITs",
                &["REIT - Mortgage"],
                &["REIT - Office", "REIT - Retail"],
            ),
            (
                "Bergbauunternehmen in Peru",
                "Gold- und Silberbergwerke",
                &["Gold", "Silver", "Other Precious Metals & Mining"],
                &["Copper", "Other Industrial Metals & Mining"],
            ),
            (
                "Metals and mining companies in Peru",
                "precious metals",
                &["Gold", "Silver", "Other Precious Metals & Mining"],
                &["Copper", "Other Industrial Metals & Mining"],
            ),
        ];
        for (text, value, removed, kept) in cases {
            let icp = exclude(text, value);
            for label in *removed {
                assert!(labelled(&icp, label), "{value} removes {label}");
            }
            for label in *kept {
                assert!(!removes(&icp, label), "{value} keeps {label}");
            }
            assert!(
                unmatched_exclusions(text, &[value.to_string()]).is_empty(),
                "{value} is read"
            );
        }
        // The opposite of a term names none of its labels.
        for value in [
            "non-alcoholic beverages",
            "alcohol-free drinks",
            "alkoholfreie Getränke",
        ] {
            let icp = exclude("Beverage companies in Mexico", value);
            assert!(!removes(&icp, "Beverages - Brewers"), "{value}");
        }
        // Never a label the ICP names by such a word itself; in English, no term by a word's
        // end ("safeguarding") or by its trade ("discounting").
        for (text, value, label) in [
            (
                "Apothekenketten und Drogerien in Spanien",
                "Versandapotheken",
                "Pharmaceutical Retailers",
            ),
            (
                "Retail chains in Spain",
                "invoice discounting firms",
                "Discount Stores",
            ),
            (
                "Business services firms in Spain",
                "safeguarding services",
                "Security & Protection Services",
            ),
        ] {
            let icp = exclude(text, value);
            assert!(!removes(&icp, label), "{value} keeps {label}");
        }
    }

    #[test]
    fn a_segment_name_excludes_the_segment_and_a_word_what_carries_it() {
        let us = ["United States".to_string()];
        let exclude = |icp: &str, values: &[&str]| {
            let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            parse_parts(icp, &us, &[], &values)
        };
        let e_and_p = "Oil and gas exploration and production companies";
        for (icp, value) in [
            (e_and_p, "Refining"),
            ("Öl- und Gasförderunternehmen", "Raffinerien"),
        ] {
            let icp = exclude(icp, &[value]);
            assert_eq!(icp.industries, vec![Industry::Energy], "{value}");
            assert!(icp.excluded.is_empty(), "{value}");
            assert!(labelled(&icp, "Oil & Gas Refining & Marketing"), "{value}");
            assert!(!labelled(&icp, "Oil & Gas E&P"), "{value}");
        }
        // Names, parts of names and synonyms of them name the segment.
        for (value, segment) in [
            ("Banks", Industry::Banks),
            ("Banken", Industry::Banks),
            ("Utilities", Industry::Utilities),
            ("Defense", Industry::AerospaceDefense),
            ("Rüstung", Industry::AerospaceDefense),
            ("Pharmaceuticals", Industry::Pharma),
            ("Öffentliche Verwaltung", Industry::Government),
            ("Aerospace & Defense", Industry::AerospaceDefense),
        ] {
            let icp = exclude("Software vendors", &[value]);
            assert_eq!(icp.excluded, vec![segment], "{value}");
        }
        // A word no label carries: its head word's segment, as before.
        let icp = exclude("Hospital operators", &["Health insurance"]);
        assert_eq!(icp.excluded, vec![Industry::Insurance]);
        // Each item of a list counts.
        let icp = exclude("Hotels", &["Tobacco & Gambling"]);
        assert_eq!(icp.excluded, vec![Industry::Gambling, Industry::Tobacco]);
        assert!(labelled(&icp, "Food, Beverage & Tobacco"));
    }

    #[test]
    fn a_family_word_removes_its_family_where_the_icp_asks_only_broadly() {
        let exclude = |icp: &str, values: &[&str]| {
            let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            parse_parts(icp, &["US".to_string()], &[], &values)
        };
        // A broad word of the ICP asks for a family of segments; a value naming one of them,
        // in English, German or as a German compound, removes that one whole.
        for (icp, value, segment) in [
            (
                "Financial services companies",
                "Insurance",
                Industry::Insurance,
            ),
            ("Finanzdienstleister", "Versicherungen", Industry::Insurance),
            ("Healthcare companies", "Pharma", Industry::Pharma),
            (
                "Unternehmen aus dem Gesundheitswesen",
                "Pharmaunternehmen",
                Industry::Pharma,
            ),
            (
                "Industrial manufacturers",
                "Defense",
                Industry::AerospaceDefense,
            ),
            (
                "Industrieunternehmen",
                "Rüstungsindustrie",
                Industry::AerospaceDefense,
            ),
            (
                "Technologieunternehmen",
                "Halbleiterhersteller",
                Industry::Semiconductors,
            ),
            (
                "Travel and leisure companies",
                "Gambling",
                Industry::Gambling,
            ),
            ("Energy companies", "Oil and gas", Industry::Energy),
            ("Energieunternehmen", "Öl und Gas", Industry::Energy),
        ] {
            let icp = exclude(icp, &[value]);
            assert!(
                icp.excluded.contains(&segment),
                "{value}: {:?}",
                icp.excluded
            );
            assert!(!icp.industries.contains(&segment), "{value}");
            assert!(!icp.industries.is_empty(), "{value}");
        }
        // A compound's parts are what labels carry.
        let icp = exclude("Pharmaunternehmen", &["Biotechnologie"]);
        assert_eq!(icp.industries, vec![Industry::Pharma]);
        assert!(labelled(&icp, "Biotechnology") && !labelled(&icp, "Pharmaceuticals"));
        // A compound naming a part of what the ICP asks for removes that part.
        for (icp, value, removed, kept) in [
            ("Bergbauunternehmen", "Kohlebergbau", "Thermal Coal", "Gold"),
            (
                "Metall- und Bergbauunternehmen",
                "Goldminen",
                "Gold",
                "Copper",
            ),
            (
                "Versicherungsgesellschaften",
                "Lebensversicherer",
                "Insurance - Life",
                "Insurance - Property & Casualty",
            ),
            (
                "Automobilzulieferer und Autohersteller",
                "Autohändler",
                "Auto & Truck Dealerships",
                "Auto Parts",
            ),
        ] {
            let icp = exclude(icp, &[value]);
            assert!(
                !icp.industries.is_empty() && icp.excluded.is_empty(),
                "{value}"
            );
            assert!(labelled(&icp, removed) && !labelled(&icp, kept), "{value}");
        }
        let icp = exclude("Luft- und Raumfahrtzulieferer", &["Rüstungsindustrie"]);
        assert!(labelled(&icp, "Aerospace & Defense") && labelled(&icp, "Industrials / Defense"));
        assert!(!labelled(&icp, "Industrials / Aviation and Space"));
    }

    #[test]
    fn a_label_removes_what_it_covers_in_the_other_vocabularies() {
        let exclude = |icp: &str, values: &[&str]| {
            let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            parse_parts(icp, &["US".to_string()], &[], &values)
        };
        let icp = exclude(
            "Oil and gas companies",
            &["Oil & Gas Drilling", "Oil & Gas Equipment & Services"],
        );
        assert_eq!(icp.industries, vec![Industry::Energy]);
        assert!(labelled(&icp, "Energy Equipment & Services"));
        assert!(!labelled(&icp, "Oil & Gas E&P") && !labelled(&icp, "Oil, Gas & Consumable Fuels"));
        let icp = exclude(
            "Technology companies",
            &["Semiconductors & Semiconductor Equipment"],
        );
        for label in ["Semiconductors", "Semiconductor Equipment & Materials"] {
            assert!(labelled(&icp, label), "{label}");
        }
        assert!(!labelled(&icp, "Electronic Components"));
        // A narrower label never removes the broader one that holds it.
        let icp = exclude("Oil and gas companies", &["Oil & Gas Drilling"]);
        assert!(!labelled(&icp, "Energy Equipment & Services"));
    }

    #[test]
    fn exclusions_broader_than_their_words_are_reported() {
        let values = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            broad_exclusions(
                "Hospital operators",
                &values(&["Health insurance", "Government"])
            ),
            vec![("Health insurance".to_string(), Industry::Insurance)]
        );
        assert_eq!(
            broad_exclusions("Software vendors", &values(&["Restaurants"])),
            vec![("Restaurants".to_string(), Industry::Hospitality)]
        );
        for (icp, excluded) in [
            (
                "Mid-market B2B SaaS companies",
                &["Government", "Non-profit"][..],
            ),
            (
                "Software vendors",
                &["Banks", "Insurance", "REITs", "Tobacco"],
            ),
            (
                "Oil and gas exploration and production companies",
                &["Oil & Gas Refining & Marketing", "Refining"],
            ),
            ("Banks and insurance companies", &["Health insurance"]),
            ("Chemical companies", &["Xylophones"]),
            // A sub-industry's label removes only itself, wanted or not.
            ("Chemical companies", &["Thermal Coal", "Midstream"]),
        ] {
            assert!(
                broad_exclusions(icp, &values(excluded)).is_empty(),
                "{icp}: {excluded:?}"
            );
        }
    }

    #[test]
    fn german_words_rank_as_their_english_words() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Hersteller von Haushaltsgeräten, Möbeln und Konsumgütern für den Haushalt",
                &["household", "appliance", "furniture", "consumer", "good"],
            ),
            (
                "Anbieter von Krankenhaussoftware und digitalen Gesundheitsplattformen",
                &["hospital", "software", "digital", "health", "platform"],
            ),
        ];
        for (text, want) in cases {
            let icp = parse_parts(text, &[], &[], &[]);
            for w in *want {
                assert!(
                    icp.keywords.contains(&w.to_string()),
                    "{w}: {:?}",
                    icp.keywords
                );
            }
        }
    }

    #[test]
    fn a_german_device_compound_is_what_its_modifier_says_not_always_an_appliance() {
        // "-geräte" are what the dictionary calls the whole word: instruments and devices of
        // trades, appliances of households and kitchens.
        for text in [
            "Hersteller von Mess- und Prüfgeräten",
            "Hersteller von Sensoren sowie Mess- und Prüfgeräten",
        ] {
            let icp = parse_parts(text, &[], &[], &[]);
            assert!(
                !icp.industries.contains(&Industry::ConsumerGoods),
                "{text}: {:?}",
                icp.industries
            );
        }
        for text in [
            "Hersteller von Haushaltsgeräten",
            "Hersteller von Haushalts- und Küchengeräten",
            "Hersteller von Elektrokleingeräten",
        ] {
            let household = parse_parts(text, &[], &[], &[]);
            assert!(
                household.industries.contains(&Industry::ConsumerGoods),
                "{text}"
            );
            assert!(
                household.keywords.contains(&"appliance".to_string()),
                "{text}"
            );
        }
    }

    #[test]
    fn vendors_selling_to_a_domain_keep_its_technology_when_its_companies_are_ruled_out() {
        for text in [
            "Startups, die Software an Speditionen verkaufen. Gesucht sind die Anbieter, nicht die Logistiker selbst.",
            "Startups that sell software to freight forwarders. The vendors, not the logistics companies themselves.",
        ] {
            let icp = parse_parts(text, &[], &[], &[]);
            assert!(icp.industries.contains(&Industry::Software), "{text}");
            assert!(icp.served.contains(&Industry::Logistics), "{text}: {:?}", icp.served);
            assert!(!icp.excluded.contains(&Industry::Logistics), "{text}");
        }
        // Without "themselves" the customers' segment is ruled out as written.
        let icp = parse_parts(
            "Logistics software vendors. No logistics companies.",
            &[],
            &[],
            &[],
        );
        assert!(icp.excluded.contains(&Industry::Logistics) || !icp.excluded_phrases.is_empty());
        // German "an" after what is sold names the customers, as "to" does.
        let icp = parse_parts(
            "Firmen, die Software an Krankenhäuser verkaufen",
            &[],
            &[],
            &[],
        );
        assert!(icp.industries.contains(&Industry::Software));
        assert!(
            !icp.industries.contains(&Industry::HealthcareProviders)
                || icp.served.contains(&Industry::HealthcareProviders)
        );
    }

    #[test]
    fn a_german_makers_compound_excludes_the_makers_not_the_segment_asked_for() {
        let values = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<String>>();
        // "Fahrzeughersteller" are vehicle manufacturers, as in English: suppliers stay.
        for (text, value) in [
            (
                "Automobilzulieferer, die Teile für Pkw fertigen: Sitze, Reifen.",
                "Fahrzeughersteller",
            ),
            (
                "Automotive suppliers making parts for cars",
                "vehicle manufacturers",
            ),
        ] {
            let icp = parse_parts(text, &[], &[], &values(&[value]));
            assert!(icp.industries.contains(&Industry::Automotive), "{text}");
            assert!(!icp.excluded.contains(&Industry::Automotive), "{value}");
            assert!(removes(&icp, "Automobiles"), "{value}");
            assert!(!removes(&icp, "Auto Parts"), "{value}");
        }
        // A value spelled German reads as German in an order whose text tells no language.
        let icp = parse_parts(
            "Telekommunikationsanbieter in Westeuropa",
            &[],
            &[],
            &values(&["Netzwerkausrüster für Carrier"]),
        );
        assert!(removes(&icp, "Communications Equipment"));
    }

    #[test]
    fn business_models() {
        assert_eq!(
            parse_parts("B2C brands", &[], &[], &[]).business_model,
            Some(BusinessModel::B2C)
        );
        assert_eq!(parse_parts("software", &[], &[], &[]).business_model, None);
    }

    /// Whether a company with this label alone is excluded: by its segment or by its label.
    fn removes(icp: &Icp, label: &str) -> bool {
        icp.excluded.contains(&Industry::classify(Some(label), &[])) || labelled(icp, label)
    }

    #[test]
    fn a_value_naming_part_of_a_wanted_segment_removes_that_part_and_only_it() {
        // (ICP, excluded value, labels it must remove, labels it must keep)
        let cases: &[(&str, &str, &[&str], &[&str])] = &[
            (
                "Consumer lenders",
                "Mortgage lenders",
                &["Mortgage Finance", "Thrifts & Mortgage Finance"],
                &[
                    "Consumer Finance",
                    "Credit Services",
                    "Fintech / Credit and Lending",
                ],
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
                &["Gold", "Metals & Mining", "Steel"],
            ),
            (
                "Insurance companies",
                "Health insurers",
                &["Healthcare Plans"],
                &["Insurance - Life", "Insurance - Property & Casualty"],
            ),
            (
                "Utility companies",
                "Water utilities",
                &["Water Utilities", "Utilities - Regulated Water"],
                &[
                    "Electric Utilities",
                    "Gas Utilities",
                    "Utilities - Renewable",
                ],
            ),
            (
                "Versorger in den USA",
                "Wasserversorger",
                &["Water Utilities", "Utilities - Regulated Water"],
                &["Electric Utilities", "Gas Utilities"],
            ),
            (
                "Bergbauunternehmen in Kanada",
                "Uranbergbau",
                &["Uranium"],
                &["Gold", "Steel"],
            ),
            // A segment the ICP asks for beside the narrowed one keeps its labels even where
            // they carry the value's other words.
            (
                "Insurers and healthcare providers",
                "Health insurers",
                &["Healthcare Plans"],
                &[
                    "Health Care Providers & Services",
                    "Medical Care Facilities",
                    "Insurance - Life",
                ],
            ),
        ];
        for (text, value, gone, kept) in cases {
            let icp = parse_parts(text, &[], &[], &[value.to_string()]);
            for label in *gone {
                assert!(
                    removes(&icp, label),
                    "{text} without {value:?} keeps {label:?}: {icp:?}"
                );
            }
            for label in *kept {
                assert!(
                    !removes(&icp, label),
                    "{text} without {value:?} removes {label:?}: {icp:?}"
                );
            }
        }
    }

    /// A German ICP names the sub-industries its English translation names: its compounds'
    /// parts are read in English (`german`), and its words name labels as English ones do.
    #[test]
    fn software_for_a_domain_wants_its_technology_and_serves_the_domain() {
        use Industry::*;
        for (text, tech, served) in [
            ("Hospital software vendors", HealthIt, vec![HealthIt]),
            ("Anbieter von Krankenhaussoftware", HealthIt, vec![HealthIt]),
            (
                "Software for insurers and insurance agencies",
                Insurance,
                vec![Insurance],
            ),
            ("Logistiksoftware-Anbieter", Logistics, vec![Logistics]),
            // The ICP names the technology's segment itself: all of it is wanted.
            (
                "GovTech-Startups, die Software für Behörden entwickeln",
                Government,
                vec![],
            ),
        ] {
            let icp = parse_parts(text, &[], &[], &[]);
            assert!(icp.industries.contains(&Software), "{text}: {icp:?}");
            assert!(
                icp.industries.contains(&tech),
                "{text}: {:?}",
                icp.industries
            );
            assert_eq!(icp.served, served, "{text}");
            assert!(icp.named.segments.contains(&tech), "{text}");
        }
        for text in [
            "Hospital operators and clinics",
            "Cybersecurity software for banks",
            "Insurance carriers",
            "Software companies",
        ] {
            let icp = parse_parts(text, &[], &[], &[]);
            assert!(icp.served.is_empty(), "{text}: {:?}", icp.served);
        }
        // An excluded domain technology is not wanted again.
        let icp = parse_parts(
            "Hospital software vendors",
            &[],
            &[],
            &["Healthcare IT".into()],
        );
        assert!(!icp.industries.contains(&HealthIt), "{:?}", icp.industries);
    }

    #[test]
    fn a_german_icp_names_the_sub_industries_of_its_translation() {
        let named = |icp: &str| {
            let mut labels: Vec<String> = parse_parts(icp, &[], &[], &[])
                .named
                .labels
                .iter()
                .filter(|(_, e)| *e >= 1.0)
                .map(|(l, _)| l.join(" "))
                .collect();
            labels.sort();
            labels
        };
        for (en, de, label) in [
            (
                "Specialty chemicals makers",
                "Spezialchemiehersteller",
                "specialty chemicals",
            ),
            (
                "Makers of generics and specialty drugs",
                "Generikahersteller und Spezialpharmazeutika",
                "drug manufacturers specialty and generic",
            ),
            (
                "Property and casualty insurers",
                "Schaden- und Unfallversicherer",
                "insurance property and casualty",
            ),
            (
                "Wineries and distilleries",
                "Weingüter und Spirituosenhersteller",
                "beverages wineries and distilleries",
            ),
            (
                "Software for law firms and legal departments",
                "Software für Anwaltskanzleien und Rechtsabteilungen",
                "b2b legal",
            ),
            (
                "Gas, water and electric utilities",
                "Strom-, Gas- und Wasserversorger",
                "electric utilities",
            ),
            // Letters: the initials of the ICP's words, or the ICP's letters for a label's words.
            (
                "Oil and gas exploration and production companies",
                "Öl- und Gasförderunternehmen (Exploration und Produktion)",
                "oil and gas e and p",
            ),
            (
                "P&C insurers",
                "Schaden- und Unfallversicherer",
                "insurance property and casualty",
            ),
        ] {
            let (a, b) = (named(en), named(de));
            assert!(a.contains(&label.to_string()), "{en}: {a:?}");
            assert_eq!(a, b, "{en} / {de}");
        }
    }

    /// A segment's name whose parts name different trades adds to the text search only where the
    /// ICP says none of them (`industry::name_terms`).
    #[test]
    fn a_segment_name_searches_only_the_parts_the_icp_leaves_unsaid() {
        let keywords = |icp: &str| parse_parts(icp, &[], &[], &[]).keywords;
        let beverages = keywords("Beverage companies in the United States");
        assert!(
            !beverages.iter().any(|k| k == "agriculture" || k == "food"),
            "{beverages:?}"
        );
        let leisure = keywords("Travel and leisure companies");
        assert!(!leisure.iter().any(|k| k == "restaurant"), "{leisure:?}");
        // Named in other words, the name's words search too.
        let brewers = keywords("Craft breweries");
        assert!(brewers.iter().any(|k| k == "beverage"), "{brewers:?}");
    }

    #[test]
    fn a_plural_a_query_term_stems_says_what_its_synonyms_say() {
        // "drinks" is stemmed "drink": it says "beverages" as "Getränke" does, so the segment's
        // other parts ("food", "agriculture") do not search for a drinks ICP.
        let keywords = |icp: &str| parse_parts(icp, &[], &[], &[]).keywords;
        for icp in [
            "Drinks producers in Europe",
            "Soft drinks bottlers in Mexico",
        ] {
            let words = keywords(icp);
            assert!(
                !words.iter().any(|k| k == "agriculture" || k == "food"),
                "{icp}: {words:?}"
            );
        }
        // Elsewhere the name still searches where the ICP leaves it unsaid.
        let mines = keywords("Copper mines in Chile");
        assert!(mines.iter().any(|k| k == "mining"), "{mines:?}");
        // "breweries" (stemmed "brewerie") names the brewers' label as "brewers" does.
        let named = |icp: &str| {
            parse_parts(icp, &[], &[], &[])
                .named
                .labels
                .iter()
                .any(|(l, _)| *l == crate::industry::tokens("Beverages - Brewers"))
        };
        assert!(named("Craft breweries in Belgium"));
        assert!(named("Breweries and wineries in Italy"));
        assert!(!named("Wineries in Italy"));
    }

    #[test]
    fn pure_and_developers_say_no_trade_in_an_excluded_value() {
        // "Pure" ("reine") says how much of a business a trade is, and "developers" who a
        // company is: what is ruled out is the trade.
        let icp = parse_parts(
            "Regulated utilities in the USA. Exclude IPPs and pure renewable developers.",
            &[],
            &[],
            &["IPPs".to_string()],
        );
        assert!(labelled(&icp, "Utilities - Renewable"), "{icp:?}");
        assert!(!labelled(&icp, "Utilities - Regulated Electric"));
        assert_eq!(icp.industries, vec![Industry::Utilities]);
        let icp = parse_parts(
            "Pharma companies. Exclude pure generic drug makers.",
            &[],
            &[],
            &[],
        );
        assert!(labelled(&icp, "Drug Manufacturers - Specialty & Generic"));
        assert!(!labelled(&icp, "Drug Manufacturers - General"));
        let icp = parse_parts(
            "Software vendors in Germany. Exclude pure consulting firms.",
            &[],
            &[],
            &[],
        );
        assert!(icp.excluded.contains(&Industry::Consulting), "{icp:?}");
        assert!(icp.industries.contains(&Industry::Software));
        let icp = parse_parts("Software developers in Germany.", &[], &[], &[]);
        assert!(icp.industries.contains(&Industry::Software));
        assert!(icp.excluded.is_empty());
        // "pure" alone rules out nothing.
        let icp = parse_parts("Banks in Germany.", &[], &[], &["pure".to_string()]);
        assert!(icp.excluded.is_empty() && icp.excluded_phrases.is_empty());
    }

    #[test]
    fn german_tech_loanwords_are_read_whole() {
        // "Insurtechs" is no "insur" + "tech": the word names the field the ICP asks for.
        let icp = parse_parts(
            "Insurtechs und Fintechs aus Deutschland, die an Versicherer verkaufen",
            &[],
            &[],
            &[],
        );
        assert!(
            icp.keywords.iter().any(|k| k == "insurtech"),
            "{:?}",
            icp.keywords
        );
        assert!(
            !icp.keywords.iter().any(|k| k == "insur"),
            "{:?}",
            icp.keywords
        );
    }
}
