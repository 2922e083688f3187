package io.callbackingress.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.callbackingress.config.ConfigNode;
import io.callbackingress.config.IngressConfig;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.RetainedTable;
import io.callbackingress.support.Db;
import io.callbackingress.support.TestServices;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The core's tables come from its migrations and each family's from its own, each with a history
 * of its own; a database that the previous version's shared migrations made ({@code db/previous}
 * V1..V3), rows in every table and partitions made by retention, goes on with every row kept,
 * nothing applied twice, and the schema a fresh database gets.
 */
class MigrationPathTest {

  private static final IngressConfig CONFIG = IngressConfig.read(ConfigNode.root(new JsonObject(), Map.of()));
  private static final List<String> CORE_TABLES =
      List.of("ingress_events", "ingress_events_horizon", "idempotency_keys", "ingress_dead_letters");
  /** Who has migrations of their own, and so a history: the core and the families that keep tables. */
  private static final List<String> HISTORIES = List.of("flyway_schema_history_ai", "flyway_schema_history_core",
      "flyway_schema_history_testruns", "flyway_schema_history_tooling", "flyway_schema_history_videoproduction",
      "flyway_schema_history_webhooks");

  @Test
  void aFreshDatabaseGetsTheCoresTablesAndEachFamilysFromItsOwnHistory() {
    String uri = TestServices.newDatabase("migrations_fresh");
    migrate(uri);
    Db db = new Db(uri);

    assertEquals(HISTORIES, db.column("SELECT relname FROM pg_class WHERE relkind = 'r' AND relname LIKE 'flyway_schema_history%' ORDER BY 1"),
        "no shared history: a fresh database never runs the previous versions' migrations");
    assertEquals(List.of("1 SQL true"), history(db, "flyway_schema_history_core"));
    for (String family : List.of("ai", "test_runs", "tooling", "video_production", "webhooks")) {
      assertEquals(List.of("0 BASELINE true", "1 SQL true"), history(db, "flyway_schema_history_" + family.replace("_", "")),
          family);
    }
    assertEquals(List.of(), db.column("SELECT table_name FROM information_schema.tables WHERE table_name LIKE '%test_run%'"
            + " AND table_name NOT LIKE 'test_runs%'"),
        "looking test_runs up by name, as the benchmark peers do, finds its tables only");
    for (String table : CORE_TABLES) {
      assertEquals(1L, db.count("SELECT count(*) FROM pg_class WHERE relname = '" + table + "'"), table);
    }
    assertEquals(List.of("0"), db.column("SELECT expired_through FROM ingress_events_horizon"));
    everyRetainedTableIsAsItsFamilyDeclares(db);
  }

  /** A partitioned table has its DEFAULT partition; one deleted in batches has an index on its time column. */
  private static void everyRetainedTableIsAsItsFamilyDeclares(Db db) {
    int tables = 0;
    for (EndpointFamily family : CONFIG.familiesFound()) {
      for (RetainedTable table : family.retainedTables()) {
        tables++;
        String name = table.table();
        if (table.partitioned()) {
          assertEquals(List.of("p " + name + "_default"), db.column("SELECT c.relkind::text || ' ' || d.relname FROM pg_class c"
              + " JOIN pg_inherits i ON i.inhparent = c.oid JOIN pg_class d ON d.oid = i.inhrelid"
              + " WHERE c.relname = '" + name + "' AND pg_get_expr(d.relpartbound, d.oid) = 'DEFAULT'"), name);
        } else {
          assertEquals(1L, db.count("SELECT count(*) FROM pg_indexes WHERE tablename = '" + name + "'"
              + " AND indexdef LIKE '%(" + table.timeColumn() + ")'"), name + " is found by " + table.timeColumn());
        }
      }
    }
    assertEquals(6, tables, "tooling_jobs, test_runs, chatgpt_responses, ai_analyses, video_nodes, webhook_deliveries");
  }

