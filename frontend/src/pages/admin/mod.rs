//! The administrator's side of the player: overview and statistics,
//! multi-file upload, catalogue editing, user management and the
//! background jobs. Every page is
//! wrapped in `AdminOnly`; the sidebar shows `AdminNav` to admins only (both
//! in `components`).

pub mod catalogue;
pub mod jobs;
pub mod overview;
pub mod stations;
pub mod upload;
pub mod users;
