//! A blocking `Read + Seek` view of an object, fetching it in ranged
//! blocks on demand, so tag readers see a file while only the parts they
//! touch leave the store. Use it inside `spawn_blocking`: it blocks on the
//! async store.

use std::io::{self, Read, Seek, SeekFrom};
use std::sync::Arc;

use bytes::Bytes;
use tokio::runtime::Handle;

use crate::{ObjectKey, ObjectStore};

const BLOCK_SIZE: u64 = 256 * 1024;

pub struct RangeReader {
    store: Arc<dyn ObjectStore>,
    key: ObjectKey,
    size: u64,
    position: u64,
    runtime: Handle,
    block: Option<(u64, Bytes)>,
    /// Bytes fetched so far, to keep an eye on what tag reading costs.
    fetched: u64,
}

impl RangeReader {
    pub fn new(store: Arc<dyn ObjectStore>, key: ObjectKey, size: u64, runtime: Handle) -> Self {
        Self {
            store,
            key,
            size,
            position: 0,
            runtime,
            block: None,
            fetched: 0,
        }
    }

    pub fn fetched_bytes(&self) -> u64 {
        self.fetched
    }
}

impl Read for RangeReader {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        if self.position >= self.size || buffer.is_empty() {
            return Ok(0);
        }
        let block_start = self.position - self.position % BLOCK_SIZE;
        let cached = matches!(&self.block, Some((start, _)) if *start == block_start);
        if !cached {
            let bytes = self
                .runtime
                .block_on(self.store.read_range(&self.key, block_start, BLOCK_SIZE))
                .map_err(io::Error::other)?;
            self.fetched += bytes.len() as u64;
            self.block = Some((block_start, bytes));
        }
        let Some((start, bytes)) = &self.block else {
            return Ok(0);
        };
        let offset = usize::try_from(self.position - start).unwrap_or(usize::MAX);
        let available = bytes.get(offset..).unwrap_or_default();
        let count = available.len().min(buffer.len());
        buffer[..count].copy_from_slice(&available[..count]);
        self.position += count as u64;
        Ok(count)
    }
}

impl Seek for RangeReader {
    fn seek(&mut self, position: SeekFrom) -> io::Result<u64> {
        let target = match position {
            SeekFrom::Start(offset) => Some(offset),
            SeekFrom::End(delta) => self.size.checked_add_signed(delta),
            SeekFrom::Current(delta) => self.position.checked_add_signed(delta),
        };
        let target = target.ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the object",
            )
        })?;
        self.position = target;
        Ok(target)
    }
}
