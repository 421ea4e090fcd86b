//! Amazon S3 (or an S3-compatible server addressed path-style). Uploads
//! and downloads use presigned URLs; the API only signs, checks and reads
//! small ranges (format sniffing, tags).

use std::time::{Duration, SystemTime};

use aws_sdk_s3::Client;
use aws_sdk_s3::error::{DisplayErrorContext, SdkError};
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use bytes::Bytes;
use soundstream_aws::{AwsAccess, Timeouts};

use crate::{ObjectInfo, ObjectKey, ObjectStore, PresignedRequest, StorageError, UrlWindow};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Settings {
    pub bucket: String,
    /// An S3-compatible server; selects path-style addressing.
    pub endpoint: Option<String>,
    pub access: AwsAccess,
}

#[derive(Debug, Clone)]
pub struct S3Store {
    client: Client,
    bucket: String,
}

fn backend_error<E>(error: &SdkError<E>) -> StorageError
where
    E: std::error::Error + 'static,
{
    StorageError::Backend(DisplayErrorContext(error).to_string())
}

impl S3Store {
    /// A store whose calls give up after a minute (20 s per attempt):
    /// objects the API itself moves are small (covers, face pictures) or
    /// read in ranges (tags), and a stalled call must not hold a request.
    pub async fn connect(settings: &S3Settings) -> Self {
        Self::connect_with(
            settings,
            Timeouts {
                operation: Duration::from_secs(60),
                attempt: Duration::from_secs(20),
            },
        )
        .await
    }

    pub async fn connect_with(settings: &S3Settings, timeouts: Timeouts) -> Self {
        let shared = soundstream_aws::load(&settings.access, Some(timeouts)).await;
        let mut config = aws_sdk_s3::config::Builder::from(&shared);
        if let Some(endpoint) = &settings.endpoint {
            config = config.endpoint_url(endpoint).force_path_style(true);
        }
        Self {
            client: Client::from_conf(config.build()),
            bucket: settings.bucket.clone(),
        }
    }

    fn presigning(
        start: SystemTime,
        expires_in: Duration,
    ) -> Result<PresigningConfig, StorageError> {
        PresigningConfig::builder()
            .start_time(start)
            .expires_in(expires_in)
            .build()
            .map_err(|e| StorageError::Backend(e.to_string()))
    }
}

#[async_trait::async_trait]
impl ObjectStore for S3Store {
    fn backend(&self) -> &'static str {
        "s3"
    }

    async fn presign_upload(
        &self,
        key: &ObjectKey,
        content_type: &str,
        size: u64,
        expires_in: Duration,
    ) -> Result<PresignedRequest, StorageError> {
        let now = SystemTime::now();
        let length = i64::try_from(size).map_err(|_| StorageError::InvalidRange)?;
        let request = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .content_type(content_type)
            .content_length(length)
            .presigned(Self::presigning(now, expires_in)?)
            .await
            .map_err(|e| backend_error(&e))?;
        Ok(PresignedRequest {
            method: request.method().to_owned(),
            url: request.uri().to_owned(),
            headers: request
                .headers()
                .filter(|(name, _)| !name.eq_ignore_ascii_case("content-length"))
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .collect(),
            expires_at: now + expires_in,
        })
    }

    async fn presign_download(
        &self,
        key: &ObjectKey,
        content_type: &str,
        window: UrlWindow,
    ) -> Result<String, StorageError> {
        let lifetime = window
            .expires_at
            .duration_since(window.issued_at)
            .unwrap_or(Duration::from_secs(60));
        let request = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .response_content_type(content_type)
            .presigned(Self::presigning(window.issued_at, lifetime)?)
            .await
            .map_err(|e| backend_error(&e))?;
        Ok(request.uri().to_owned())
    }

    async fn head(&self, key: &ObjectKey) -> Result<Option<ObjectInfo>, StorageError> {
        match self
            .client
            .head_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .send()
            .await
        {
            Ok(output) => Ok(Some(ObjectInfo {
                size: output
                    .content_length()
                    .and_then(|length| u64::try_from(length).ok())
                    .unwrap_or(0),
                content_type: output.content_type().map(str::to_owned),
            })),
            Err(error) if error.as_service_error().is_some_and(|e| e.is_not_found()) => Ok(None),
            Err(error) => Err(backend_error(&error)),
        }
    }

    async fn read_range(
        &self,
        key: &ObjectKey,
        start: u64,
        len: u64,
    ) -> Result<Bytes, StorageError> {
        if len == 0 {
            return Ok(Bytes::new());
        }
        let output = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .range(format!("bytes={start}-{}", start + len - 1))
            .send()
            .await
            .map_err(|error| {
                if error.as_service_error().is_some_and(|e| e.is_no_such_key()) {
                    StorageError::NotFound
                } else if error
                    .raw_response()
                    .is_some_and(|r| r.status().as_u16() == 416)
                {
                    StorageError::InvalidRange
                } else {
                    backend_error(&error)
                }
            })?;
        let body = output
            .body
            .collect()
            .await
            .map_err(|e| StorageError::Backend(e.to_string()))?;
        Ok(body.into_bytes())
    }

    async fn put(
        &self,
        key: &ObjectKey,
        bytes: Bytes,
        content_type: &str,
    ) -> Result<(), StorageError> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .content_type(content_type)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(|e| backend_error(&e))?;
        Ok(())
    }

    async fn put_file(
        &self,
        key: &ObjectKey,
        path: &std::path::Path,
        content_type: &str,
    ) -> Result<(), StorageError> {
        // Streamed from disk with its length known, in one PUT (audio is
        // far below S3's 5 GB single-PUT limit).
        let body = ByteStream::from_path(path)
            .await
            .map_err(|error| StorageError::Backend(error.to_string()))?;
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .content_type(content_type)
            .body(body)
            .send()
            .await
            .map_err(|e| backend_error(&e))?;
        Ok(())
    }

    async fn copy(&self, from: &ObjectKey, to: &ObjectKey) -> Result<(), StorageError> {
        // Keys are `prefix/hex`: nothing in the copy source needs escaping.
        self.client
            .copy_object()
            .bucket(&self.bucket)
            .key(to.as_str())
            .copy_source(format!("{}/{}", self.bucket, from.as_str()))
            .send()
            .await
            .map_err(|error| {
                if error
                    .as_service_error()
                    .is_some_and(|e| e.meta().code() == Some("NoSuchKey"))
                {
                    StorageError::NotFound
                } else {
                    backend_error(&error)
                }
            })?;
        Ok(())
    }

    async fn delete(&self, key: &ObjectKey) -> Result<(), StorageError> {
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .send()
            .await
            .map_err(|e| backend_error(&e))?;
        Ok(())
    }

    async fn check(&self) -> Result<(), StorageError> {
        self.client
            .head_bucket()
            .bucket(&self.bucket)
            .send()
            .await
            .map_err(|e| backend_error(&e))?;
        Ok(())
    }
}
