//! A lookalike order's seeds (`lookalike_domains`, docs/contract-notes.md "Lookalike discovery") looked up
//! in the catalog when the order is created or previewed: one batched read of at most 20
//! companies. Seeds not found are warnings; none found is a 422.
use domain::create_order::{unknown_seed_warnings, NewOrder, LOOKALIKE_NONE_KNOWN};
use domain::ApiError;
use engine::ports::CatalogSource;

/// The warnings for the order's seeds the catalog does not know (none for an order without
/// seeds), or the 422 when it knows none of them.
pub async fn seed_warnings(
    catalog: &dyn CatalogSource,
    order: &NewOrder,
) -> Result<Vec<String>, ApiError> {
    let Some(seeds) = order.lookalike_domains.as_deref().filter(|s| !s.is_empty()) else {
        return Ok(Vec::new());
    };
    let known = catalog.by_ids(seeds).await?;
    let unknown: Vec<String> = seeds
        .iter()
        .filter(|d| !known.contains_key(*d))
        .cloned()
        .collect();
    if unknown.len() == seeds.len() {
        return Err(ApiError::validation(
            "lookalike_domains",
            LOOKALIKE_NONE_KNOWN,
        ));
    }
    Ok(unknown_seed_warnings(&unknown))
}
