//! The play queue as plain data: what plays now, what comes next, shuffle
//! and repeat. No browser types here, so every rule is unit-tested on the host.
//!
//! The queue keeps its entries in *play order*. Shuffling reorders the
//! entries after the current one and remembers the order they had, so
//! turning shuffle off puts them back (Spotify's behaviour).

use serde::{Deserialize, Serialize};
use soundstream_types::Song;

/// What happens at the end of a track.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Repeat {
    #[default]
    Off,
    /// The whole queue, from the top after the last track.
    All,
    /// The current track again.
    One,
}

impl Repeat {
    /// The mode after pressing the Repeat button: off → all → one → off.
    pub fn cycled(self) -> Self {
        match self {
            Self::Off => Self::All,
            Self::All => Self::One,
            Self::One => Self::Off,
        }
    }
}

/// One entry. The same song may be queued twice, so entries have their own id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub uid: u64,
    pub song: Song,
}

/// Why the queue moves on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Advance {
    /// The track played to its end: repeat-one plays it again.
    Ended,
    /// The listener pressed Next: always moves on.
    Skip,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    entries: Vec<Entry>,
    current: Option<usize>,
    shuffle: bool,
    repeat: Repeat,
    /// Entry uids in the order before shuffling; `None` when not shuffled.
    unshuffled: Option<Vec<u64>>,
    next_uid: u64,
    /// Seed of the shuffle's pseudo-random generator, advanced at each use.
    seed: u64,
}

/// A previous press within this many milliseconds of the start goes to the
/// previous track; later it restarts the current one.
pub const RESTART_THRESHOLD_MS: f64 = 3_000.0;

