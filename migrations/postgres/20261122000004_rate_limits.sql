-- Fixed-window request counters shared by every instance (translation per
-- user, for now): a limit holds however many instances serve the user.
CREATE TABLE rate_limit_windows (
    limit_key    TEXT    NOT NULL PRIMARY KEY,
    window_start BIGINT NOT NULL,
    hits         BIGINT NOT NULL
);
