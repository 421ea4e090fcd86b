//! The upload queue's state machine, free of the browser so it can be
//! tested on the host: files wait, at most `parallel` of them travel at
//! once, each can be cancelled and retried, and a late answer from an
//! attempt that was cancelled or retried is ignored. Also the pure helpers
//! the upload page shows (percent, speed, the audio type of a file).

/// Where one file is on its way to becoming a song.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    /// Queued; starts when a slot frees up.
    Waiting,
    /// Bytes on their way to storage.
    Sending {
        sent: u64,
        started_ms: f64,
    },
    /// Sent; the API is checking the file and reading its tags.
    Verifying,
    /// Verified: the metadata form can be edited and saved.
    Ready,
    /// Saved as a song.
    Saved {
        song_id: String,
    },
    Failed {
        reason: String,
    },
    Cancelled,
}

impl Stage {
    /// Holds one of the parallel slots.
    pub fn is_active(&self) -> bool {
        matches!(self, Self::Sending { .. } | Self::Verifying)
    }

    /// Can be started again.
    pub fn can_retry(&self) -> bool {
        matches!(self, Self::Failed { .. } | Self::Cancelled)
    }

    /// Can be cancelled.
    pub fn can_cancel(&self) -> bool {
        matches!(self, Self::Waiting | Self::Sending { .. } | Self::Verifying)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: u32,
    pub name: String,
    pub size: u64,
    /// Bumped at every start, so answers for an older attempt are dropped.
    pub attempt: u32,
    pub stage: Stage,
    /// Set when the bytes have all arrived: the average speed to show.
    pub finished: Option<(u64, f64)>,
}

impl Entry {
    /// Bytes sent so far.
    pub fn sent(&self) -> u64 {
        match self.stage {
            Stage::Sending { sent, .. } => sent,
            Stage::Waiting | Stage::Failed { .. } | Stage::Cancelled => {
                self.finished.map_or(0, |(sent, _)| sent)
            }
            Stage::Verifying | Stage::Ready | Stage::Saved { .. } => self.size,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct UploadQueue {
    pub entries: Vec<Entry>,
    parallel: usize,
    next_id: u32,
}

/// A file the queue asks the page to start sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Start {
    pub id: u32,
    pub attempt: u32,
}

impl UploadQueue {
    pub fn new(parallel: usize) -> Self {
        Self {
            entries: Vec::new(),
            parallel: parallel.max(1),
            next_id: 1,
        }
    }

    /// Queues a file; `refusal` fails it at once (checked on the client).
    pub fn add(&mut self, name: String, size: u64, refusal: Option<String>) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        let stage = match refusal {
            Some(reason) => Stage::Failed { reason },
            None => Stage::Waiting,
        };
        self.entries.push(Entry {
            id,
            name,
            size,
            attempt: 0,
            stage,
            finished: None,
        });
        id
    }

    pub fn get(&self, id: u32) -> Option<&Entry> {
        self.entries.iter().find(|entry| entry.id == id)
    }

    fn current(&mut self, id: u32, attempt: u32) -> Option<&mut Entry> {
        self.entries
            .iter_mut()
            .find(|entry| entry.id == id && entry.attempt == attempt)
    }

    pub fn active(&self) -> usize {
        self.entries
            .iter()
            .filter(|entry| entry.stage.is_active())
            .count()
    }

    /// Moves waiting files into free slots, oldest first, and says which
    /// ones to start now.
    pub fn start_next(&mut self, now_ms: f64) -> Vec<Start> {
        let free = self.parallel.saturating_sub(self.active());
        let mut started = Vec::new();
        for entry in self
            .entries
            .iter_mut()
            .filter(|entry| entry.stage == Stage::Waiting)
            .take(free)
        {
            entry.attempt += 1;
            entry.finished = None;
            entry.stage = Stage::Sending {
                sent: 0,
                started_ms: now_ms,
            };
            started.push(Start {
                id: entry.id,
                attempt: entry.attempt,
            });
        }
        started
    }

    /// Whether this attempt is still the one that counts.
    pub fn is_current(&self, id: u32, attempt: u32) -> bool {
        self.get(id)
            .is_some_and(|entry| entry.attempt == attempt && entry.stage.can_cancel())
    }

    pub fn progress(&mut self, id: u32, attempt: u32, sent: u64) {
        if let Some(entry) = self.current(id, attempt)
            && let Stage::Sending { started_ms, .. } = entry.stage
        {
            entry.stage = Stage::Sending {
                sent: sent.min(entry.size),
                started_ms,
            };
        }
    }

    /// Every byte arrived: the API verifies the file next.
    pub fn sent(&mut self, id: u32, attempt: u32, now_ms: f64) {
        if let Some(entry) = self.current(id, attempt)
            && let Stage::Sending { started_ms, .. } = entry.stage
        {
            entry.finished = Some((entry.size, (now_ms - started_ms).max(0.0)));
            entry.stage = Stage::Verifying;
        }
    }

    pub fn verified(&mut self, id: u32, attempt: u32) {
        if let Some(entry) = self.current(id, attempt)
            && entry.stage == Stage::Verifying
        {
            entry.stage = Stage::Ready;
        }
    }

    pub fn failed(&mut self, id: u32, attempt: u32, reason: String) {
        if let Some(entry) = self.current(id, attempt)
            && entry.stage.can_cancel()
        {
            entry.stage = Stage::Failed { reason };
        }
    }

    /// Stops a file that has not been verified yet. Returns whether it was
    /// travelling (so the caller aborts the request).
    pub fn cancel(&mut self, id: u32) -> bool {
        match self.entries.iter_mut().find(|entry| entry.id == id) {
            Some(entry) if entry.stage.can_cancel() => {
                let was_active = entry.stage.is_active();
                entry.stage = Stage::Cancelled;
                was_active
            }
            _ => false,
        }
    }

    /// Queues a failed or cancelled file again.
    pub fn retry(&mut self, id: u32) {
        if let Some(entry) = self.entries.iter_mut().find(|entry| entry.id == id)
            && entry.stage.can_retry()
        {
            entry.stage = Stage::Waiting;
        }
    }

    pub fn saved(&mut self, id: u32, song_id: String) {
        if let Some(entry) = self.entries.iter_mut().find(|entry| entry.id == id)
            && entry.stage == Stage::Ready
        {
            entry.stage = Stage::Saved { song_id };
        }
    }
}

/// Whole percent of `sent` out of `total`; 100 only when everything is there.
pub fn percent(sent: u64, total: u64) -> u8 {
    if total == 0 || sent >= total {
        return 100;
    }
    ((sent as f64 / total as f64) * 100.0).floor().min(99.0) as u8
}

/// A transfer speed, such as "1.5 MiB/s"; empty before a meaningful measure.
pub fn speed(bytes: u64, elapsed_ms: f64) -> String {
    if bytes == 0 || !elapsed_ms.is_finite() || elapsed_ms <= 0.0 {
        return String::new();
    }
    let per_second = (bytes as f64 * 1000.0 / elapsed_ms).round() as u64;
    format!("{}/s", crate::format::bytes(per_second))
}

/// The media type to announce for a file: the browser's, else one guessed
/// from the extension (browsers leave it empty for some formats), when it
/// is one of the `accepted` audio types.
pub fn audio_content_type(name: &str, browser_type: &str, accepted: &[String]) -> Option<String> {
    let browser_type = browser_type.trim().to_ascii_lowercase();
    let guessed = match name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
    {
        Some(ext) => match ext.as_str() {
            "mp3" => "audio/mpeg",
            "m4a" | "mp4" => "audio/mp4",
            "aac" => "audio/aac",
            "ogg" | "oga" => "audio/ogg",
            "opus" => "audio/opus",
            "flac" => "audio/flac",
            "wav" => "audio/wav",
            _ => "",
        },
        None => "",
    };
    let is_accepted =
        |value: &str| !value.is_empty() && accepted.iter().any(|accepted| accepted == value);
    if is_accepted(&browser_type) {
        Some(browser_type)
    } else if is_accepted(guessed) {
        Some(guessed.to_owned())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue_of(files: usize, parallel: usize) -> UploadQueue {
        let mut queue = UploadQueue::new(parallel);
        for n in 0..files {
            queue.add(format!("song{n}.flac"), 1000, None);
        }
        queue
    }

    #[test]
    fn at_most_the_parallel_limit_travels_at_once() {
        let mut queue = queue_of(5, 3);

        let started = queue.start_next(0.0);

        assert_eq!(
            started.iter().map(|start| start.id).collect::<Vec<_>>(),
            [1, 2, 3]
        );
        assert_eq!(queue.active(), 3);
        assert!(queue.start_next(0.0).is_empty());
        assert_eq!(
            queue.get(4).map(|entry| &entry.stage),
            Some(&Stage::Waiting)
        );
    }

    #[test]
    fn a_finished_file_frees_its_slot_for_the_next() {
        let mut queue = queue_of(4, 3);
        let started = queue.start_next(0.0);
        let first = started[0];

        queue.sent(first.id, first.attempt, 500.0);
        assert_eq!(queue.active(), 3, "verifying still holds the slot");
        queue.verified(first.id, first.attempt);

        let next = queue.start_next(600.0);
        assert_eq!(next, [Start { id: 4, attempt: 1 }]);
        assert_eq!(queue.get(1).map(|entry| &entry.stage), Some(&Stage::Ready));
    }

    #[test]
    fn progress_is_kept_and_capped_at_the_size() {
        let mut queue = queue_of(1, 3);
        let start = queue.start_next(0.0)[0];

        queue.progress(start.id, start.attempt, 400);
        assert_eq!(queue.get(1).map(Entry::sent), Some(400));
        queue.progress(start.id, start.attempt, 5000);
        assert_eq!(queue.get(1).map(Entry::sent), Some(1000));
    }

    #[test]
    fn cancelling_frees_the_slot_and_ignores_the_late_answer() {
        let mut queue = queue_of(2, 1);
        let start = queue.start_next(0.0)[0];

        assert!(queue.cancel(start.id), "it was travelling: abort it");
        queue.sent(start.id, start.attempt, 10.0);
        queue.failed(start.id, start.attempt, "aborted".into());

        assert_eq!(
            queue.get(1).map(|entry| &entry.stage),
            Some(&Stage::Cancelled)
        );
        assert_eq!(queue.start_next(20.0), [Start { id: 2, attempt: 1 }]);
    }

    #[test]
    fn cancelling_a_waiting_file_needs_no_abort() {
        let mut queue = queue_of(2, 1);
        queue.start_next(0.0);

        assert!(!queue.cancel(2));
        assert_eq!(
            queue.get(2).map(|entry| &entry.stage),
            Some(&Stage::Cancelled)
        );
    }

    #[test]
    fn a_retry_is_a_new_attempt_and_the_old_one_no_longer_counts() {
        let mut queue = queue_of(1, 1);
        let first = queue.start_next(0.0)[0];
        queue.failed(first.id, first.attempt, "The upload URL expired.".into());
        assert!(matches!(
            queue.get(1).map(|entry| &entry.stage),
            Some(Stage::Failed { reason }) if reason.contains("expired")
        ));

        queue.retry(1);
        let second = queue.start_next(100.0)[0];

        assert_eq!(second.attempt, first.attempt + 1);
        assert!(!queue.is_current(first.id, first.attempt));
        queue.progress(first.id, first.attempt, 900);
        assert_eq!(queue.get(1).map(Entry::sent), Some(0));
        assert!(queue.is_current(second.id, second.attempt));
    }

    #[test]
    fn a_file_refused_on_the_client_never_starts() {
        let mut queue = UploadQueue::new(3);
        queue.add("huge.flac".into(), u64::MAX, Some("too large".into()));

        assert!(queue.start_next(0.0).is_empty());
        assert_eq!(queue.active(), 0);
    }

    #[test]
    fn only_a_verified_file_can_be_saved_and_not_cancelled() {
        let mut queue = queue_of(1, 1);
        let start = queue.start_next(0.0)[0];
        queue.saved(1, "early".into());
        assert!(matches!(
            queue.get(1).map(|e| &e.stage),
            Some(Stage::Sending { .. })
        ));

        queue.sent(start.id, start.attempt, 1.0);
        queue.verified(start.id, start.attempt);
        assert!(!queue.cancel(1));
        queue.saved(1, "song-1".into());

        assert_eq!(
            queue.get(1).map(|entry| &entry.stage),
            Some(&Stage::Saved {
                song_id: "song-1".into()
            })
        );
    }

    #[test]
    fn percent_reaches_100_only_when_complete() {
        assert_eq!(percent(0, 1000), 0);
        assert_eq!(percent(999, 1000), 99);
        assert_eq!(percent(1000, 1000), 100);
        assert_eq!(percent(0, 0), 100);
        assert_eq!(percent(333, 1000), 33);
    }

    #[test]
    fn speed_is_bytes_per_second_in_binary_units() {
        assert_eq!(speed(3 * 1024 * 1024, 2000.0), "1.5 MiB/s");
        assert_eq!(speed(512, 1000.0), "512 bytes/s");
        assert_eq!(speed(0, 1000.0), "");
        assert_eq!(speed(100, 0.0), "");
    }

    #[test]
    fn audio_type_comes_from_the_browser_or_the_extension() {
        let accepted = ["audio/mpeg".to_owned(), "audio/flac".to_owned()];
        assert_eq!(
            audio_content_type("a.mp3", "audio/mpeg", &accepted).as_deref(),
            Some("audio/mpeg")
        );
        assert_eq!(
            audio_content_type("Song.FLAC", "", &accepted).as_deref(),
            Some("audio/flac")
        );
        assert_eq!(
            audio_content_type("x.flac", "audio/x-flac", &accepted).as_deref(),
            Some("audio/flac")
        );
        assert_eq!(
            audio_content_type("notes.txt", "text/plain", &accepted),
            None
        );
        assert_eq!(audio_content_type("a.ogg", "audio/ogg", &accepted), None);
    }
}
