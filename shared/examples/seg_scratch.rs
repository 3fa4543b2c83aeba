use shared::engine::industry::Industry;
use std::collections::BTreeMap;
fn main() {
    let text = std::fs::read_to_string("../shared/datasets/companies.jsonl").unwrap();
    let mut seg: BTreeMap<String, usize> = BTreeMap::new();
    let mut other: BTreeMap<String, usize> = BTreeMap::new();
    let mut de: BTreeMap<String, usize> = BTreeMap::new();
    for l in text.lines() {
        let c = shared::engine::import::parse_json_line(l).unwrap();
        let i = Industry::classify(c.industry.as_deref(), &c.keywords);
        *seg.entry(format!("{i:?}")).or_default() += 1;
        if i == Industry::Other {
            *other
                .entry(c.industry.clone().unwrap_or_default())
                .or_default() += 1;
        }
        if matches!(
            c.country.as_deref(),
            Some("Germany") | Some("Austria") | Some("Switzerland")
        ) {
            *de.entry(format!("{i:?}")).or_default() += 1;
        }
    }
    println!("{seg:?}\nOTHER {other:?}\nDACH {de:?}");
    for q in std::env::args().skip(1) {
        println!(
            "{q} -> wanted {:?} mentioned {:?}",
            Industry::wanted_in(&q),
            Industry::mentioned_in(&q)
        );
    }
}
