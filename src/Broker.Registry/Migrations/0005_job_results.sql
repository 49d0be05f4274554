-- Results of the broker's own asynchronous (TAP/UWS) jobs, readable by every instance; deleted with their job.
CREATE TABLE job_result (
    job_id        text PRIMARY KEY REFERENCES job (id) ON DELETE CASCADE,
    content_type  text  NOT NULL,
    body          bytea NOT NULL
);
