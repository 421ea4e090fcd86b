//! Users as the API shows them, and the changes users and admins may make.

use serde::{Deserialize, Deserializer, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Listener,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Listener => "listener",
        }
    }
}

/// A user, as its owner and admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: String,
    /// Lower-case, unique.
    pub username: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    /// BCP 47 language code (`es`, `pt-BR`), the default translation target.
    pub preferred_language: Option<String>,
    /// A playback-ready URL of the avatar image, when one is set.
    pub avatar_url: Option<String>,
    /// RFC 3339 date-time.
    pub created_at: String,
}

/// `PATCH /me`: absent fields are left alone; `null` clears a clearable one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "clearable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub preferred_language: Option<Option<String>>,
    /// A completed image upload of yours; `null` removes the avatar.
    #[serde(
        default,
        deserialize_with = "clearable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub avatar_upload_id: Option<Option<String>>,
}

/// `PUT /me/password`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

/// `PATCH /admin/users/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AdminUpdateUserRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}

/// Distinguishes an absent field (`None`) from an explicit `null`
/// (`Some(None)`), which plain `Option` cannot.
pub(crate) fn clearable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_null_and_value_are_three_different_patches() {
        let absent: UpdateMeRequest = serde_json::from_str("{}").expect("valid");
        let null: UpdateMeRequest =
            serde_json::from_str(r#"{"preferred_language": null}"#).expect("valid");
        let value: UpdateMeRequest =
            serde_json::from_str(r#"{"preferred_language": "es"}"#).expect("valid");
        assert_eq!(absent.preferred_language, None);
        assert_eq!(null.preferred_language, Some(None));
        assert_eq!(value.preferred_language, Some(Some("es".into())));
    }
}
