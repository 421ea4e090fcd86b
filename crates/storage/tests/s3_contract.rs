//! The S3 backend against a real S3 protocol server (s3s-fs) that checks
//! signatures: what a presigned URL allows, and what it refuses.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use soundstream_s3_test_server::{ACCESS_KEY_ID, REGION, S3TestServer, SECRET_ACCESS_KEY};
use soundstream_storage::{
    AwsAccess, ObjectKey, ObjectStore, PresignedRequest, S3Settings, S3Store, StaticCredentials,
    UrlWindow,
};

async fn store(server: &S3TestServer) -> S3Store {
    S3Store::connect(&S3Settings {
        bucket: server.bucket.clone(),
        endpoint: Some(server.endpoint.clone()),
        access: AwsAccess {
            region: Some(REGION.to_owned()),
            credentials: Some(StaticCredentials {
                access_key_id: ACCESS_KEY_ID.to_owned(),
                secret_access_key: SECRET_ACCESS_KEY.to_owned(),
                session_token: None,
            }),
        },
    })
    .await
}

fn key(n: u8) -> ObjectKey {
    ObjectKey::generate("audio", [n; 16])
}

/// Sends `body` the way a browser would, with the signed headers, but
/// letting a test override the content type.
async fn send(request: &PresignedRequest, content_type: Option<&str>, body: Vec<u8>) -> u16 {
    let client = reqwest::Client::new();
    let mut builder = client.put(&request.url);
    for (name, value) in &request.headers {
        if name.eq_ignore_ascii_case("content-type") {
            builder = builder.header(name, content_type.unwrap_or(value));
        } else {
            builder = builder.header(name, value);
        }
    }
    builder
        .body(body)
        .send()
        .await
        .expect("the S3 server answers")
        .status()
        .as_u16()
}

const MINUTE: Duration = Duration::from_secs(60);

#[tokio::test]
async fn a_presigned_upload_stores_exactly_what_was_signed() {
    let server = S3TestServer::start().await;
    let store = store(&server).await;
    let key = key(1);
    let body = b"ID3 pretend audio".to_vec();

    let request = store
        .presign_upload(&key, "audio/mpeg", body.len() as u64, MINUTE)
        .await
        .expect("presigned");
    let status = send(&request, None, body.clone()).await;

    assert_eq!(request.method, "PUT");
    assert_eq!(status, 200);
    let info = store
        .head(&key)
        .await
        .expect("head")
        .expect("the object exists");
    assert_eq!(info.size, body.len() as u64);
    assert_eq!(info.content_type.as_deref(), Some("audio/mpeg"));
    assert_eq!(
        std::fs::read(server.object_path(key.as_str())).expect("on disk"),
        body
    );
}

#[tokio::test]
async fn a_presigned_upload_with_another_content_type_is_refused() {
    let server = S3TestServer::start().await;
    let store = store(&server).await;
    let key = key(2);
    let request = store
        .presign_upload(&key, "audio/mpeg", 5, MINUTE)
        .await
        .expect("presigned");

    let status = send(&request, Some("text/html"), b"<html".to_vec()).await;

    assert_eq!(status, 403);
    assert!(store.head(&key).await.expect("head").is_none());
}

#[tokio::test]
async fn a_presigned_upload_of_another_length_is_refused() {
    let server = S3TestServer::start().await;
    let store = store(&server).await;
    let key = key(3);
    let request = store
        .presign_upload(&key, "audio/mpeg", 5, MINUTE)
        .await
        .expect("presigned");

    let longer = send(&request, None, b"0123456789".to_vec()).await;
    let shorter = send(&request, None, b"012".to_vec()).await;

    assert_eq!(longer, 403);
    assert_eq!(shorter, 403);
    assert!(store.head(&key).await.expect("head").is_none());
}

#[tokio::test]
async fn an_expired_presigned_upload_is_refused() {
    let server = S3TestServer::start().await;
    let store = store(&server).await;
    let key = key(4);
    let request = store
        .presign_upload(&key, "audio/mpeg", 5, Duration::from_secs(1))
        .await
        .expect("presigned");

    tokio::time::sleep(Duration::from_millis(2100)).await;
    let status = send(&request, None, b"01234".to_vec()).await;

    assert_eq!(status, 403);
}

