-- 0001_init: the initial datapipe schema.
--
-- Times: columns holding task, lease, pipeline, definition and runner times
-- are INTEGER unix milliseconds, NULL when unset (zero). The object time
-- columns are TEXT 'YYYY-MM-DDTHH:MM:SS.sss' in UTC, NULL when unset, so
-- that string order is time order and their first 19 characters are the
-- 'YYYY-MM-DDTHH:MM:SS' form that QueryObjects compares.

-- pipelines: one row per pipeline ever created. A deleted pipeline keeps
-- its row (deleted_at set) so that its id answers "deleted" and still
-- works as a list cursor.
CREATE TABLE pipelines (
    id                  TEXT    NOT NULL PRIMARY KEY,
    account_id          TEXT    NOT NULL,
    name                TEXT    NOT NULL,
    unique_id           TEXT    NOT NULL,
    description         TEXT    NOT NULL DEFAULT '',
    creator             TEXT    NOT NULL DEFAULT '',
    state               TEXT    NOT NULL,
    tags                TEXT    NOT NULL DEFAULT '[]', -- JSON [{"k":…,"v":…}], in order
    latest_version      INTEGER NOT NULL DEFAULT 0,
    active_version      INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL,
    first_activated_at  INTEGER,
    last_activated_at   INTEGER,
    last_deactivated_at INTEGER,
    finished_at         INTEGER,
    health_status       TEXT    NOT NULL DEFAULT '',
    health_updated_at   INTEGER,
    deleted_at          INTEGER
) STRICT;

-- CreatePipeline is idempotent on (account, name, uniqueId) among live
-- pipelines only.
CREATE UNIQUE INDEX pipelines_live_key
    ON pipelines (account_id, name, unique_id) WHERE deleted_at IS NULL;

-- ListPipelines pages in creation order.
CREATE INDEX pipelines_live_order
    ON pipelines (account_id, created_at, id) WHERE deleted_at IS NULL;

-- definitions: every saved definition version, as definition.WireDefinition
-- JSON.
CREATE TABLE definitions (
    pipeline_id TEXT    NOT NULL REFERENCES pipelines (id),
    version     INTEGER NOT NULL,
    body        TEXT    NOT NULL,
    errored     INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (pipeline_id, version)
) STRICT;

-- objects: runtime objects (instances and attempts). Indexed attributes
-- are columns; every other field is in the fields JSON, in order.
CREATE TABLE objects (
    pipeline_id     TEXT    NOT NULL REFERENCES pipelines (id),
    id              TEXT    NOT NULL,
    sphere          TEXT    NOT NULL,
    component_id    TEXT    NOT NULL DEFAULT '',
    instance_id     TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT '',
    scheduled_start TEXT,
    scheduled_end   TEXT,
    actual_start    TEXT,
    actual_end      TEXT,
    fields          TEXT    NOT NULL DEFAULT '[]', -- JSON [{"k":…,"v":…,"r":true}], in order
    revision        INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (pipeline_id, id)
) STRICT;

-- QueryObjects pages one sphere in scheduled-start order.
CREATE INDEX objects_order
    ON objects (pipeline_id, sphere, scheduled_start, id);
CREATE INDEX objects_component
    ON objects (pipeline_id, component_id, scheduled_start);
CREATE INDEX objects_instance
    ON objects (pipeline_id, instance_id) WHERE instance_id <> '';
CREATE INDEX objects_status
    ON objects (pipeline_id, sphere, status);

-- tasks: the task queue.
CREATE TABLE tasks (
    id               TEXT    NOT NULL PRIMARY KEY,
    account_id       TEXT    NOT NULL,
    pipeline_id      TEXT    NOT NULL REFERENCES pipelines (id),
    attempt_id       TEXT    NOT NULL,
    worker_group     TEXT    NOT NULL,
    state            TEXT    NOT NULL CHECK (state IN ('QUEUED', 'LEASED', 'DONE')),
    available_at     INTEGER NOT NULL,
    owner            TEXT    NOT NULL DEFAULT '',
    lease_expires_at INTEGER,
    acked            INTEGER NOT NULL DEFAULT 0,
    canceled         INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    claimed_at       INTEGER
) STRICT;

-- PollForTask claims the oldest available QUEUED task of a worker group:
-- the index is in claim order (created_at, id), so the claim reads the
-- first entry whose available_at (in the index too) has passed instead of
-- sorting every available task; only tasks delayed for a retry are
-- skipped over.
CREATE INDEX tasks_claim
    ON tasks (account_id, worker_group, state, created_at, id, available_at);
CREATE INDEX tasks_pipeline
    ON tasks (pipeline_id, state);
-- The task queue rescues expired leases.
CREATE INDEX tasks_expiry
    ON tasks (lease_expires_at) WHERE state = 'LEASED';

-- runners: task runners known by their heartbeats.
CREATE TABLE runners (
    account_id   TEXT    NOT NULL,
    id           TEXT    NOT NULL,
    worker_group TEXT    NOT NULL DEFAULT '',
    hostname     TEXT    NOT NULL DEFAULT '',
    last_seen    INTEGER NOT NULL,
    terminate    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, id)
) STRICT;

CREATE INDEX runners_seen ON runners (account_id, last_seen);

-- leases: named leases (scheduler leadership).
CREATE TABLE leases (
    name       TEXT    NOT NULL PRIMARY KEY,
    holder     TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;
