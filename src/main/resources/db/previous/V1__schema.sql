-- Payload columns that Postgres never looks inside are text: measured ~1.6x faster ingest than jsonb.
-- Columns that reads filter or aggregate on are typed.

CREATE TABLE tooling_jobs (
  id              text PRIMARY KEY,
  kind            text NOT NULL,
  status          text NOT NULL,
  output          text,
  metadata        text NOT NULL DEFAULT '{}',
  submission_uuid text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE test_runs (
  id              uuid PRIMARY KEY,
  submission_uuid text NOT NULL,
  track_slug      text NOT NULL,
  exercise_slug   text NOT NULL,
  user_handle     text,
  status          text NOT NULL,
  tests           text,
  duration_ms     bigint,
  output          text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX test_runs_solution ON test_runs (track_slug, exercise_slug, user_handle, created_at DESC);

CREATE TABLE chatgpt_responses (
  id              uuid PRIMARY KEY,
  submission_uuid text NOT NULL,
  model           text NOT NULL,
  content         text NOT NULL,
  request_id      text,
  usage           text,
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ai_analyses (
  id              uuid PRIMARY KEY,
  submission_uuid text NOT NULL,
  track_slug      text NOT NULL,
  exercise_slug   text NOT NULL,
  patterns        jsonb NOT NULL,
  confidence      double precision,
  summary         text,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ai_analyses_track ON ai_analyses (track_slug);
CREATE INDEX ai_analyses_exercise ON ai_analyses (exercise_slug);

CREATE TABLE video_nodes (
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

CREATE TABLE webhook_deliveries (
  id              uuid PRIMARY KEY,
  source          text NOT NULL,
  event_type      text NOT NULL,
  delivery_id     text NOT NULL,
  content_type    text NOT NULL,
  body            bytea NOT NULL,
  received_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source, delivery_id)
);

-- The outbox. seq orders the feed; tx lets the feed hold back rows of transactions that may still
-- commit with a lower seq than rows already visible (see EventFeed).
CREATE TABLE ingress_events (
  seq             bigserial PRIMARY KEY,
  id              uuid NOT NULL UNIQUE,
  type            text NOT NULL,
  occurred_at     timestamptz NOT NULL DEFAULT now(),
  data            text NOT NULL,
  correlation_id  text,
  tx              bigint NOT NULL DEFAULT txid_current()
);

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
