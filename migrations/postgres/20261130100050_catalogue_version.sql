-- A number that changes whenever the catalogue does (a song, artist or
-- album added, changed or removed), so an instance may keep pages of songs
-- it has answered and tell, with one read of this row, whether they still
-- hold: every instance reads the same row, so none serves a page another
-- has made stale. Triggers bump it once per statement, whatever the writer.
CREATE TABLE catalogue_version (
    version BIGINT NOT NULL
);
INSERT INTO catalogue_version (version) VALUES (1);

CREATE FUNCTION catalogue_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalogue_version SET version = version + 1;
    RETURN NULL;
END;
$$;
CREATE TRIGGER songs_bump AFTER INSERT OR UPDATE OR DELETE ON songs
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_version_bump();
CREATE TRIGGER artists_bump AFTER INSERT OR UPDATE OR DELETE ON artists
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_version_bump();
CREATE TRIGGER albums_bump AFTER INSERT OR UPDATE OR DELETE ON albums
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_version_bump();
