-- The core's own tables: the outbox and its horizon, idempotency keys, dead letters. Each family's
-- tables are its own migrations' (EndpointFamily#migrations); README "Retention" says why which
-- tables are partitioned. A database made before families owned their migrations already holds
-- this schema (db/previous V1..V3): its history here starts at a baseline 1 (store/Migrations).
--
-- Payload columns that Postgres never looks inside are text: measured ~1.6x faster ingest than jsonb.

-- The outbox, partitioned by time so that retention drops whole partitions. seq orders the feed;
-- tx lets the feed hold back rows of transactions that may still commit with a lower seq than
-- rows already visible (see EventFeed). A partitioned table's unique keys must hold the partition
-- key, hence (seq, occurred_at): seq is a sequence value that nothing deduplicates on.
CREATE TABLE ingress_events (
  seq             bigserial,
  id              uuid NOT NULL,
  type            text NOT NULL,
  occurred_at     timestamptz NOT NULL DEFAULT now(),
  data            text NOT NULL,
  correlation_id  text,
  tx              bigint NOT NULL DEFAULT txid_current(),
  PRIMARY KEY (seq, occurred_at)
) PARTITION BY RANGE (occurred_at);
-- The live stream reads announced events back by id (NOTIFY ingress_events carries the id, SPEC 9).
CREATE INDEX ingress_events_id ON ingress_events (id);
-- Takes rows no partition covers yet, so a write is never refused for want of one (retention/PartitionedTable).
CREATE TABLE ingress_events_default PARTITION OF ingress_events DEFAULT;

-- What the feed has lost: the highest seq ever removed. A cursor below it has missed events (410).
CREATE TABLE ingress_events_horizon (
  singleton       boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  expired_through bigint NOT NULL
);
INSERT INTO ingress_events_horizon (expired_through) VALUES (0);

-- Unpartitioned: (scope, key) must collide with a repeat whenever it arrives.
CREATE TABLE idempotency_keys (
  scope           text NOT NULL,
  key             text NOT NULL,
  fingerprint     text NOT NULL,
  status          integer,
  body            text,
  expires_at      timestamptz NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- Dead letters (SPEC 16): writes a writable Postgres refused for their content after they were
-- acknowledged from the spool. Kept here, whichever replica set them aside, until an operator
-- replays or discards them (GET/POST/DELETE /internal/ingress/dead-letters); never removed by
-- retention, since each one is an acknowledged write that is not stored yet.
--
-- id is the time-ordered id given when the write was set aside, on the replica, before it reaches
-- this table: a replica that set dead letters aside in its local dead-letters.jsonl while Postgres
-- was away moves them here with ON CONFLICT (id) DO NOTHING, so a move cut short and repeated
-- stores each once.
--
-- write holds the spooled payload byte for byte: a write whose text cannot go into a text column
-- (U+0000, an unpaired surrogate, bytes that are not UTF-8) must still fit.
--
-- seq is the listing's cursor, in the order rows arrive here. Inserts take a transaction-scoped
-- advisory lock (store/DeadLetterTable), so rows commit in seq order and a page read after a
-- cursor never misses a row that commits later with a smaller seq.
CREATE TABLE ingress_dead_letters (
  id               uuid PRIMARY KEY,
  seq              bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  family           text,
  operation        text,
  request_id       text,
  received_at      timestamptz NOT NULL,
  dead_lettered_at timestamptz NOT NULL,
  reason           text NOT NULL,
  write            bytea NOT NULL
);
CREATE INDEX ingress_dead_letters_family ON ingress_dead_letters (family, seq);
