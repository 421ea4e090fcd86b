//! What every Subsonic method receives.

use super::params::Params;
use crate::auth::AuthUser;
use crate::services::media_urls::MediaUrls;
use crate::state::AppState;

/// What a method needs: the state, who calls, and what they sent.
pub struct Call<'a> {
    pub state: &'a AppState,
    pub urls: MediaUrls,
    pub user: &'a AuthUser,
    pub params: &'a Params,
}
