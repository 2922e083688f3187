-- Family test_runs: test runner results (SPEC 3.2).
-- IF NOT EXISTS throughout: a database made before families owned their migrations holds these
-- objects already, made by the shared migrations of that time (db/previous, brought to their V3
-- before this runs: store/Migrations). There this V1 changes nothing and starts the history.
--
-- Append-only, so partitioned by created_at: retention drops whole partitions, and the DEFAULT
-- partition takes rows no partition covers yet (TestRunsFamily#retainedTables). A partitioned
-- table's unique keys must hold the partition key, hence (id, created_at): ids are random UUIDs
-- that nothing deduplicates on.

CREATE TABLE IF NOT EXISTS test_runs (
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
CREATE INDEX IF NOT EXISTS test_runs_solution ON test_runs (track_slug, exercise_slug, user_handle, created_at DESC);
CREATE TABLE IF NOT EXISTS test_runs_default PARTITION OF test_runs DEFAULT;
