use shared::engine::blacklist_match::BlacklistIndex;
use shared::engine::icp::parse_parts;
use shared::engine::ports::MemoryCatalog;
#[tokio::main]
async fn main() {
    let text = std::fs::read_to_string("../shared/datasets/companies.jsonl").unwrap();
    let all: Vec<_> = text
        .lines()
        .map(|l| shared::engine::import::parse_json_line(l).unwrap())
        .collect();
    let cat = MemoryCatalog::new(all);
    for q in std::env::args().skip(1) {
        let parts: Vec<&str> = q.split('|').collect();
        let countries: Vec<String> = parts[1].split(',').map(String::from).collect();
        let excluded: Vec<String> = parts
            .get(2)
            .map(|e| {
                e.split(',')
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        let icp = parse_parts(parts[0], &countries, &[], &excluded);
        let f = shared::engine::pipeline::find(&icp, &countries, &cat, &BlacklistIndex::default())
            .await
            .unwrap();
        println!(
            "\n== {} -> {:?} excl {:?} kw {:?}; {} results",
            parts[0],
            icp.industries,
            icp.excluded,
            icp.keywords,
            f.ranked.len()
        );
        let mut labels = std::collections::BTreeMap::new();
        for r in f.ranked.iter().take(20) {
            *labels
                .entry(f.candidates[r.index].industry.clone().unwrap_or_default())
                .or_insert(0) += 1;
        }
        println!("   top20 labels: {labels:?}");
        for r in f.ranked.iter().take(3) {
            let c = &f.candidates[r.index];
            println!("   {} {} | {:?}", r.assessment.score, c.name, c.industry);
        }
    }
}
