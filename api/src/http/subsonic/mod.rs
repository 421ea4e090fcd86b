//! The OpenSubsonic API at `/rest/{method}` and `/rest/{method}.view`, GET
//! or form POST, for the Subsonic apps on phones and desktops. The wire
//! format lives in [`wire`]; every method calls the same services as the
//! JSON API, signed in with an app password ([`auth`]).

mod annotation;
mod auth;
mod bookmarks;
mod browsing;
mod call;
mod media;
mod objects;
pub mod params;
mod playlists;
mod radio;
mod system;
pub mod wire;

use actix_web::http::header;
use actix_web::web::{self, Bytes, Data};
use actix_web::{HttpRequest, HttpResponse};

use self::browsing::AlbumShape;
use self::call::Call;
use self::params::Params;
use self::wire::{Format, Payload, SubsonicError, respond};
use crate::http::extractors::client_address;
use crate::services::media_urls::MediaUrls;
use crate::state::AppState;

/// Form bodies larger than this are refused (a playlist of 5,000 ids fits).
const FORM_LIMIT: usize = 256 * 1024;

/// Mounts `/rest/{method}` for GET and POST.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/rest/{method}")
            .route(web::get().to(handle))
            .route(web::post().to(handle))
            .route(web::head().to(handle)),
    );
}

/// A method's answer: an element for the envelope, or a response of its
/// own (media, redirects).
pub enum Answer {
    Payload(Payload),
    Raw(HttpResponse),
}

async fn handle(state: Data<AppState>, req: HttpRequest, body: Bytes) -> HttpResponse {
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"));
    let form = (is_form && body.len() <= FORM_LIMIT).then_some(&body[..]);
    let params = Params::parse(req.query_string(), form);
    let format = Format::parse(params.get("f"), params.get("callback"));
    let method = req.match_info().get("method").unwrap_or_default();
    let method = method.strip_suffix(".view").unwrap_or(method);
    match answer(&state, &req, method, &params, body.len() > FORM_LIMIT).await {
        Ok(Answer::Raw(response)) => response,
        Ok(Answer::Payload(payload)) => respond(&format, Ok(payload)),
        Err(error) => respond(&format, Err(error)),
    }
}

async fn answer(
    state: &AppState,
    req: &HttpRequest,
    method: &str,
    params: &Params,
    too_large: bool,
) -> Result<Answer, SubsonicError> {
    if too_large {
        return Err(SubsonicError::generic("The form is too large."));
    }
    // Public methods: apps ask for these before (or to test) signing in.
    match method {
        "getOpenSubsonicExtensions" => return Ok(Answer::Payload(system::extensions())),
        "ping" | "getLicense" if !auth::has_credentials(params) => {
            return Ok(Answer::Payload(system::public(method)));
        }
        _ => {}
    }
    let client = client_address(req, &state.settings.trusted_proxies);
    let user = auth::authenticate(state, client, params).await?;
    let call = Call {
        state,
        urls: MediaUrls::new(state.storage.store.clone(), state.public_origin.to_string()),
        user: &user,
        params,
    };
    let payload = match method {
        "ping" | "getLicense" => system::public(method),
        "getUser" => system::get_user(&call).await?,
        "getScanStatus" | "startScan" => system::scan_status(&call).await?,
        "tokenInfo" => system::token_info(&call).await?,
        "getMusicFolders" => browsing::music_folders(),
        "getIndexes" => browsing::indexes(&call).await?,
        "getArtists" => browsing::artists(&call).await?,
        "getMusicDirectory" => browsing::music_directory(&call).await?,
        "getArtist" => browsing::artist(&call).await?,
        "getAlbum" => browsing::album(&call).await?,
        "getSong" => browsing::song(&call).await?,
        "getGenres" => browsing::genres(&call).await?,
        "getArtistInfo2" => browsing::artist_info(&call, "artistInfo2").await?,
        "getArtistInfo" => browsing::artist_info(&call, "artistInfo").await?,
        "getAlbumInfo2" | "getAlbumInfo" => browsing::album_info(&call).await?,
        "getSimilarSongs2" => browsing::similar_songs(&call, "similarSongs2").await?,
        "getSimilarSongs" => browsing::similar_songs(&call, "similarSongs").await?,
        "getTopSongs" => browsing::top_songs(&call).await?,
        "getAlbumList2" => browsing::album_list(&call, "albumList2", AlbumShape::Id3).await?,
        "getAlbumList" => browsing::album_list(&call, "albumList", AlbumShape::Folder).await?,
        "getRandomSongs" => browsing::random_songs(&call).await?,
        "getSongsByGenre" => browsing::songs_by_genre(&call).await?,
        "getNowPlaying" => annotation::now_playing(&call).await?,
        "getStarred2" => annotation::starred(&call, "starred2", AlbumShape::Id3).await?,
        "getStarred" => annotation::starred(&call, "starred", AlbumShape::Folder).await?,
        "search3" => browsing::search(&call, "searchResult3", AlbumShape::Id3).await?,
        "search2" => browsing::search(&call, "searchResult2", AlbumShape::Folder).await?,
        "getPlaylists" => playlists::list(&call).await?,
        "getPlaylist" => playlists::get(&call).await?,
        "createPlaylist" => playlists::create(&call).await?,
        "updatePlaylist" => playlists::update(&call).await?,
        "deletePlaylist" => playlists::delete(&call).await?,
        "stream" => return media::song(&call, false).await.map(Answer::Raw),
        "download" => return media::song(&call, true).await.map(Answer::Raw),
        "getCoverArt" => return media::cover(&call).await.map(Answer::Raw),
        "getLyricsBySongId" => media::lyrics(&call).await?,
        "getLyrics" => media::lyrics_by_name(&call).await?,
        "getAvatar" => return media::avatar(&call).await.map(Answer::Raw),
        "star" => annotation::star(&call, true).await?,
        "unstar" => annotation::star(&call, false).await?,
        "setRating" => annotation::set_rating(&call).await?,
        "scrobble" => annotation::scrobble(&call).await?,
        "getBookmarks" => bookmarks::list(&call).await?,
        "createBookmark" => bookmarks::create(&call).await?,
        "deleteBookmark" => bookmarks::delete(&call).await?,
        "savePlayQueue" => bookmarks::save_queue(&call).await?,
        "getPlayQueue" => bookmarks::get_queue(&call).await?,
        "getInternetRadioStations" => radio::list(&call).await?,
        other => {
            return Err(SubsonicError::not_found(format!(
                "SoundStream does not implement '{other}'."
            )));
        }
    };
    Ok(Answer::Payload(payload))
}
