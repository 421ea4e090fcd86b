//! The catalogue's version (bumped by triggers on every change, shared by
//! all instances), which tells whether a kept answer still holds
//! (`kept_answers`). Every request for a kept page or search wants it;
//! read on the request's own pooled connection it was two round trips to
//! the database each time (the read, and sqlx's check of the connection
//! on its way back to the pool), most of what such a request cost on
//! PostgreSQL.
//!
//! Here one read is in flight at a time, on a connection of its own, and
//! every request that arrived before a read was sent takes that read's
//! answer: a read sent after a request arrived sees every write committed
//! before it, so the answer is as fresh as a read of the request's own. A
//! request waits for at most the read in flight and the next one, never
//! for a pooled connection. Waiting requests are woken together when a
//! read ends (a `watch`), not one after another.

use std::sync::Mutex;
use std::time::Instant;

use sqlx::AnyConnection;
use tokio::sync::watch;

use crate::db::{Database, DbError};
use crate::persistence::songs;

pub struct CatalogueVersion {
    /// The last read's answer and when it was sent; every read that ends,
    /// answered or not, wakes the requests waiting.
    last: watch::Sender<Option<(Instant, i64)>>,
    reading: Mutex<Reading>,
}

#[derive(Default)]
struct Reading {
    in_flight: bool,
    /// The connection reads go over: opened on first use, and again after
    /// a read failed or was abandoned.
    conn: Option<AnyConnection>,
}

impl Default for CatalogueVersion {
    fn default() -> Self {
        Self {
            last: watch::Sender::new(None),
            reading: Mutex::new(Reading::default()),
        }
    }
}

impl CatalogueVersion {
    /// The catalogue's version as of this call or later.
    pub async fn current(&self, db: &Database) -> Result<i64, DbError> {
        let arrived = Instant::now();
        let mut ended = self.last.subscribe();
        loop {
            if let Some((sent, version)) = *ended.borrow_and_update()
                && sent > arrived
            {
                return Ok(version);
            }
            if let Some(lead) = self.lead() {
                return lead.read(db).await;
            }
            // The sender lives in `self`: this cannot fail.
            let _ = ended.changed().await;
        }
    }

    /// The right to send the next read, unless one is in flight.
    fn lead(&self) -> Option<Lead<'_>> {
        let mut reading = self.reading.lock().unwrap_or_else(|e| e.into_inner());
        if reading.in_flight {
            return None;
        }
        reading.in_flight = true;
        Some(Lead {
            owner: self,
            conn: reading.conn.take(),
        })
    }
}

/// The request sending a read. However it ends (answered, failed, or
/// abandoned with its request), the next request may lead, and the ones
/// waiting look again.
struct Lead<'a> {
    owner: &'a CatalogueVersion,
    /// Given back for the next read only after a read it answered.
    conn: Option<AnyConnection>,
}

impl Lead<'_> {
    async fn read(mut self, db: &Database) -> Result<i64, DbError> {
        let sent = Instant::now();
        // A connection kept from an earlier read may have died since (the
        // database restarted): then once more on a new one.
        let reused = self.conn.is_some();
        let mut read = self.read_once(db).await;
        if reused && matches!(read, Err(ref error) if !matches!(error, DbError::Unreachable)) {
            read = self.read_once(db).await;
        }
        let version = read?;
        self.owner.last.send_replace(Some((sent, version)));
        Ok(version)
    }

    async fn read_once(&mut self, db: &Database) -> Result<i64, DbError> {
        let mut conn = match self.conn.take() {
            Some(conn) => Some(conn),
            None => db.connect_apart().await?,
        };
        let read = match conn.as_mut() {
            Some(conn) => db.unless_down(songs::catalogue_version(conn)).await,
            // An in-memory database lives in the pool's one connection.
            None => {
                let mut pooled = db.acquire().await?;
                songs::catalogue_version(&mut pooled).await
            }
        };
        if read.is_ok() {
            self.conn = conn;
        }
        read
    }
}

impl Drop for Lead<'_> {
    fn drop(&mut self) {
        let mut reading = self.owner.reading.lock().unwrap_or_else(|e| e.into_inner());
        reading.in_flight = false;
        reading.conn = self.conn.take();
        drop(reading);
        self.owner.last.send_modify(|_| {});
    }
}
