//! Vendors of technology for a domain. "Hospital software", "software for schools",
//! "Krankenhaussoftware", "Software für Behörden" ask for software, but for the software of one
//! customer domain: the catalog has a segment or labels for exactly that (health IT, YC
//! "Government", "Education", "Fintech / Insurance", "B2B / Supply Chain and Logistics"...), and
//! read as plain software the ICP ranks every software company alike.
//!
//! The reading: a vendor word (a segment of `taxonomy::DOMAIN_TECHNOLOGY`'s vendors: software,
//! IT services, internet platforms; or a word such as "platform" or "portal") names the domain
//! it is for by a segment word right before it ("hospital software", "health data platforms", the
//! English parts of "Krankenhaussoftware") or after an audience word that follows it ("software
//! for hospitals", "Software für Behörden"). Where the taxonomy knows the technology of that
//! domain (`DOMAIN_TECHNOLOGY`), its labels' segments are wanted too and its labels rank first
//! (`NamedLabels`, full evidence). Only when the ICP asks for nothing but vendors and those
//! segments: "Security software for banks" asks for security vendors, "Banks using cloud
//! software" for banks, and neither is read so. As elsewhere, the definition (before a colon)
//! decides when it names a domain; examples after it only illustrate.
use super::{
    definition, english_tokens, hits, is_audience, match_tokens, tok_eq, tokens, word_lists, Hit,
    Industry, List, NamedLabels, LIST_WORDS, QUALIFIERS,
};
use crate::taxonomy::DOMAIN_TECHNOLOGY;
use std::sync::LazyLock;

/// Words that name a vendor's product beside the vendor segments' own terms ("platform",
/// "portal").
static VENDOR_WORDS: LazyLock<&[&str]> = LazyLock::new(|| word_lists::words(List::VendorWords));

/// Words that join a customer to a product without saying it is for them ("Banks using cloud
/// software"), beside the qualifiers that open a clause about the customer (`QUALIFIERS`:
/// "Banks that run cloud software").
const USING: &[&str] = &["using", "use", "uses", "buying", "nutzen"];

/// What the reading adds to an ICP: the labels of the technology for the domains it names
/// (`industry::tokens` each, with its segment) and their segments. Empty when it names none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DomainTechnology {
    pub segments: Vec<Industry>,
    pub labels: Vec<(Vec<String>, Industry)>,
}

impl DomainTechnology {
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Adds this reading's segments to an ICP's wanted ones (unless excluded) and returns those
    /// it added: the ICP names them only as its customers ("software for insurers" wants no
    /// insurer), so they are wanted for their technology labels alone (`Icp::served`).
    pub fn add_segments(
        &self,
        industries: &mut Vec<Industry>,
        excluded: &[Industry],
    ) -> Vec<Industry> {
        let mut added = Vec::new();
        for s in &self.segments {
            if !excluded.contains(s) && !industries.contains(s) {
                industries.push(*s);
                added.push(*s);
            }
        }
        added
    }

    /// Names this reading's labels whole (evidence 1) where their segment is wanted, so that
    /// they rank first among the vendors (`scoring::assess_labelled`); of a segment wanted only
    /// as customers (`served`), no other label is named.
    pub fn name(&self, industries: &[Industry], served: &[Industry], named: &mut NamedLabels) {
        if self.is_empty() {
            return;
        }
        named
            .labels
            .retain(|(l, _)| !served.contains(&Industry::classify(Some(&l.join(" ")), &[])));
        // The vendors' own labels said as a need name nothing beside the domain's technology.
        named.labels.retain(|(l, _)| !named.said.contains(l));
        named.said.clear();
        named.segments.retain(|s| {
            named
                .labels
                .iter()
                .any(|(l, _)| Industry::classify(Some(&l.join(" ")), &[]) == *s)
        });
        for (label, segment) in &self.labels {
            if !industries.contains(segment) {
                continue;
            }
            if !named.segments.contains(segment) {
                named.segments.push(*segment);
            }
            match named.labels.iter_mut().find(|(l, _)| l == label) {
                Some((_, evidence)) => *evidence = 1.0,
                None => named.labels.push((label.clone(), 1.0)),
            }
        }
    }
}

