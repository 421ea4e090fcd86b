//! A read cache of aligned blocks, so that lofty's many small reads and
//! seeks over the same few regions (the start of the file, the tags, the
//! last bytes) reach the underlying reader, typically ranged reads from
//! object storage, about once per region.
//!
//! `std::io::BufReader` is not enough: it drops its buffer on every seek,
//! and lofty seeks back and forth across the first kilobytes several times.

use std::collections::VecDeque;
use std::io::{self, Read, Seek, SeekFrom};

/// The unit of reading from the inner reader.
const BLOCK_LEN: u64 = 16 * 1024;

/// How many recent blocks are kept: 256 KiB at most.
const MAX_BLOCKS: usize = 16;

pub(crate) struct BlockReader<R> {
    inner: R,
    position: u64,
    /// Learned the first time anything seeks from the end.
    len: Option<u64>,
    /// `(block index, bytes)`, most recently used last. A block shorter
    /// than `BLOCK_LEN` ends at the end of the file.
    blocks: VecDeque<(u64, Vec<u8>)>,
}

impl<R: Read + Seek> BlockReader<R> {
    pub(crate) fn new(inner: R) -> Self {
        BlockReader {
            inner,
            position: 0,
            len: None,
            blocks: VecDeque::with_capacity(MAX_BLOCKS),
        }
    }

    /// Marks the block most recently used; false if it is not cached.
    fn touch(&mut self, index: u64) -> bool {
        let Some(at) = self.blocks.iter().position(|(cached, _)| *cached == index) else {
            return false;
        };
        if let Some(block) = self.blocks.remove(at) {
            self.blocks.push_back(block);
        }
        true
    }

    fn load_block(&mut self, index: u64) -> io::Result<()> {
        let start = index * BLOCK_LEN;
        // Past a known end there is nothing to ask for; short of it, ask
        // for exactly what is there, so one read fills the block.
        let wanted = match self.len {
            Some(len) => len.saturating_sub(start).min(BLOCK_LEN),
            None => BLOCK_LEN,
        };
        let mut bytes = vec![0; wanted as usize];
        let mut filled = 0;
        if wanted > 0 {
            self.inner.seek(SeekFrom::Start(start))?;
        }
        while filled < bytes.len() {
            match self.inner.read(&mut bytes[filled..]) {
                Ok(0) => break,
                Ok(read) => filled += read,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
        bytes.truncate(filled);
        if self.blocks.len() == MAX_BLOCKS {
            self.blocks.pop_front();
        }
        self.blocks.push_back((index, bytes));
        Ok(())
    }
}

impl<R: Read + Seek> Read for BlockReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let index = self.position / BLOCK_LEN;
        if !self.touch(index) {
            if buf.len() as u64 >= BLOCK_LEN {
                // A big read (a cover picture) goes straight through as
                // one request instead of one per block.
                self.inner.seek(SeekFrom::Start(self.position))?;
                let read = self.inner.read(buf)?;
                self.position += read as u64;
                return Ok(read);
            }
            self.load_block(index)?;
        }
        let block = self.blocks.back().map(|(_, bytes)| bytes.as_slice());
        let offset = (self.position % BLOCK_LEN) as usize;
        let available = block
            .and_then(|block| block.get(offset..))
            .unwrap_or_default();
        let read = available.len().min(buf.len());
        buf[..read].copy_from_slice(&available[..read]);
        self.position += read as u64;
        Ok(read)
    }
}

impl<R: Read + Seek> Seek for BlockReader<R> {
    fn seek(&mut self, target: SeekFrom) -> io::Result<u64> {
        let position = match target {
            SeekFrom::Start(offset) => Some(offset),
            SeekFrom::Current(delta) => self.position.checked_add_signed(delta),
            SeekFrom::End(delta) => {
                let len = match self.len {
                    Some(len) => len,
                    None => *self.len.insert(self.inner.seek(SeekFrom::End(0))?),
                };
                len.checked_add_signed(delta)
            }
        };
        self.position = position.ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the file",
            )
        })?;
        Ok(self.position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// Counts the reads that reach the inner reader.
    struct Counting {
        inner: Cursor<Vec<u8>>,
        reads: usize,
    }

    impl Read for Counting {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.reads += 1;
            self.inner.read(buf)
        }
    }

    impl Seek for Counting {
        fn seek(&mut self, target: SeekFrom) -> io::Result<u64> {
            self.inner.seek(target)
        }
    }

    fn file(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i % 251) as u8).collect()
    }

    #[test]
    fn reads_match_the_inner_bytes_across_block_boundaries() {
        let bytes = file(100_000);
        let mut reader = BlockReader::new(Cursor::new(bytes.clone()));
        let mut all = Vec::new();
        reader
            .seek(SeekFrom::Start(5))
            .expect("5 is inside the file");
        let mut chunk = [0; 1000];
        loop {
            match reader.read(&mut chunk) {
                Ok(0) => break,
                Ok(read) => all.extend_from_slice(&chunk[..read]),
                Err(error) => panic!("{error}"),
            }
        }
        assert!(all == bytes[5..]);
        let mut big = vec![0; 40_000];
        reader
            .seek(SeekFrom::End(-40_000))
            .expect("the file is longer");
        reader.read_exact(&mut big).expect("40 000 bytes remain");
        assert!(big == bytes[60_000..]);
    }

    #[test]
    fn seeking_back_and_forth_reads_each_block_once() {
        let mut reader = BlockReader::new(Counting {
            inner: Cursor::new(file(100_000)),
            reads: 0,
        });
        let mut small = [0; 10];
        for _ in 0..5 {
            for target in [
                SeekFrom::Start(0),
                SeekFrom::Start(700),
                SeekFrom::End(-128),
            ] {
                reader.seek(target).expect("targets are inside the file");
                reader.read_exact(&mut small).expect("10 bytes remain");
            }
        }
        // Block 0 and the last block, once each.
        assert_eq!(reader.inner.reads, 2);
    }

    #[test]
    fn seeking_before_the_start_is_an_error() {
        let mut reader = BlockReader::new(Cursor::new(file(10)));
        assert!(reader.seek(SeekFrom::End(-11)).is_err());
        assert!(reader.seek(SeekFrom::Current(-1)).is_err());
    }
}
