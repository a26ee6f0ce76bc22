-- 0001_init: the datapipe schema.
--
-- Identifiers and indexed text use the "C" collation so that ordering is
-- byte order whatever the database's locale, as in the SQLite adapter.
-- Instant times are timestamptz (the adapter writes millisecond precision);
-- object times that QueryObjects filters on are also kept as
-- 'YYYY-MM-DDTHH:MM:SS' text (NULL when unset), compared lexicographically.
-- Definitions, tags and object fields are json (not jsonb): the exact text
-- is kept, arrays keep their order, and \u0000 escapes are accepted.

CREATE TABLE pipelines (
    id                  text COLLATE "C" PRIMARY KEY,
    account_id          text COLLATE "C" NOT NULL,
    name                text COLLATE "C" NOT NULL,
    unique_id           text COLLATE "C" NOT NULL,
    description         text NOT NULL DEFAULT '',
    creator             text NOT NULL DEFAULT '',
    state               text NOT NULL,
    tags                json NOT NULL DEFAULT '[]',
    latest_version      integer NOT NULL DEFAULT 0,
    active_version      integer NOT NULL DEFAULT 0,
    created_at          timestamptz NOT NULL,
    first_activated_at  timestamptz,
    last_activated_at   timestamptz,
    last_deactivated_at timestamptz,
    finished_at         timestamptz,
    health_status       text NOT NULL DEFAULT '',
    health_updated_at   timestamptz,
    deleted_at          timestamptz
);

-- PipelineCreate is idempotent on (account, name, uniqueId) among live
-- pipelines.
CREATE UNIQUE INDEX pipelines_live_unique ON pipelines (account_id, name, unique_id)
    WHERE deleted_at IS NULL;
CREATE INDEX pipelines_live_order ON pipelines (account_id, created_at, id)
    WHERE deleted_at IS NULL;

-- Definitions, objects and tasks reference their pipeline, whose row
-- outlives its deletion (deleted_at), so that writes for an unknown
-- pipeline fail (the adapter maps that to store.ErrNotFound).
CREATE TABLE definitions (
    pipeline_id text COLLATE "C" NOT NULL REFERENCES pipelines (id),
    version     integer NOT NULL,
    body        json NOT NULL,
    errored     boolean NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (pipeline_id, version)
);

CREATE TABLE objects (
    pipeline_id        text COLLATE "C" NOT NULL REFERENCES pipelines (id),
    id                 text COLLATE "C" NOT NULL,
    sphere             text COLLATE "C" NOT NULL,
    component_id       text COLLATE "C" NOT NULL,
    instance_id        text COLLATE "C" NOT NULL DEFAULT '',
    status             text COLLATE "C" NOT NULL,
    -- Filter keys: 'YYYY-MM-DDTHH:MM:SS' in UTC, NULL when unset.
    scheduled_start    text COLLATE "C",
    scheduled_end      text COLLATE "C",
    actual_start       text COLLATE "C",
    actual_end         text COLLATE "C",
    -- Exact times. scheduled_start_at is the sort key, so it is never
    -- NULL: an unset time is 0001-01-01T00:00:00Z (Go's zero time).
    scheduled_start_at timestamptz NOT NULL,
    scheduled_end_at   timestamptz,
    actual_start_at    timestamptz,
    actual_end_at      timestamptz,
    fields             json NOT NULL DEFAULT '[]',
    revision           bigint NOT NULL DEFAULT 1,
    updated_at         timestamptz,
    PRIMARY KEY (pipeline_id, id)
);

CREATE INDEX objects_page ON objects (pipeline_id, sphere, scheduled_start_at, id);
CREATE INDEX objects_status ON objects (pipeline_id, sphere, status);
CREATE INDEX objects_component ON objects (pipeline_id, component_id);
CREATE INDEX objects_instance ON objects (pipeline_id, instance_id) WHERE instance_id <> '';

CREATE TABLE tasks (
    id               text COLLATE "C" PRIMARY KEY,
    account_id       text COLLATE "C" NOT NULL,
    pipeline_id      text COLLATE "C" NOT NULL REFERENCES pipelines (id),
    attempt_id       text COLLATE "C" NOT NULL,
    worker_group     text COLLATE "C" NOT NULL,
    state            text NOT NULL,
    available_at     timestamptz NOT NULL,
    owner            text NOT NULL DEFAULT '',
    lease_expires_at timestamptz,
    acked            boolean NOT NULL DEFAULT false,
    canceled         boolean NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL,
    claimed_at       timestamptz
);

-- TaskClaim takes the oldest QUEUED task of a worker group.
CREATE INDEX tasks_queued ON tasks (account_id, worker_group, created_at, id)
    WHERE state = 'QUEUED';
CREATE INDEX tasks_leased ON tasks (lease_expires_at, id) WHERE state = 'LEASED';
CREATE INDEX tasks_open ON tasks (pipeline_id, attempt_id) WHERE state <> 'DONE';

CREATE TABLE runners (
    account_id   text COLLATE "C" NOT NULL,
    id           text COLLATE "C" NOT NULL,
    worker_group text NOT NULL DEFAULT '',
    hostname     text NOT NULL DEFAULT '',
    last_seen    timestamptz NOT NULL,
    terminate    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (account_id, id)
);

CREATE TABLE leases (
    name       text COLLATE "C" PRIMARY KEY,
    holder     text NOT NULL,
    expires_at timestamptz NOT NULL
);
