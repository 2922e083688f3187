-- Family video_production: executor nodes and their callbacks (SPEC 3.4).
-- IF NOT EXISTS throughout: a database made before families owned their migrations holds these
-- objects already, made by the shared migrations of that time (db/previous, brought to their V3
-- before this runs: store/Migrations). There this V1 changes nothing and starts the history.
--
-- A state table with caller-chosen ids, updated in place: unpartitioned, its rows past retention
-- deleted in batches found through created_at (VideoProductionFamily#retainedTables).

CREATE TABLE IF NOT EXISTS video_nodes (
  node_uuid       text PRIMARY KEY,
  executor_type   text NOT NULL,
  status          text NOT NULL,
  process_uuid    text NOT NULL,
  result          text,
  error           text,
  error_type      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS video_nodes_created ON video_nodes (created_at);
