//! Data transfer objects shared by the SoundStream API and the web player.
//!
//! Both sides compile this crate (the player to wasm), so a field renamed here
//! breaks the build on both sides instead of at run time. OpenAPI schemas are
//! derived only with the `openapi` feature, which the API enables.

pub mod app_passwords;
pub mod auth;
pub mod catalogue;
pub mod config;
pub mod face;
pub mod health;
pub mod page;
pub mod playlists;
pub mod problem;
pub mod search;
pub mod stations;
pub mod translation;
pub mod uploads;
pub mod users;

pub use app_passwords::{AppPassword, CreateAppPasswordRequest, CreatedAppPassword};
pub use auth::{
    ConfirmRequest, Confirmation, LoginRequest, RefreshRequest, RegisterRequest, TokenResponse,
};
pub use catalogue::{
    Album, AlbumDetail, AlbumRef, Artist, ArtistDetail, ArtistRef, CreateSongRequest, FailedJob,
    FavoriteIds, JobKindCounts, JobsOverview, LibraryStats, Loudness, Lyrics, PlayQueue,
    PlayRequest, PlaybackQuality, PlaybackUrl, PlayedSong, REFERENCE_LUFS, SavePlayQueueRequest,
    Song, SongPlays, SongRef, UpdateAlbumRequest, UpdateArtistRequest, UpdateSongRequest,
};
pub use config::{FeatureStatus, Features, Languages, ServiceConfig, UploadLimits};
pub use face::{
    EnrolFaceRequest, FaceChallenge, FaceChallengeRequest, FaceEnrolment, FaceLoginRequest,
    TurnDirection,
};
pub use health::{CheckStatus, Health, Readiness, ReadinessChecks};
pub use page::Page;
pub use playlists::{
    AddPlaylistSongsRequest, AddedPlaylistEntries, CreatePlaylistRequest, MovePlaylistEntryRequest,
    Playlist, PlaylistEntry, PlaylistOwner, UpdatePlaylistRequest,
};
pub use problem::{FieldError, PROBLEM_CONTENT_TYPE, Problem, ProblemKind};
pub use search::SearchResults;
pub use stations::{
    CreateStationRequest, ScheduledSong, Station, StationNow, StationSource, StationStreamUrls,
    UpdateStationRequest,
};
pub use translation::{LanguageList, LanguageSource, TranslateRequest, TranslatedText};
pub use uploads::{
    AudioTags, CompletedUpload, CreateUploadRequest, EmbeddedCover, UploadKind, UploadTicket,
};
pub use users::{AdminUpdateUserRequest, ChangePasswordRequest, Role, UpdateMeRequest, User};
