//! A response body that streams a byte range of a file, for media served
//! from local storage. actix-files reads each 64 KiB chunk on the blocking
//! pool and only then asks for the next; this keeps one read in flight
//! while the previous chunk goes out on the socket, so the socket is not
//! left waiting for a thread hand-off after every chunk.

use std::fs::File;
use std::future::Future;
use std::io::{self, Read, Seek, SeekFrom};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use actix_web::web::Bytes;
use futures_util::Stream;
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

impl Stream for FileChunks {
    type Item = Result<Bytes, actix_web::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
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