/// Whether a segment names vendors of technology (`DOMAIN_TECHNOLOGY`'s vendors).
pub fn is_vendor(segment: Industry) -> bool {
    vendor_segments().contains(&segment)
}

/// The technology for the domains an ICP (its asked part, `split_negations`) wants vendors of.
pub fn domain_technology(asked: &str) -> DomainTechnology {
    // As for the wanted segments (`Industry::wanted_in_asked`): the definition decides when it
    // names any segment, and parenthesised asides and examples after a colon only illustrate.
    let def = definition(asked);
    if def.len() < asked.trim().len() && !Industry::wanted_in_asked(&def).is_empty() {
        return read(&def);
    }
    read(asked)
}

fn vendor_segments() -> &'static [Industry] {
    &DOMAIN_TECHNOLOGY.vendors
}

fn read(text: &str) -> DomainTechnology {
    let mut out = DomainTechnology::default();
    let toks = english_tokens(match_tokens(text));
    let all = hits(&toks);
    let is_vendor = |h: &Hit| h.industries.iter().any(|i| vendor_segments().contains(i));
    let mut vendors: Vec<(usize, usize)> = all
        .iter()
        .filter(|h| is_vendor(h))
        .map(|h| (h.start, h.end))
        .collect();
    vendors.extend(
        toks.iter()
            .enumerate()
            .filter(|(_, t)| VENDOR_WORDS.iter().any(|w| tok_eq(t, w)))
            .map(|(i, _)| (i, i + 1)),
    );
    // "GovTech", "insurtech", "health tech": the domain and its technology in one word, where
    // the taxonomy puts the word in the segment of that technology's labels ("biotech" and
    // "medtech" name makers of drugs and devices, not health IT).
    let technology_of = |h: &Hit| toks[h.end - 1].len() > 4 && toks[h.end - 1].ends_with("tech");
    let audience = Audience::of(&toks);
    // An audience word between a hit and any product before it is one between the hit and the
    // first product.
    let first_product_end = vendors.iter().map(|&(_, end)| end).min();
    let served = |h: &Hit| {
        vendors.iter().any(|&(start, _)| modifies(&toks, h, start))
            || first_product_end.is_some_and(|end| audience.serves(h, end))
    };
    // Each domain with whether a vendor word serves it, found once: the rows below ask again,
    // and a long list holds hundreds of both.
    let domains: Vec<(&Hit, bool)> = all
        .iter()
        .filter(|h| !is_vendor(h))
        .map(|h| (h, served(h)))
        .filter(|(h, served)| *served || technology_of(h))
        .collect();
    if domains.is_empty() {
        return out;
    }
    // The starts of the hits that name a domain whose technology the taxonomy knows.
    let mut naming_domain: Vec<usize> = Vec::new();
    for row in DOMAIN_TECHNOLOGY.rows.iter() {
        let own_segment = |h: &Hit| {
            row.labels
                .iter()
                .any(|l| h.industries.contains(&Industry::classify(Some(l), &[])))
        };
        let names_row = |(h, served): &&(&Hit, bool)| {
            h.industries.iter().any(|i| row.domains.contains(i))
                && (*served || own_segment(h))
                && (row.words.is_empty()
                    || row.words.iter().any(|w| {
                        let w = tokens(w);
                        w.len() == h.end - h.start
                            && toks[h.start..h.end]
                                .iter()
                                .zip(&w)
                                .all(|(t, w)| tok_eq(t, w))
                    }))
        };
        let naming: Vec<&(&Hit, bool)> = domains.iter().filter(names_row).collect();
        if naming.is_empty() {
            continue;
        }
        naming_domain.extend(naming.iter().map(|(h, _)| h.start));
        for label in row.labels {
            let segment = Industry::classify(Some(label), &[]);
            let t = (tokens(label), segment);
            if !out.labels.contains(&t) {
                out.labels.push(t);
            }
            if !out.segments.contains(&segment) {
                out.segments.push(segment);
            }
        }
    }
    // Only an ICP that asks for vendors wants this reading, and for nothing but vendors, the
    // domains' technology and (read broadly) the domains themselves: "Cybersecurity software
    // for banks" asks for security vendors.
    let wanted = Industry::wanted_in_asked(text);
    let asks_vendors = wanted.iter().any(|w| vendor_segments().contains(w))
        || !vendors.is_empty()
        || !out.is_empty();
    let read_as = |w: &Industry| {
        vendor_segments().contains(w)
            || out.segments.contains(w)
            || all
                .iter()
                .filter(|h| is_vendor(h) || naming_domain.contains(&h.start))
                .any(|h| h.industries.contains(w))
    };
    if !(asks_vendors && wanted.iter().all(read_as)) {
        return DomainTechnology::default();
    }
    out.segments.sort();
    out
}

