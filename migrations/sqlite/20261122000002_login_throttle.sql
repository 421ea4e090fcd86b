-- Failed logins per account and per client address, shared by every
-- instance so brute-force protection holds behind a load balancer.
CREATE TABLE login_throttle (
    throttle_key    TEXT    NOT NULL PRIMARY KEY,
    failures        INTEGER NOT NULL,
    last_failure_at INTEGER NOT NULL,
    locked_until    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX login_throttle_last_failure_idx ON login_throttle (last_failure_at);
