-- Retention (SPEC 14, issue 14): nothing grows without bound.
--
-- The append-only tables become range-partitioned on their time column, so that what is past
-- retention leaves by dropping a partition, not by a DELETE storm: the outbox ingress_events,
-- test_runs, chatgpt_responses and ai_analyses. Each keeps its V1 table, renamed *_v1, as its first
-- partition (everything before the moment of this migration): no row is copied or lost, and it is
-- dropped like any other partition once its newest row is past retention. A DEFAULT partition
-- takes rows no partition covers yet (a clock ahead, maintenance switched off), so a write is
-- never refused for want of a partition; the maintenance (retention/) makes partitions ahead and
-- moves any such rows into them.
--
-- A partitioned table's unique constraints must include the partition key, so the primary keys
-- become (key, time). The keys are random UUIDs and bigserial values that nothing deduplicates on;
-- lookups by key stay indexed (one probe per partition).
--
-- The tables whose unique keys do deduplicate stay unpartitioned, their rows removed in bounded
-- batches: webhook_deliveries (UNIQUE (source, delivery_id) is the redelivery check),
-- idempotency_keys, and the state tables tooling_jobs and video_nodes (caller-chosen ids).

CREATE FUNCTION pg_temp.partition_by_time(tbl text, time_column text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  cutoff timestamptz;
BEGIN
  -- Rows may carry a time a little ahead of this server's clock (the ingress stamps events itself).
  EXECUTE format('SELECT greatest(now(), max(%I) + interval ''1 microsecond'') FROM %I_v1', time_column, tbl)
    INTO cutoff;
  -- A partition has the parent's primary key, (key, time), in place of its own.
  EXECUTE format('ALTER TABLE %I_v1 DROP CONSTRAINT %I_v1_pkey', tbl, tbl);
  -- The CHECK lets ATTACH skip its own scan of the old table, and is redundant afterwards.
  EXECUTE format('ALTER TABLE %I_v1 ADD CONSTRAINT %I_v1_range CHECK (%I < %L)', tbl, tbl, time_column, cutoff);
  EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I_v1 FOR VALUES FROM (MINVALUE) TO (%L)', tbl, tbl, cutoff);
  EXECUTE format('ALTER TABLE %I_v1 DROP CONSTRAINT %I_v1_range', tbl, tbl);
  EXECUTE format('CREATE TABLE %I_default PARTITION OF %I DEFAULT', tbl, tbl);
END
$$;

-- The outbox. seq keeps its sequence, so cursors handed out before the migration stay valid.
ALTER TABLE ingress_events RENAME TO ingress_events_v1;
ALTER INDEX ingress_events_pkey RENAME TO ingress_events_v1_pkey;
ALTER INDEX ingress_events_id_key RENAME TO ingress_events_v1_id_key;
CREATE TABLE ingress_events (
  seq             bigint NOT NULL DEFAULT nextval('ingress_events_seq_seq'),
  id              uuid NOT NULL,
  type            text NOT NULL,
  occurred_at     timestamptz NOT NULL DEFAULT now(),
  data            text NOT NULL,
  correlation_id  text,
  tx              bigint NOT NULL DEFAULT txid_current(),
  PRIMARY KEY (seq, occurred_at)
) PARTITION BY RANGE (occurred_at);
ALTER SEQUENCE ingress_events_seq_seq OWNED BY ingress_events.seq;
-- The live stream reads announced events back by id (NOTIFY ingress_events carries the id, SPEC 9).
CREATE INDEX ingress_events_id ON ingress_events (id);
SELECT pg_temp.partition_by_time('ingress_events', 'occurred_at');

-- What the feed has lost: the highest seq ever removed. A cursor below it has missed events (410).
CREATE TABLE ingress_events_horizon (
  singleton       boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  expired_through bigint NOT NULL
);
INSERT INTO ingress_events_horizon (expired_through) VALUES (0);

ALTER TABLE test_runs RENAME TO test_runs_v1;
ALTER INDEX test_runs_pkey RENAME TO test_runs_v1_pkey;
ALTER INDEX test_runs_solution RENAME TO test_runs_v1_solution;
CREATE TABLE test_runs (
  id              uuid NOT NULL,
  submission_uuid text NOT NULL,
  track_slug      text NOT NULL,
  exercise_slug   text NOT NULL,
  user_handle     text,
  status          text NOT NULL,
  tests           text,
  duration_ms     bigint,
  output          text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
CREATE INDEX test_runs_solution ON test_runs (track_slug, exercise_slug, user_handle, created_at DESC);
SELECT pg_temp.partition_by_time('test_runs', 'created_at');

ALTER TABLE chatgpt_responses RENAME TO chatgpt_responses_v1;
ALTER INDEX chatgpt_responses_pkey RENAME TO chatgpt_responses_v1_pkey;
CREATE TABLE chatgpt_responses (
  id              uuid NOT NULL,
  submission_uuid text NOT NULL,
  model           text NOT NULL,
  content         text NOT NULL,
  request_id      text,
  usage           text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
SELECT pg_temp.partition_by_time('chatgpt_responses', 'created_at');

ALTER TABLE ai_analyses RENAME TO ai_analyses_v1;
ALTER INDEX ai_analyses_pkey RENAME TO ai_analyses_v1_pkey;
ALTER INDEX ai_analyses_track RENAME TO ai_analyses_v1_track;
ALTER INDEX ai_analyses_exercise RENAME TO ai_analyses_v1_exercise;
CREATE TABLE ai_analyses (
  id              uuid NOT NULL,
  submission_uuid text NOT NULL,
  track_slug      text NOT NULL,
  exercise_slug   text NOT NULL,
  patterns        jsonb NOT NULL,
  confidence      double precision,
  summary         text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
CREATE INDEX ai_analyses_track ON ai_analyses (track_slug);
CREATE INDEX ai_analyses_exercise ON ai_analyses (exercise_slug);
SELECT pg_temp.partition_by_time('ai_analyses', 'created_at');

-- Batch deletes find what is past retention by these; idempotency_keys_expiry exists since V1.
CREATE INDEX webhook_deliveries_received ON webhook_deliveries (received_at);
CREATE INDEX tooling_jobs_created ON tooling_jobs (created_at);
CREATE INDEX video_nodes_created ON video_nodes (created_at);
