-- Family ai: responses and analyses from AI services (SPEC 3.3).
-- IF NOT EXISTS throughout: a database made before families owned their migrations holds these
-- objects already, made by the shared migrations of that time (db/previous, brought to their V3
-- before this runs: store/Migrations). There this V1 changes nothing and starts the history.
--
-- Append-only, so partitioned by created_at: retention drops whole partitions, and the DEFAULT
-- partitions take rows no partition covers yet (AiFamily#retainedTables). A partitioned table's
-- unique keys must hold the partition key, hence (id, created_at): ids are random UUIDs that
-- nothing deduplicates on.

CREATE TABLE IF NOT EXISTS chatgpt_responses (
  id              uuid NOT NULL,
  submission_uuid text NOT NULL,
  model           text NOT NULL,
  content         text NOT NULL,
  request_id      text,
  usage           text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
CREATE TABLE IF NOT EXISTS chatgpt_responses_default PARTITION OF chatgpt_responses DEFAULT;

CREATE TABLE IF NOT EXISTS ai_analyses (
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
CREATE INDEX IF NOT EXISTS ai_analyses_track ON ai_analyses (track_slug);
CREATE INDEX IF NOT EXISTS ai_analyses_exercise ON ai_analyses (exercise_slug);
CREATE TABLE IF NOT EXISTS ai_analyses_default PARTITION OF ai_analyses DEFAULT;
