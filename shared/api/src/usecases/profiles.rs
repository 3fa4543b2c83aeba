use super::{Found, Listed};
use crate::app::App;
use auth::Caller;
use domain::paging::Page;
use domain::profile::Profile;
use domain::ApiError;
use uuid::Uuid;

/// `GET /profiles/{id}`.
pub async fn get(app: &App, caller: &Caller, id: Uuid) -> Result<Found<Profile>, ApiError> {
    let p = app
        .db
        .get_profile(&caller.tenant_id, id)
        .await?
        .ok_or(ApiError::ProfileNotFound)?;
    Ok(Found(p))
}

/// `GET /profiles`.
pub async fn list(app: &App, caller: &Caller, page: Page) -> Result<Listed<Profile>, ApiError> {
    let (items, total) = app.db.list_profiles(&caller.tenant_id, page).await?;
    Ok(Listed::new(items, total, page, |p| p))
}
