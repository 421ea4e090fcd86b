-- Search at 100,000 songs on PostgreSQL: one GIN index per kind (was one
-- for all kinds). A search's playlists statement looked its words up in
-- the GIN index of the whole library and intersected the posting lists
-- of every song with a bitmap of the hundred playlists: 3-6 ms per tier
-- for two common words, on every search, since playlists are per viewer
-- and never kept. Each kind's statement names its kind, so the planner
-- reads that kind's index alone.
DROP INDEX search_index_document_idx;
CREATE INDEX search_index_song_document_idx ON search_index USING GIN (document) WHERE kind = 'song';
CREATE INDEX search_index_artist_document_idx ON search_index USING GIN (document) WHERE kind = 'artist';
CREATE INDEX search_index_album_document_idx ON search_index USING GIN (document) WHERE kind = 'album';
CREATE INDEX search_index_playlist_document_idx ON search_index USING GIN (document) WHERE kind = 'playlist';
