//! The one ingest flow: a file from a folder (`soundstream import`) and the
//! same bytes in media storage (an upload) are identified and read alike,
//! and the file's faults are told from ours the same way on both paths.

use std::sync::Arc;

use soundstream_api::services::ServiceError;
use soundstream_api::services::ingest::{self, IngestError, Source};
use soundstream_media::{AudioFormat, AudioMetadata, DetectedFormat};
use soundstream_storage::{LocalStore, ObjectKey, ObjectStore};

use crate::uploads::fixture;

/// `bytes` as a local file and as a stored object.
async fn both_sources(
    dir: &std::path::Path,
    bytes: &[u8],
    content_type: &str,
) -> (std::path::PathBuf, Source) {
    let path = dir.join("song.bin");
    std::fs::write(&path, bytes).expect("write the file");
    let store = Arc::new(LocalStore::new(dir.join("media"), &[7; 32]).expect("local store"));
    let key = ObjectKey::generate("audio", [1; 16]);
    store
        .put(&key, bytes.to_vec().into(), content_type)
        .await
        .expect("put the object");
    let size = bytes.len() as u64;
    (path, Source { store, key, size })
}

/// What the import reads from a file where it lies.
fn file_tags(path: &std::path::Path, format: AudioFormat) -> Result<AudioMetadata, IngestError> {
    let mut file = std::fs::File::open(path).expect("open");
    ingest::read_file_tags(&mut file, format)
}

fn file_format(path: &std::path::Path) -> Option<DetectedFormat> {
    let mut file = std::fs::File::open(path).expect("open");
    let size = file.metadata().expect("metadata").len();
    ingest::identify_file(&mut file, size).expect("identified")
}

#[tokio::test]
async fn a_file_and_the_same_object_are_identified_and_read_alike() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, object) = both_sources(dir.path(), &fixture("tone.mp3"), "audio/mpeg").await;

    let mp3 = Some(DetectedFormat::Audio(AudioFormat::Mp3));
    assert_eq!(file_format(&path), mp3);
    assert_eq!(ingest::identify(&object).await.expect("identified"), mp3);
    let from_file = file_tags(&path, AudioFormat::Mp3).expect("tags");
    let from_object = ingest::read_tags(&object, AudioFormat::Mp3)
        .await
        .expect("tags");
    assert_eq!(from_file.title, from_object.title);
    assert_eq!(from_file.artist, from_object.artist);
    assert_eq!(from_file.duration_ms, from_object.duration_ms);
    assert!(from_file.duration_ms > 2_000, "{}", from_file.duration_ms);
}

#[tokio::test]
async fn a_broken_file_is_refused_on_both_paths() {
    let dir = tempfile::tempdir().expect("temp dir");
    // FLAC's magic bytes, then nothing a decoder can use.
    let truncated: Vec<u8> = fixture("tone.flac").into_iter().take(64).collect();
    let (path, object) = both_sources(dir.path(), &truncated, "audio/flac").await;
    let flac = Some(DetectedFormat::Audio(AudioFormat::Flac));
    assert_eq!(file_format(&path), flac);
    assert_eq!(ingest::identify(&object).await.expect("identified"), flac);
    for read in [
        file_tags(&path, AudioFormat::Flac),
        ingest::read_tags(&object, AudioFormat::Flac).await,
    ] {
        match read {
            Err(IngestError::Refused(reason)) => assert!(!reason.is_empty()),
            other => panic!("a broken file must be refused, not {other:?}"),
        }
    }
}

#[tokio::test]
async fn bytes_that_cannot_be_reached_are_our_fault_not_the_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_, object) = both_sources(dir.path(), &fixture("tone.flac"), "audio/flac").await;
    object
        .store
        .delete(&object.key)
        .await
        .expect("delete the object");
    match ingest::read_tags(&object, AudioFormat::Flac).await {
        Err(IngestError::Failed(ServiceError::Storage(_))) => {}
        other => panic!("unreachable bytes are a storage fault, not {other:?}"),
    }
}