#[tokio::test]
async fn downloads_answer_ranges_with_the_signed_content_type() {
    let server = S3TestServer::start().await;
    let store = store(&server).await;
    let key = key(5);
    store
        .put(&key, Bytes::from_static(b"0123456789"), "audio/flac")
        .await
        .expect("put");
    let window = UrlWindow::containing(SystemTime::now(), Duration::from_secs(900));

    let url = store
        .presign_download(&key, "audio/flac", window)
        .await
        .expect("url");
    let same_window = store
        .presign_download(&key, "audio/flac", window)
        .await
        .expect("url");
    let client = reqwest::Client::new();
    let whole = client.get(&url).send().await.expect("sent");
    let ranged = client
        .get(&url)
        .header("range", "bytes=2-5")
        .send()
        .await
        .expect("sent");

    assert_eq!(
        url, same_window,
        "stable within a window, so browsers cache"
    );
    assert_eq!(whole.status().as_u16(), 200);
    assert_eq!(whole.headers()["content-type"], "audio/flac");
    assert_eq!(ranged.status().as_u16(), 206);
    assert_eq!(ranged.bytes().await.expect("body").as_ref(), b"2345");
    assert_eq!(
        store.read_range(&key, 8, 100).await.expect("tail").as_ref(),
        b"89"
    );
}

#[tokio::test]
async fn a_tampered_download_url_is_refused() {
    let server = S3TestServer::start().await;
    let store = store(&server).await;
    let key = key(6);
    store
        .put(&key, Bytes::from_static(b"x"), "audio/mpeg")
        .await
        .expect("put");
    let window = UrlWindow::containing(SystemTime::now(), Duration::from_secs(900));
    let url = store
        .presign_download(&key, "audio/mpeg", window)
        .await
        .expect("url");

    let other_key = url.replace(key.as_str(), ObjectKey::generate("audio", [7; 16]).as_str());
    let status = reqwest::get(&other_key)
        .await
        .expect("sent")
        .status()
        .as_u16();

    assert_eq!(status, 403);
}

#[tokio::test]
async fn delete_removes_and_tolerates_missing_objects() {
    let server = S3TestServer::start().await;
    let store = store(&server).await;
    let key = key(8);
    store
        .put(&key, Bytes::from_static(b"x"), "image/png")
        .await
        .expect("put");

    store.delete(&key).await.expect("deleted");
    store.delete(&key).await.expect("deleting again is fine");

    assert!(store.head(&key).await.expect("head").is_none());
    store.check().await.expect("the bucket is reachable");
}

#[tokio::test]
async fn a_local_file_is_streamed_into_an_object_byte_for_byte() {
    let server = S3TestServer::start().await;
    let store = store(&server).await;
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("song.flac");
    let content: Vec<u8> = (0..3_000_000_u32).map(|n| (n % 251) as u8).collect();
    std::fs::write(&path, &content).expect("written");
    let key = key(9);

    store
        .put_file(&key, &path, "audio/flac")
        .await
        .expect("stored");

    let info = store.head(&key).await.expect("head").expect("present");
    assert_eq!(info.size, content.len() as u64);
    let back = store
        .read_range(&key, 0, content.len() as u64)
        .await
        .expect("read");
    assert!(back[..] == content[..], "the same bytes");
}

#[tokio::test]
async fn copy_keeps_the_bytes_when_the_source_is_replaced() {
    let server = S3TestServer::start().await;
    let store = store(&server).await;
    let (source, copy) = (key(9), key(10));
    store
        .put(&source, Bytes::from_static(b"verified"), "image/png")
        .await
        .expect("put");

    store.copy(&source, &copy).await.expect("copied");
    store
        .put(&source, Bytes::from_static(b"swapped!"), "image/png")
        .await
        .expect("replaced");

    let kept = store.read_range(&copy, 0, 8).await.expect("read");
    assert_eq!(&kept[..], b"verified");
    assert!(matches!(
        store.copy(&key(11), &key(12)).await,
        Err(soundstream_storage::StorageError::NotFound)
    ));
}

#[tokio::test]
async fn a_server_that_never_answers_fails_the_call_within_its_timeout() {
    // A real socket that accepts connections and then says nothing.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bound");
    let address = listener.local_addr().expect("address");
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let store = S3Store::connect_with(
        &S3Settings {
            bucket: "silent".to_owned(),
            endpoint: Some(format!("http://{address}")),
            access: AwsAccess {
                region: Some(REGION.to_owned()),
                credentials: Some(StaticCredentials {
                    access_key_id: ACCESS_KEY_ID.to_owned(),
                    secret_access_key: SECRET_ACCESS_KEY.to_owned(),
                    session_token: None,
                }),
            },
        },
        soundstream_storage::Timeouts {
            operation: Duration::from_secs(2),
            attempt: Duration::from_secs(1),
        },
    )
    .await;

    let started = std::time::Instant::now();
    let head = store.head(&key(10)).await;

    assert!(head.is_err(), "{head:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "gave up after {:?}",
        started.elapsed()
    );
    silent.abort();
}
