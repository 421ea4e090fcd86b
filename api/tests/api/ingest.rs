//! The one ingest flow: a file from a folder (`soundstream import`) and the
//! same bytes in media storage (an upload) are identified and read alike,
//! and the file's faults are told from ours the same way on both paths.

use std::sync::Arc;

use soundstream_api::services::ServiceError;
use soundstream_api::services::ingest::{self, IngestError, Source};
use soundstream_media::{AudioFormat, DetectedFormat};
use soundstream_storage::{LocalStore, ObjectKey, ObjectStore};

use crate::uploads::fixture;

/// `bytes` as a local file and as a stored object.
async fn both_sources(dir: &std::path::Path, bytes: &[u8], content_type: &str) -> [Source; 2] {
    let path = dir.join("song.bin");
    std::fs::write(&path, bytes).expect("write the file");
    let store = Arc::new(LocalStore::new(dir.join("media"), &[7; 32]).expect("local store"));
    let key = ObjectKey::generate("audio", [1; 16]);
    store
        .put(&key, bytes.to_vec().into(), content_type)
        .await
        .expect("put the object");
    let size = bytes.len() as u64;
    [
        Source::File { path, size },
        Source::Object { store, key, size },
    ]
}

#[tokio::test]
async fn a_file_and_the_same_object_are_identified_and_read_alike() {
    let dir = tempfile::tempdir().expect("temp dir");
    let [file, object] = both_sources(dir.path(), &fixture("tone.mp3"), "audio/mpeg").await;

    let mut read = Vec::new();
    for source in [&file, &object] {
        let format = ingest::identify(source).await.expect("identified");
        assert_eq!(format, Some(DetectedFormat::Audio(AudioFormat::Mp3)));
        read.push(
            ingest::read_tags(source, AudioFormat::Mp3)
                .await
                .expect("tags"),
        );
    }
    assert_eq!(read[0].title, read[1].title);
    assert_eq!(read[0].artist, read[1].artist);
    assert_eq!(read[0].duration_ms, read[1].duration_ms);
    assert!(read[0].duration_ms > 2_000, "{}", read[0].duration_ms);
}

#[tokio::test]
async fn a_broken_file_is_refused_on_both_paths() {
    let dir = tempfile::tempdir().expect("temp dir");
    // FLAC's magic bytes, then nothing a decoder can use.
    let truncated: Vec<u8> = fixture("tone.flac").into_iter().take(64).collect();
    for source in both_sources(dir.path(), &truncated, "audio/flac").await {
        assert_eq!(
            ingest::identify(&source).await.expect("identified"),
            Some(DetectedFormat::Audio(AudioFormat::Flac))
        );
        match ingest::read_tags(&source, AudioFormat::Flac).await {
            Err(IngestError::Refused(reason)) => assert!(!reason.is_empty()),
            other => panic!("a broken file must be refused, not {other:?}"),
        }
    }
}

#[tokio::test]
async fn bytes_that_cannot_be_reached_are_our_fault_not_the_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let [file, object] = both_sources(dir.path(), &fixture("tone.flac"), "audio/flac").await;
    let Source::Object { store, key, size } = object else {
        unreachable!("both_sources returns the object second")
    };
    store.delete(&key).await.expect("delete the object");
    std::fs::remove_file(dir.path().join("song.bin")).expect("remove the file");
    let gone = [file, Source::Object { store, key, size }];
    for source in gone {
        match ingest::read_tags(&source, AudioFormat::Flac).await {
            Err(IngestError::Failed(ServiceError::Storage(_))) => {}
            other => panic!("unreachable bytes are a storage fault, not {other:?}"),
        }
    }
}
