//! One module per page of the player, each a routed component.

pub mod album;
pub mod artist;
pub mod favorites;
pub mod home;
pub mod login;
pub mod not_found;
pub mod playlist;
pub mod playlists;
pub mod profile;
pub mod radio;
pub mod search;
pub mod settings;
pub mod songs;
pub mod status;
// Issue #9: the administrator's pages.
pub mod admin;
