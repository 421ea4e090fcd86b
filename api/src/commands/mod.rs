//! Operator commands run from the command line rather than over HTTP.

pub mod admin;
pub mod import;
pub mod renditions;
pub mod seed;
