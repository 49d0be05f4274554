-- One row per search, written off the request path. The session id is stored only as its SHA-256.
CREATE TABLE query_log (
    query_id      text PRIMARY KEY,
    created_at    timestamptz NOT NULL,
    session_hash  text,
    query         jsonb       NOT NULL,
    providers     jsonb       NOT NULL,
    record_count  integer     NOT NULL,
    total         integer     NOT NULL,
    truncated     boolean     NOT NULL,
    elapsed_ms    bigint      NOT NULL
);
CREATE INDEX query_log_created ON query_log (created_at);

-- Per-provider outcomes, one row each, so health statistics are plain SQL aggregates.
CREATE TABLE query_log_provider (
    query_id      text        NOT NULL REFERENCES query_log (query_id) ON DELETE CASCADE,
    provider_id   text        NOT NULL,
    created_at    timestamptz NOT NULL,
    status        text        NOT NULL,
    elapsed_ms    bigint      NOT NULL,
    record_count  integer     NOT NULL,
    from_cache    boolean     NOT NULL,
    PRIMARY KEY (query_id, provider_id)
);
CREATE INDEX query_log_provider_recent ON query_log_provider (provider_id, created_at);