/// `h` names what the product at `vendor` (its first token) is for: right before it, or with one
/// word between ("medical practice software", "hospital billing software").
fn modifies(toks: &[String], h: &Hit, vendor: usize) -> bool {
    h.end <= vendor
        && vendor - h.end <= 1
        && (h.end..vendor).all(|i| {
            let t = &toks[i];
            t != ","
                && !USING.contains(&t.as_str())
                && !QUALIFIERS.contains(&t.as_str())
                && !is_audience(toks, i)
                && !LIST_WORDS.contains(&t.as_str())
        })
}

/// The audience words of a text ("for", "für"), counted once: whether one stands between two
/// tokens is a difference of two counts, not a scan per pair of a product and a domain.
struct Audience {
    /// The audience words among the first `i` tokens, for each `i` in `0..=toks.len()`.
    before: Vec<usize>,
}

impl Audience {
    fn of(toks: &[String]) -> Audience {
        let counts = (0..toks.len()).scan(0, |n, i| {
            *n += usize::from(is_audience(toks, i));
            Some(*n)
        });
        Audience {
            before: std::iter::once(0).chain(counts).collect(),
        }
    }

    /// `h` follows an audience word that follows the product ending at `vendor` ("software for
    /// hospitals", "Software für Behörden, Kommunen und Polizei").
    fn serves(&self, h: &Hit, vendor: usize) -> bool {
        vendor <= h.start && self.before[h.start] > self.before[vendor]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(icp: &str) -> Vec<String> {
        let mut out: Vec<String> = domain_technology(&domain::normalize::fold(icp))
            .labels
            .iter()
            .map(|(l, _)| l.join(" "))
            .collect();
        out.sort();
        out
    }

    fn segments(icp: &str) -> Vec<Industry> {
        domain_technology(&domain::normalize::fold(icp)).segments
    }

    #[test]
    fn software_for_a_domain_is_that_domains_technology() {
        use Industry::*;
        for icp in [
            "Hospital software vendors",
            "Software for hospitals and clinics",
            "Anbieter von Krankenhaussoftware",
            "Software für Kliniken und Arztpraxen",
            "Vendors of medical practice software for physician practices",
            "Anbieter von Praxissoftware für Arztpraxen",
        ] {
            assert_eq!(segments(icp), [HealthIt], "{icp}");
            assert!(
                labels(icp).contains(&"healthcare healthcare it".to_string()),
                "{icp}"
            );
        }
        for (icp, segment) in [
            (
                "Software for city governments and state agencies",
                Government,
            ),
            ("Software für Behörden und Kommunen", Government),
            ("Software vendors for schools and universities", Education),
            ("Anbieter von Lernsoftware für Schulen", Education),
            ("Software for insurance carriers", Insurance),
            ("Anbieter von Versicherungssoftware", Insurance),
            ("Property management software for landlords", RealEstate),
            ("Immobiliensoftware", RealEstate),
            ("Logistiksoftware-Anbieter", Logistics),
            (
                "Software for freight forwarders and trucking companies",
                Logistics,
            ),
            ("Recruiting software for staffing agencies", Software),
        ] {
            assert!(
                segments(icp).contains(&segment),
                "{icp}: {:?}",
                segments(icp)
            );
        }
    }

    #[test]
    fn only_vendors_for_a_domain_are_read_so() {
        for icp in [
            // The domain is what is wanted.
            "Hospital operators and clinics",
            "Banks using cloud software",
            "Krankenhausbetreiber",
            // A kind of software, sold to a domain.
            "Cybersecurity software for banks",
            // Plain software.
            "Software companies",
            "B2B SaaS for sales teams",
            // Examples after a colon only illustrate.
            "Software vendors: ERP, CRM and hospital software",
        ] {
            assert!(labels(icp).is_empty(), "{icp}: {:?}", labels(icp));
        }
    }
}
