-- The provider registry: providers.yaml is the source of truth, synced here on start-up and on reload.
CREATE TABLE provider (
    id            text PRIMARY KEY,
    type          text        NOT NULL,
    url           text        NOT NULL,
    enabled       boolean     NOT NULL,
    title         text,
    capabilities  jsonb       NOT NULL,
    resilience    jsonb       NOT NULL,
    cache         jsonb       NOT NULL,
    options       jsonb       NOT NULL,
    added_at      timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    -- Set when the provider left providers.yaml; the row stays (disabled) so its history keeps its subject.
    removed_at    timestamptz
);

CREATE TABLE provider_history (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider_id  text        NOT NULL REFERENCES provider (id),
    change       text        NOT NULL CHECK (change IN ('added', 'changed', 'removed')),
    old_value    jsonb,
    new_value    jsonb,
    changed_at   timestamptz NOT NULL
);
CREATE INDEX provider_history_provider ON provider_history (provider_id, changed_at);
