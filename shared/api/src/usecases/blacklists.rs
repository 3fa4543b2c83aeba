use super::{answer, paged, Answer};
use crate::app::App;
use auth::Caller;
use domain::blacklist::{self, Blacklist, BlacklistEntry};
use domain::paging::Page;
use domain::ApiError;
use serde_json::{json, Value};
use store::ports::Blacklists;
use uuid::Uuid;

fn entry_view(e: BlacklistEntry) -> Value {
    json!({
        "id": e.id,
        "blacklist_id": e.blacklist_id,
        "company_name": e.company_name,
        "website_url": e.website_url,
        "city": e.city,
        "country": e.country,
        "normalized_domain": match &e.match_key { blacklist::MatchKey::Domain { domain } => Some(domain), _ => None },
        "created_at": e.created_at,
    })
}

pub async fn create(app: &App, caller: &Caller, body: &Value) -> Result<Answer, ApiError> {
    let (name, description) = blacklist::parse_new(body)?;
    let now = domain::clock::now_string();
    let bl = Blacklist {
        id: Uuid::now_v7(),
        name,
        description,
        entry_count: 0,
        created_at: now.clone(),
        updated_at: now,
    };
    app.db.create_blacklist(&caller.tenant_id, &bl).await?;
    Ok(answer(201, &bl))
}

pub async fn get(app: &App, caller: &Caller, id: Uuid) -> Result<Answer, ApiError> {
    let bl = app
        .db
        .get_blacklist(&caller.tenant_id, id)
        .await?
        .ok_or(ApiError::BlacklistNotFound)?;
    Ok(answer(200, &bl))
}

pub async fn list(app: &App, caller: &Caller, page: Page) -> Result<Answer, ApiError> {
    let (items, total) = app.db.list_blacklists(&caller.tenant_id, page).await?;
    Ok(paged(items, total, page, |b| b))
}

pub async fn patch(app: &App, caller: &Caller, id: Uuid, body: &Value) -> Result<Answer, ApiError> {
    let patch = blacklist::parse_patch(body)?;
    let bl = app
        .db
        .patch_blacklist(&caller.tenant_id, id, &patch)
        .await?
        .ok_or(ApiError::BlacklistNotFound)?;
    Ok(answer(200, &bl))
}

pub async fn delete(app: &App, caller: &Caller, id: Uuid) -> Result<(), ApiError> {
    if app.db.delete_blacklist(&caller.tenant_id, id).await? {
        Ok(())
    } else {
        Err(ApiError::BlacklistNotFound)
    }
}

pub async fn add_entries(
    app: &App,
    caller: &Caller,
    id: Uuid,
    body: &Value,
) -> Result<Answer, ApiError> {
    // 404 before 422: a partner learns first that the list itself is wrong.
    app.db
        .get_blacklist(&caller.tenant_id, id)
        .await?
        .ok_or(ApiError::BlacklistNotFound)?;
    let entries = blacklist::parse_entries(body)?;
    let added = app
        .db
        .add_entries(&caller.tenant_id, id, entries)
        .await?
        .ok_or(ApiError::BlacklistNotFound)?;
    Ok(answer(
        200,
        &json!({"added": added.added, "duplicates": added.duplicates, "entry_count": added.entry_count}),
    ))
}

pub async fn list_entries(
    app: &App,
    caller: &Caller,
    id: Uuid,
    page: Page,
) -> Result<Answer, ApiError> {
    app.db
        .get_blacklist(&caller.tenant_id, id)
        .await?
        .ok_or(ApiError::BlacklistNotFound)?;
    let (items, total) = app.db.list_entries(&caller.tenant_id, id, page).await?;
    Ok(paged(items, total, page, entry_view))
}

pub async fn delete_entry(
    app: &App,
    caller: &Caller,
    id: Uuid,
    entry: Uuid,
) -> Result<(), ApiError> {
    app.db
        .get_blacklist(&caller.tenant_id, id)
        .await?
        .ok_or(ApiError::BlacklistNotFound)?;
    if app.db.delete_entry(&caller.tenant_id, id, entry).await? {
        Ok(())
    } else {
        Err(ApiError::EntryNotFound)
    }
}

/// What an order's blacklists exclude now: the entries current at this moment. A blacklist
/// deleted since the order was created (or being deleted: its entries may still be there) no
/// longer excludes anything. Discovery (the plan task) and the preview read it the same way.
pub async fn exclusions(
    db: &impl Blacklists,
    tenant: &str,
    ids: &[Uuid],
) -> Result<engine::blacklist_match::BlacklistIndex, ApiError> {
    let mut index = engine::blacklist_match::BlacklistIndex::default();
    for id in ids {
        if db.get_blacklist(tenant, *id).await?.is_none() {
            continue;
        }
        db.each_match_key(tenant, *id, &mut |key| index.insert(key))
            .await?;
    }
    Ok(index)
}
