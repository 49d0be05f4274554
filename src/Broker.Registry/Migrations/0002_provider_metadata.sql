-- Tables and columns read from each TAP provider's VOSI /tables; the last read stays usable while it is down.
CREATE TABLE provider_metadata (
    provider_id  text PRIMARY KEY,
    read_at      timestamptz NOT NULL
);

CREATE TABLE provider_table (
    provider_id  text    NOT NULL REFERENCES provider_metadata (provider_id) ON DELETE CASCADE,
    ordinal      integer NOT NULL,
    name         text    NOT NULL,
    PRIMARY KEY (provider_id, ordinal)
);

CREATE TABLE provider_column (
    provider_id    text    NOT NULL,
    table_ordinal  integer NOT NULL,
    ordinal        integer NOT NULL,
    name           text    NOT NULL,
    datatype       text,
    unit           text,
    ucd            text,
    PRIMARY KEY (provider_id, table_ordinal, ordinal),
    FOREIGN KEY (provider_id, table_ordinal) REFERENCES provider_table (provider_id, ordinal) ON DELETE CASCADE
);
