use super::{answer, paged, Answer};
use crate::app::App;
use auth::Caller;
use domain::paging::Page;
use domain::ApiError;
use store::ports::Profiles;
use uuid::Uuid;

pub async fn get(app: &App, caller: &Caller, id: Uuid) -> Result<Answer, ApiError> {
    let p = app
        .db
        .get_profile(&caller.tenant_id, id)
        .await?
        .ok_or(ApiError::ProfileNotFound)?;
    Ok(answer(200, &p))
}

pub async fn list(app: &App, caller: &Caller, page: Page) -> Result<Answer, ApiError> {
    let (items, total) = app.db.list_profiles(&caller.tenant_id, page).await?;
    Ok(paged(items, total, page, |p| p))
}
