-- Failed logins per account and per client address, shared by every
-- instance so brute-force protection holds behind a load balancer.
CREATE TABLE login_throttle (
    throttle_key    TEXT    NOT NULL PRIMARY KEY,
    failures        BIGINT NOT NULL,
    last_failure_at BIGINT NOT NULL,
    locked_until    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX login_throttle_last_failure_idx ON login_throttle (last_failure_at);
