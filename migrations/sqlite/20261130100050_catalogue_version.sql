-- A number that changes whenever the catalogue does (a song, artist or
-- album added, changed or removed), so an instance may keep pages of songs
-- it has answered and tell, with one read of this row, whether they still
-- hold: every instance reads the same row, so none serves a page another
-- has made stale. Triggers bump it, whatever the writer.
CREATE TABLE catalogue_version (
    version INTEGER NOT NULL
);
INSERT INTO catalogue_version (version) VALUES (1);

CREATE TRIGGER songs_inserted_bump AFTER INSERT ON songs BEGIN
    UPDATE catalogue_version SET version = version + 1;
END;
CREATE TRIGGER songs_updated_bump AFTER UPDATE ON songs BEGIN
    UPDATE catalogue_version SET version = version + 1;
END;
CREATE TRIGGER songs_deleted_bump AFTER DELETE ON songs BEGIN
    UPDATE catalogue_version SET version = version + 1;
END;
CREATE TRIGGER artists_inserted_bump AFTER INSERT ON artists BEGIN
    UPDATE catalogue_version SET version = version + 1;
END;
CREATE TRIGGER artists_updated_bump AFTER UPDATE ON artists BEGIN
    UPDATE catalogue_version SET version = version + 1;
END;
CREATE TRIGGER artists_deleted_bump AFTER DELETE ON artists BEGIN
    UPDATE catalogue_version SET version = version + 1;
END;
CREATE TRIGGER albums_inserted_bump AFTER INSERT ON albums BEGIN
    UPDATE catalogue_version SET version = version + 1;
END;
CREATE TRIGGER albums_updated_bump AFTER UPDATE ON albums BEGIN
    UPDATE catalogue_version SET version = version + 1;
END;
CREATE TRIGGER albums_deleted_bump AFTER DELETE ON albums BEGIN
    UPDATE catalogue_version SET version = version + 1;
END;
