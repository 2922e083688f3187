-- Family tooling: jobs registered, then completed by the worker's callback (SPEC 3.1).
-- IF NOT EXISTS throughout: a database made before families owned their migrations holds these
-- objects already, made by the shared migrations of that time (db/previous, brought to their V3
-- before this runs: store/Migrations). There this V1 changes nothing and starts the history.
--
-- A state table with caller-chosen ids, updated in place: unpartitioned, its rows past retention
-- deleted in batches found through created_at (ToolingFamily#retainedTables).

CREATE TABLE IF NOT EXISTS tooling_jobs (
  id              text PRIMARY KEY,
  kind            text NOT NULL,
  status          text NOT NULL,
  output          text,
  metadata        text NOT NULL DEFAULT '{}',
  submission_uuid text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS tooling_jobs_created ON tooling_jobs (created_at);
