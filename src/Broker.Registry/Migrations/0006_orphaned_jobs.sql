-- Provider UWS jobs the broker could not delete (provider down, DELETE refused, cleanup timed out): the janitor of
-- any instance deletes them again with backoff until the provider confirms or give_up_at (the job's destruction) passes.
CREATE TABLE orphaned_job (
    job_url          text PRIMARY KEY,
    provider_id      text        NOT NULL,
    give_up_at       timestamptz NOT NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL
);
CREATE INDEX orphaned_job_due ON orphaned_job (next_attempt_at);
