-- The broker's own asynchronous (UWS) jobs. Phases change only by compare-and-set; an EXECUTING job is
-- held by one instance under a lease that instance renews; an expired lease lets another instance take over.
CREATE TABLE job (
    id                  text PRIMARY KEY,
    owner               text,
    run_id              text,
    phase               text        NOT NULL CHECK (phase IN ('PENDING', 'QUEUED', 'EXECUTING', 'COMPLETED', 'ERROR',
                                                              'ABORTED', 'UNKNOWN', 'HELD', 'SUSPENDED', 'ARCHIVED')),
    parameters          jsonb       NOT NULL,
    created_at          timestamptz NOT NULL,
    started_at          timestamptz,
    ended_at            timestamptz,
    execution_duration  integer     NOT NULL,  -- seconds; 0 = unlimited (UWS)
    destruction_at      timestamptz,
    results_location    text,
    error_summary       text,
    lease_owner         text,
    lease_expires_at    timestamptz,
    attempts            integer     NOT NULL DEFAULT 0
);
CREATE INDEX job_owner ON job (owner, created_at);
CREATE INDEX job_claimable ON job (created_at) WHERE phase IN ('QUEUED', 'EXECUTING');
CREATE INDEX job_destruction ON job (destruction_at) WHERE destruction_at IS NOT NULL;