impl Queue {
    pub fn new(seed: u64) -> Self {
        Self {
            seed: seed | 1,
            ..Self::default()
        }
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn current_index(&self) -> Option<usize> {
        self.current
    }

    pub fn current(&self) -> Option<&Entry> {
        self.current.and_then(|index| self.entries.get(index))
    }

    pub fn shuffle(&self) -> bool {
        self.shuffle
    }

    pub fn repeat(&self) -> Repeat {
        self.repeat
    }

    pub fn set_repeat(&mut self, repeat: Repeat) {
        self.repeat = repeat;
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn entry(&mut self, song: Song) -> Entry {
        self.next_uid += 1;
        Entry {
            uid: self.next_uid,
            song,
        }
    }

    /// Replaces the queue with `songs` and makes `start` current (the
    /// listener pressed Play on a row of a list). With shuffle on, the
    /// chosen song plays first and the rest are shuffled after it.
    pub fn play_list(&mut self, songs: Vec<Song>, start: usize) {
        let entries: Vec<Entry> = songs.into_iter().map(|song| self.entry(song)).collect();
        self.entries = entries;
        self.current = (!self.entries.is_empty()).then(|| start.min(self.entries.len() - 1));
        self.unshuffled = None;
        if self.shuffle {
            self.shuffle_upcoming();
        }
    }

    /// Queues `song` right after the current entry.
    pub fn play_next(&mut self, song: Song) {
        let entry = self.entry(song);
        let at = self.current.map_or(self.entries.len(), |index| index + 1);
        self.entries.insert(at, entry);
        if self.current.is_none() {
            self.current = Some(at);
        }
    }

    /// Queues `song` at the end.
    pub fn add(&mut self, song: Song) {
        let entry = self.entry(song);
        self.entries.push(entry);
        if self.current.is_none() {
            self.current = Some(self.entries.len() - 1);
        }
    }

    /// Removes the entry at `index`. Removing the current entry makes the
    /// following one current (or none when it was the last).
    pub fn remove(&mut self, index: usize) {
        if index >= self.entries.len() {
            return;
        }
        let uid = self.entries.remove(index).uid;
        if let Some(order) = &mut self.unshuffled {
            order.retain(|kept| *kept != uid);
        }
        self.current = match self.current {
            _ if self.entries.is_empty() => None,
            Some(current) if index < current => Some(current - 1),
            Some(current) if index == current && current >= self.entries.len() => None,
            other => other,
        };
    }

    /// Moves an entry, keeping the same entry current.
    pub fn move_entry(&mut self, from: usize, to: usize) {
        if from >= self.entries.len() || to >= self.entries.len() || from == to {
            return;
        }
        let current_uid = self.current().map(|entry| entry.uid);
        let entry = self.entries.remove(from);
        self.entries.insert(to, entry);
        self.current =
            current_uid.and_then(|uid| self.entries.iter().position(|entry| entry.uid == uid));
    }

    /// Makes the entry at `index` current (a click in the queue panel).
    pub fn jump_to(&mut self, index: usize) {
        if index < self.entries.len() {
            self.current = Some(index);
        }
    }

    /// The index that would play after the current one ends, for preloading.
    pub fn upcoming(&self) -> Option<usize> {
        self.following(Advance::Ended)
    }

    fn following(&self, reason: Advance) -> Option<usize> {
        let current = self.current?;
        if reason == Advance::Ended && self.repeat == Repeat::One {
            return Some(current);
        }
        if current + 1 < self.entries.len() {
            Some(current + 1)
        } else if self.repeat == Repeat::All {
            Some(0)
        } else {
            None
        }
    }

    /// Moves on; `None` means the queue is finished (the current entry stays
    /// selected so Play starts it again).
    pub fn advance(&mut self, reason: Advance) -> Option<usize> {
        let next = self.following(reason)?;
        self.current = Some(next);
        Some(next)
    }

    /// What Previous does: `true` when it restarts the current track instead
    /// (past the first seconds, or at the top of the queue without repeat).
    pub fn previous(&mut self, position_ms: f64) -> PreviousAction {
        let Some(current) = self.current else {
            return PreviousAction::Nothing;
        };
        if position_ms > RESTART_THRESHOLD_MS {
            return PreviousAction::Restart;
        }
        if current > 0 {
            self.current = Some(current - 1);
            PreviousAction::Moved
        } else if self.repeat == Repeat::All && self.entries.len() > 1 {
            self.current = Some(self.entries.len() - 1);
            PreviousAction::Moved
        } else {
            PreviousAction::Restart
        }
    }

    /// Turns shuffle on (upcoming entries reordered at random) or off
    /// (upcoming entries back in their earlier order).
    pub fn set_shuffle(&mut self, on: bool) {
        if on == self.shuffle {
            return;
        }
        self.shuffle = on;
        if on {
            self.unshuffled = Some(self.entries.iter().map(|entry| entry.uid).collect());
            self.shuffle_upcoming();
        } else if let Some(order) = self.unshuffled.take() {
            let current_uid = self.current().map(|entry| entry.uid);
            // Entries queued while shuffled keep their place after the others.
            let rank = |uid: u64| {
                order
                    .iter()
                    .position(|kept| *kept == uid)
                    .unwrap_or(usize::MAX)
            };
            self.entries.sort_by_key(|entry| rank(entry.uid));
            self.current =
                current_uid.and_then(|uid| self.entries.iter().position(|entry| entry.uid == uid));
        }
    }

    /// Fisher–Yates over the entries after the current one (all of them
    /// when nothing is current).
    fn shuffle_upcoming(&mut self) {
        let start = self.current.map_or(0, |index| index + 1);
        let len = self.entries.len();
        if len <= start + 1 {
            return;
        }
        for i in (start + 1..len).rev() {
            let j = start + (self.next_random() % (i - start + 1) as u64) as usize;
            self.entries.swap(i, j);
        }
    }

    /// xorshift64: small, deterministic for a seed, good enough for shuffling.
    fn next_random(&mut self) -> u64 {
        let mut x = self.seed;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.seed = x;
        x
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviousAction {
    /// An earlier entry is now current.
    Moved,
    /// Seek the current track to its start.
    Restart,
    Nothing,
}

#[cfg(test)]
mod tests {
    use soundstream_types::ArtistRef;

    use super::*;

    fn song(title: &str) -> Song {
        Song {
            id: format!("id-{title}"),
            title: title.to_owned(),
            artist: ArtistRef {
                id: "a".into(),
                name: "Artist".into(),
            },
            album: None,
            track_number: None,
            disc_number: None,
            year: None,
            genre: None,
            duration_ms: 2_500,
            content_type: "audio/mpeg".into(),
            size: 1,
            bit_rate_kbps: None,
            sample_rate_hz: None,
            channels: None,
            loudness: None,
            cover_url: None,
            has_lyrics: false,
            lyrics_language: None,
            created_at: "2026-01-01T00:00:00Z".into(),
        }
    }

    fn titles(queue: &Queue) -> Vec<&str> {
        queue
            .entries()
            .iter()
            .map(|entry| entry.song.title.as_str())
            .collect()
    }

    fn current_title(queue: &Queue) -> Option<&str> {
        queue.current().map(|entry| entry.song.title.as_str())
    }

    fn abc() -> Queue {
        let mut queue = Queue::new(42);
        queue.play_list(vec![song("a"), song("b"), song("c")], 0);
        queue
    }

    #[test]
    fn playing_a_list_starts_at_the_chosen_song() {
        let mut queue = Queue::new(1);
        queue.play_list(vec![song("a"), song("b"), song("c")], 1);
        assert_eq!(current_title(&queue), Some("b"));
        assert_eq!(titles(&queue), ["a", "b", "c"]);
    }

    #[test]
    fn next_stops_at_the_end_without_repeat() {
        let mut queue = abc();
        assert_eq!(queue.advance(Advance::Ended), Some(1));
        assert_eq!(queue.advance(Advance::Ended), Some(2));
        assert_eq!(queue.advance(Advance::Ended), None);
        assert_eq!(current_title(&queue), Some("c"));
    }

    #[test]
    fn repeat_all_wraps_to_the_top() {
        let mut queue = abc();
        queue.set_repeat(Repeat::All);
        queue.jump_to(2);
        assert_eq!(queue.upcoming(), Some(0));
        assert_eq!(queue.advance(Advance::Ended), Some(0));
    }

    #[test]
    fn repeat_one_replays_at_the_end_but_next_moves_on() {
        let mut queue = abc();
        queue.set_repeat(Repeat::One);
        assert_eq!(queue.upcoming(), Some(0));
        assert_eq!(queue.advance(Advance::Ended), Some(0));
        assert_eq!(queue.advance(Advance::Skip), Some(1));
    }

    #[test]
    fn repeat_cycles_off_all_one() {
        assert_eq!(Repeat::Off.cycled(), Repeat::All);
        assert_eq!(Repeat::All.cycled(), Repeat::One);
        assert_eq!(Repeat::One.cycled(), Repeat::Off);
    }

    #[test]
    fn previous_restarts_after_three_seconds_else_goes_back() {
        let mut queue = abc();
        queue.jump_to(1);
        assert_eq!(queue.previous(5_000.0), PreviousAction::Restart);
        assert_eq!(current_title(&queue), Some("b"));
        assert_eq!(queue.previous(1_000.0), PreviousAction::Moved);
        assert_eq!(current_title(&queue), Some("a"));
        assert_eq!(queue.previous(0.0), PreviousAction::Restart);
    }

    #[test]
    fn play_next_inserts_after_the_current_entry() {
        let mut queue = abc();
        queue.play_next(song("x"));
        assert_eq!(titles(&queue), ["a", "x", "b", "c"]);
        queue.add(song("z"));
        assert_eq!(titles(&queue), ["a", "x", "b", "c", "z"]);
    }

    #[test]
    fn adding_to_an_empty_queue_makes_it_current() {
        let mut queue = Queue::new(3);
        queue.add(song("a"));
        assert_eq!(current_title(&queue), Some("a"));
    }

    #[test]
    fn the_same_song_can_be_queued_twice_with_distinct_entries() {
        let mut queue = abc();
        queue.add(song("a"));
        assert_ne!(queue.entries()[0].uid, queue.entries()[3].uid);
    }

    #[test]
    fn moving_keeps_the_current_entry_current() {
        let mut queue = abc();
        queue.jump_to(1);
        queue.move_entry(2, 0);
        assert_eq!(titles(&queue), ["c", "a", "b"]);
        assert_eq!(current_title(&queue), Some("b"));
        queue.move_entry(2, 0);
        assert_eq!(titles(&queue), ["b", "c", "a"]);
        assert_eq!(queue.current_index(), Some(0));
    }

    #[test]
    fn removing_before_the_current_entry_keeps_it_current() {
        let mut queue = abc();
        queue.jump_to(2);
        queue.remove(0);
        assert_eq!(current_title(&queue), Some("c"));
    }

    #[test]
    fn removing_the_current_entry_makes_the_following_one_current() {
        let mut queue = abc();
        queue.jump_to(1);
        queue.remove(1);
        assert_eq!(current_title(&queue), Some("c"));
        queue.remove(1);
        assert_eq!(queue.current(), None);
        queue.remove(0);
        assert!(queue.is_empty());
    }

    #[test]
    fn shuffle_keeps_the_current_song_first_and_every_song_once() {
        let songs: Vec<Song> = (0..20).map(|n| song(&n.to_string())).collect();
        let mut queue = Queue::new(7);
        queue.play_list(songs, 0);
        queue.set_shuffle(true);
        let shuffled = titles(&queue);
        assert_eq!(shuffled[0], "0");
        assert_ne!(shuffled, (0..20).map(|n| n.to_string()).collect::<Vec<_>>());
        let mut sorted: Vec<u32> = shuffled
            .iter()
            .map(|t| t.parse().expect("number"))
            .collect();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..20).collect::<Vec<_>>());
    }

    #[test]
    fn unshuffle_restores_the_order_and_keeps_playing_the_same_song() {
        let songs: Vec<Song> = (0..10).map(|n| song(&n.to_string())).collect();
        let mut queue = Queue::new(11);
        queue.play_list(songs, 0);
        queue.set_shuffle(true);
        queue.advance(Advance::Skip);
        let playing = current_title(&queue).expect("current").to_owned();
        queue.set_shuffle(false);
        assert_eq!(
            titles(&queue),
            (0..10).map(|n| n.to_string()).collect::<Vec<_>>()
        );
        assert_eq!(current_title(&queue), Some(playing.as_str()));
    }

    #[test]
    fn the_queue_survives_serialisation() {
        let mut queue = abc();
        queue.set_shuffle(true);
        queue.set_repeat(Repeat::All);
        let json = serde_json::to_string(&queue).expect("serialises");
        let back: Queue = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, queue);
    }
}
