//! What the dataset tests share: the evaluation dataset (`../shared/datasets`), read in place and
//! parsed once per test binary.
use engine::catalog::CatalogCompany;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Every company of the dataset; a missing file fails the test loudly, never skips it.
pub fn dataset() -> &'static [CatalogCompany] {
    static DATA: OnceLock<Vec<CatalogCompany>> = OnceLock::new();
    DATA.get_or_init(|| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/datasets/companies.jsonl");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("the evaluation dataset must be at {}: {e}", path.display())
        });
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| engine::import::parse_json_line(l).expect("every row parses"))
            .collect()
    })
}
