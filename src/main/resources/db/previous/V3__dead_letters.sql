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
