-- Family webhooks: deliveries stored verbatim (SPEC 3.5).
-- IF NOT EXISTS throughout: a database made before families owned their migrations holds these
-- objects already, made by the shared migrations of that time (db/previous, brought to their V3
-- before this runs: store/Migrations). There this V1 changes nothing and starts the history.
--
-- Unpartitioned: UNIQUE (source, delivery_id) is the redelivery check, and with the time column in
-- it (as a partitioned table's keys must have) a redelivery arriving later would not collide. Rows
-- past retention are deleted in batches found through received_at (WebhooksFamily#retainedTables).

CREATE TABLE IF NOT EXISTS webhook_deliveries (
  id              uuid PRIMARY KEY,
  source          text NOT NULL,
  event_type      text NOT NULL,
  delivery_id     text NOT NULL,
  content_type    text NOT NULL,
  body            bytea NOT NULL,
  received_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source, delivery_id)
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_received ON webhook_deliveries (received_at);