  @Test
  void aDatabaseThePreviousVersionMadeKeepsEveryRowAndEndsWithTheFreshSchema() {
    String uri = TestServices.newDatabase("migrations_previous");
    Flyway.configure()
        .dataSource(TestServices.jdbcUrl(uri), "postgres", "")
        .locations("classpath:db/previous")
        .load()
        .migrate();
    writeRowsInEveryTable(uri);
    Db db = new Db(uri);
    Map<String, String> rows = rows(db);
    assertFalse(rows.containsValue("null"), "a row in every table and partition: " + rows);

    migrate(uri);

    assertEquals(rows, rows(db), "every row where it was");
    String fresh = TestServices.newDatabase("migrations_fresh_twin");
    migrate(fresh);
    assertEquals(schema(new Db(fresh)), schema(db));
    assertEquals(List.of("1 SQL true", "2 SQL true", "3 SQL true"), history(db, "flyway_schema_history"));
    assertEquals(List.of("1 BASELINE true"), history(db, "flyway_schema_history_core"),
        "the core's V1 is what V1..V3 made of its tables: not run again");
    Map<String, List<String>> histories = histories(db);
    assertEquals(List.of("0 BASELINE true", "1 SQL true"), histories.get("flyway_schema_history_testruns"),
        "a family's V1 runs, and finds its tables in place");

    migrate(uri);

    assertEquals(histories, histories(db), "a second start applies nothing");
    assertEquals(rows, rows(db));
    assertEquals(schema(new Db(fresh)), schema(db));
  }

  /**
   * As the previous version stored them: a row in each table, and in each partitioned table one
   * in its first partition (V2 made it of the V1 table), one in the DEFAULT partition and one in a
   * partition made as {@code retention/PartitionedTable} names them.
   */
  private static void writeRowsInEveryTable(String uri) {
    for (String table : List.of("ingress_events", "test_runs", "chatgpt_responses", "ai_analyses")) {
      TestServices.sql(uri, "CREATE TABLE " + table + "_p21000101_000000 PARTITION OF " + table
          + " FOR VALUES FROM ('2100-01-01 00:00:00+00') TO ('2100-01-02 00:00:00+00')");
    }
    String[] times = {"now() - interval '1 day'", "now() + interval '1 hour'", "'2100-01-01 12:00:00+00'"};
    for (int i = 0; i < times.length; i++) {
      TestServices.sql(uri, """
          INSERT INTO ingress_events (id, type, occurred_at, data) VALUES (gen_random_uuid(), 'test_run.created', %1$s, '{"n":%2$d}');
          INSERT INTO test_runs (id, submission_uuid, track_slug, exercise_slug, status, created_at)
            VALUES (gen_random_uuid(), 'sub-%2$d', 'ruby', 'leap', 'pass', %1$s);
          INSERT INTO chatgpt_responses (id, submission_uuid, model, content, created_at)
            VALUES (gen_random_uuid(), 'sub-%2$d', 'gpt-4o', 'fine', %1$s);
          INSERT INTO ai_analyses (id, submission_uuid, track_slug, exercise_slug, patterns, created_at)
            VALUES (gen_random_uuid(), 'sub-%2$d', 'ruby', 'leap', '["guard-clause"]', %1$s);
          """.formatted(times[i], i));
    }
    TestServices.sql(uri, """
        INSERT INTO tooling_jobs (id, kind, status, output) VALUES ('job-1', 'lint', 'completed', 'clean');
        INSERT INTO video_nodes (node_uuid, executor_type, status, process_uuid) VALUES ('node-1', 'render', 'queued', 'p-1');
        INSERT INTO webhook_deliveries (id, source, event_type, delivery_id, content_type, body)
          VALUES (gen_random_uuid(), 'github', 'issues', 'd-1', 'application/json', '\\x7b7d');
        INSERT INTO idempotency_keys (scope, key, fingerprint, status, body, expires_at)
          VALUES ('POST /spi/test_runs', 'k-1', 'f', 201, '{}', now() + interval '1 hour');
        INSERT INTO ingress_dead_letters (id, family, operation, received_at, dead_lettered_at, reason, write)
          VALUES (gen_random_uuid(), 'test_runs', 'test_run.create', now(), now(), 'refused', '\\x7b7d');
        UPDATE ingress_events_horizon SET expired_through = 1;
        """);
  }

