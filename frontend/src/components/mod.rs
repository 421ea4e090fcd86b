//! Building blocks shared by the layout and the pages.

pub mod admin_nav;
pub mod admin_only;
pub mod face_capture;
pub mod favorite_button;
pub mod form_error;
pub mod icons;
pub mod language_select;
pub mod list_end;
pub mod load_error;
pub mod loaded;
pub mod lyrics_panel;
pub mod player_bar;
pub mod playlist_cards;
pub mod playlist_fields;
pub mod playlist_picker;
pub mod queue_panel;
pub mod sidebar;
pub mod song_list;
pub mod song_table;
