//! Answers an instance keeps while what they were read from holds: each
//! key carries the catalogue's version (bumped by triggers on every change,
//! shared by all instances) and the media URL window, so a kept answer is
//! never staler than a fresh one. Used for pages of songs (`song_pages`)
//! and the catalogue's matches of searches (`kept_searches`).

use std::hash::Hash;
use std::sync::Arc;

use crate::services::media_urls::URL_WINDOW;

pub struct KeptAnswers<K, V>(moka::sync::Cache<K, Arc<V>>);

impl<K, V> KeptAnswers<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    /// At most `capacity` answers.
    pub fn new(capacity: u64) -> Self {
        Self(
            moka::sync::Cache::builder()
                .max_capacity(capacity)
                // Answers' URLs are issued for two windows; keep them for one.
                .time_to_live(URL_WINDOW)
                .build(),
        )
    }

    pub fn get(&self, key: &K) -> Option<Arc<V>> {
        self.0.get(key)
    }

    pub fn keep(&self, key: K, answer: Arc<V>) {
        self.0.insert(key, answer);
    }
}
