//! Building blocks shared by the layout and the pages.

pub mod icons;
pub mod load_error;
pub mod player_bar;
pub mod service_status;
pub mod sidebar;