  /** Each table's rows as text, partition by partition, and where the outbox's sequence stands. */
  private static Map<String, String> rows(Db db) {
    Map<String, String> rows = new LinkedHashMap<>();
    for (String table : db.column("SELECT relname FROM pg_class WHERE relkind = 'r'"
        + " AND relnamespace = 'public'::regnamespace AND relname NOT LIKE 'flyway_schema_history%' ORDER BY 1")) {
      rows.put(table, String.valueOf(db.scalar("SELECT string_agg(t::text, ' ' ORDER BY t::text) FROM " + table + " t")));
    }
    rows.put("ingress_events_seq_seq", String.valueOf(db.scalar("SELECT last_value FROM ingress_events_seq_seq")));
    return rows;
  }

  /**
   * Tables, columns, keys, indexes, partitioning and sequences, leaving out the partitions
   * themselves (the previous version's hold rows; a fresh database's only the DEFAULT ones so far).
   */
  private static List<String> schema(Db db) {
    String ours = " relnamespace = 'public'::regnamespace AND NOT relispartition AND relname NOT LIKE 'flyway_schema_history%'";
    List<String> schema = new ArrayList<>();
    schema.addAll(db.column("SELECT relname || ' ' || relkind::text || coalesce(' ' || pg_get_partkeydef(oid), '')"
        + " FROM pg_class WHERE relkind IN ('r', 'p') AND" + ours + " ORDER BY 1"));
    schema.addAll(db.column("SELECT c.table_name || '.' || c.column_name || ' #' || c.ordinal_position || ' ' || c.data_type"
        + " || ' null:' || c.is_nullable || ' default:' || coalesce(c.column_default, '-') || ' identity:' || c.is_identity"
        + " FROM information_schema.columns c JOIN pg_class r ON r.relname = c.table_name"
        + " WHERE c.table_schema = 'public' AND" + ours + " ORDER BY 1"));
    schema.addAll(db.column("SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(k.oid)"
        + " FROM pg_constraint k JOIN pg_class r ON r.oid = k.conrelid WHERE" + ours + " ORDER BY 1"));
    schema.addAll(db.column("SELECT indexdef FROM pg_indexes i JOIN pg_class r ON r.relname = i.tablename"
        + " WHERE i.schemaname = 'public' AND" + ours + " ORDER BY 1"));
    schema.addAll(db.column("SELECT i.inhparent::regclass || ' default ' || d.relname FROM pg_inherits i"
        + " JOIN pg_class d ON d.oid = i.inhrelid WHERE pg_get_expr(d.relpartbound, d.oid) = 'DEFAULT' ORDER BY 1"));
    schema.addAll(db.column("SELECT sequencename || ' ' || data_type || ' ' || increment_by FROM pg_sequences"
        + " WHERE schemaname = 'public' ORDER BY 1"));
    schema.add(String.valueOf(db.scalar("SELECT pg_get_serial_sequence('ingress_events', 'seq')")));
    assertFalse(schema.isEmpty());
    return schema;
  }

  private static Map<String, List<String>> histories(Db db) {
    Map<String, List<String>> histories = new LinkedHashMap<>();
    for (String table : db.column("SELECT relname FROM pg_class WHERE relkind = 'r' AND relname LIKE 'flyway_schema_history%' ORDER BY 1")) {
      histories.put(table, history(db, table));
    }
    return histories;
  }

  private static List<String> history(Db db, String table) {
    return db.column("SELECT version || ' ' || type || ' ' || success FROM " + table + " ORDER BY installed_rank");
  }

  private static void migrate(String uri) {
    Migrations.migrate(Database.of(uri, CONFIG.postgres(), Map.of()), CONFIG.familiesFound());
  }
}
