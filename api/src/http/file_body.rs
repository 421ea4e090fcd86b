//! A response body that streams a byte range of a file, for media served
//! from local storage. Bytes already in the page cache (nearly always, for
//! music being played) are read on the spot, without waiting for the disk
//! (`RWF_NOWAIT`); the rest are read on the blocking pool, one chunk
//! ahead, so the socket is not left waiting for a thread hand-off after
//! every chunk.

use std::fs::File;
use std::future::Future;
use std::io::{self, IoSliceMut, Read, Seek, SeekFrom};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use actix_web::web::Bytes;
use futures_util::Stream;
use rustix::io::{ReadWriteFlags, preadv2};
use tokio::task::JoinHandle;

/// Bytes read per trip to the blocking pool. Larger chunks measured no
/// faster (actix-http copies each into its write buffer anyway), and
/// buffers over 128 KiB are mapped and unmapped each time (see `main`).
/// A connection holds at most two: one being sent, one being read.
pub const CHUNK_LEN: u64 = 64 * 1024;

/// A chunk being read; the file comes back with it.
type PendingRead = JoinHandle<io::Result<(File, Bytes)>>;

/// `len` bytes of `file` from `offset`, in chunks of at most
/// [`CHUNK_LEN`], read one chunk ahead.
pub struct FileChunks {
    /// Here between reads; inside the read in flight otherwise.
    file: Option<File>,
    /// Where the next read starts and how much is left to read.
    offset: u64,
    unread: u64,
    reading: Option<PendingRead>,
}

impl FileChunks {
    pub fn new(file: File, offset: u64, len: u64) -> Self {
        Self {
            file: Some(file),
            offset,
            unread: len,
            reading: None,
        }
    }

    /// Starts reading the next chunk, if there is one to read.
    fn read_next(&mut self) {
        if self.unread == 0 || self.reading.is_some() {
            return;
        }
        let Some(mut file) = self.file.take() else {
            return;
        };
        let (offset, len) = (self.offset, self.unread.min(CHUNK_LEN));
        self.offset += len;
        self.unread -= len;
        self.reading = Some(tokio::task::spawn_blocking(move || {
            file.seek(SeekFrom::Start(offset))?;
            let mut chunk = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
            (&mut file).take(len).read_to_end(&mut chunk)?;
            // The file shrank under us: the length sent is a promise.
            if (chunk.len() as u64) < len {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            Ok((file, Bytes::from(chunk)))
        }));
    }
}

/// Up to `len` bytes of `file` at `offset`, if the page cache holds them:
/// `RWF_NOWAIT` makes the read fail rather than wait for the disk, so it
/// may run on the async worker. `None` when nothing was read that way (not
/// cached, the end of the file, or a kernel without the flag): the
/// blocking pool reads the chunk, and reports any error.
fn read_cached(file: &File, offset: u64, len: u64) -> Option<Bytes> {
    let mut chunk = vec![0; usize::try_from(len).ok()?];
    let read = preadv2(
        file,
        &mut [IoSliceMut::new(&mut chunk)],
        offset,
        ReadWriteFlags::NOWAIT,
    )
    .ok()
    .filter(|&read| read > 0)?;
    chunk.truncate(read);
    Some(Bytes::from(chunk))
}

impl Stream for FileChunks {
    type Item = Result<Bytes, actix_web::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.reading.is_none()
            && this.unread > 0
            && let Some(file) = &this.file
            && let Some(chunk) = read_cached(file, this.offset, this.unread.min(CHUNK_LEN))
        {
            let read = chunk.len() as u64;
            this.offset += read;
            this.unread -= read;
            return Poll::Ready(Some(Ok(chunk)));
        }
        this.read_next();
        let Some(reading) = this.reading.as_mut() else {
            return Poll::Ready(None);
        };
        let read = ready!(Pin::new(reading).poll(cx));
        this.reading = None;
        match read {
            Ok(Ok((file, chunk))) => {
                this.file = Some(file);
                // Read ahead while this chunk is being sent.
                this.read_next();
                Poll::Ready(Some(Ok(chunk)))
            }
            Ok(Err(error)) => {
                this.unread = 0;
                Poll::Ready(Some(Err(error.into())))
            }
            Err(error) => {
                this.unread = 0;
                Poll::Ready(Some(Err(io::Error::other(error).into())))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;

    use super::*;

    async fn collect(mut chunks: FileChunks) -> Result<Vec<u8>, String> {
        let mut bytes = Vec::new();
        while let Some(chunk) = chunks.next().await {
            bytes.extend_from_slice(&chunk.map_err(|error| error.to_string())?);
        }
        Ok(bytes)
    }

    fn file_of(len: usize) -> (tempfile::NamedTempFile, Vec<u8>) {
        let content: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        let file = tempfile::NamedTempFile::new().expect("temp file");
        std::fs::write(file.path(), &content).expect("write");
        (file, content)
    }

    #[tokio::test]
    async fn a_range_comes_out_exactly_in_chunks_of_at_most_the_chunk_length() {
        let (file, content) = file_of(300_000);
        let mut chunks = FileChunks::new(File::open(file.path()).expect("open"), 1_000, 200_000);
        let mut lengths = Vec::new();
        let mut bytes = Vec::new();
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk.expect("read");
            lengths.push(chunk.len() as u64);
            bytes.extend_from_slice(&chunk);
        }
        assert_eq!(bytes, content[1_000..201_000]);
        assert!(
            lengths.iter().all(|&len| len > 0 && len <= CHUNK_LEN),
            "{lengths:?}"
        );
    }

    #[tokio::test]
    async fn a_file_that_shrinks_under_the_stream_ends_it_with_an_error() {
        let (file, _) = file_of(300_000);
        let chunks = FileChunks::new(File::open(file.path()).expect("open"), 0, 300_000);
        // Cut short before the first read: every read past 100,000 finds
        // nothing, cached or not.
        std::fs::OpenOptions::new()
            .write(true)
            .open(file.path())
            .and_then(|cut| cut.set_len(100_000))
            .expect("truncate");
        let streamed = collect(chunks).await;
        assert!(streamed.is_err(), "a short body was sent as whole");
    }

    #[tokio::test]
    async fn bytes_in_the_page_cache_are_read_without_the_blocking_pool() {
        let (file, content) = file_of(CHUNK_LEN as usize);
        let file = File::open(file.path()).expect("open");
        // Just written, so cached: on Linux the read takes no trip.
        let cached = read_cached(&file, 0, CHUNK_LEN).expect("read from the page cache");
        assert_eq!(&cached[..], &content[..]);
        assert!(
            read_cached(&file, CHUNK_LEN, 10).is_none(),
            "read past the end"
        );
    }
}
