//! The one way SoundStream's AWS-backed providers (S3, Rekognition,
//! Translate) load their configuration: an explicit region and credentials
//! when configured, the standard AWS chain otherwise, `us-east-1` as the
//! last resort, and timeouts so a slow service cannot hang a request.

use std::time::Duration;

use aws_config::meta::region::RegionProviderChain;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};

/// The region used when neither the settings nor the AWS chain name one.
pub const FALLBACK_REGION: &str = "us-east-1";

/// Credentials given explicitly (`AWS_ACCESS_KEY_ID`,
/// `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`).
#[derive(Clone, PartialEq, Eq)]
pub struct StaticCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

impl std::fmt::Debug for StaticCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StaticCredentials({}, ***)", self.access_key_id)
    }
}

/// Where and as whom to call AWS.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsAccess {
    pub region: Option<String>,
    /// Absent: the standard chain (instance role, profile, SSO, …).
    pub credentials: Option<StaticCredentials>,
}

/// An endpoint that does not accept a connection this fast is down.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// How long a call may take, retries included, and one attempt of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub operation: Duration,
    pub attempt: Duration,
}

/// The shared SDK configuration for `access`.
pub async fn load(access: &AwsAccess, timeouts: Option<Timeouts>) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    loader = match &access.region {
        Some(region) => loader.region(Region::new(region.clone())),
        None => loader
            .region(RegionProviderChain::default_provider().or_else(Region::new(FALLBACK_REGION))),
    };
    if let Some(credentials) = &access.credentials {
        loader = loader.credentials_provider(aws_credential_types::Credentials::new(
            &credentials.access_key_id,
            &credentials.secret_access_key,
            credentials.session_token.clone(),
            None,
            "soundstream-configuration",
        ));
    }
    if let Some(timeouts) = timeouts {
        loader = loader.timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .operation_timeout(timeouts.operation)
                .operation_attempt_timeout(timeouts.attempt)
                .build(),
        );
    }
    loader.load().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn explicit_settings_win() {
        let access = AwsAccess {
            region: Some("eu-west-1".into()),
            credentials: Some(StaticCredentials {
                access_key_id: "AKIDEXAMPLE".into(),
                secret_access_key: "secret".into(),
                session_token: None,
            }),
        };
        let timeouts = Timeouts {
            operation: Duration::from_secs(9),
            attempt: Duration::from_secs(3),
        };

        let config = load(&access, Some(timeouts)).await;

        assert_eq!(config.region().map(Region::as_ref), Some("eu-west-1"));
        assert!(config.credentials_provider().is_some());
        let timeout = config.timeout_config().expect("timeouts set");
        assert_eq!(timeout.operation_timeout(), Some(Duration::from_secs(9)));
        assert_eq!(
            timeout.operation_attempt_timeout(),
            Some(Duration::from_secs(3))
        );
        assert!(format!("{access:?}").contains("***"));
        assert!(!format!("{access:?}").contains("secret"));
    }
}
