package io.callbackingress.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.callbackingress.config.ConfigNode;
import io.callbackingress.config.IngressConfig;
import io.callbackingress.spool.DeadLetter;
import io.callbackingress.spool.Spool;
import io.callbackingress.spool.SpoolRecord;
import io.callbackingress.support.CuttableDatabase;
import io.callbackingress.support.Db;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC 16: while Postgres is away a dead letter waits in the spool's {@code dead-letters.jsonl};
 * once Postgres is back it moves there and leaves the file — each exactly once, however often the
 * move or the setting aside is repeated (a retried round, a crash halfway).
 */
class DeadLetterShelfTest {

  private static final String WRITE = "{\"op\":\"test_run.create\",\"args\":{\"output\":\"kept\"},\"requestId\":\"req-1\","
      + "\"key\":{\"scope\":\"spool\",\"key\":\"k\",\"fingerprint\":\"\"}}";

  private final Vertx vertx = Vertx.vertx();
  private CuttableDatabase database;
  private Path spoolDir;
  private Spool spool;
  private Pool pool;

  @BeforeEach
  void open() throws IOException {
    database = new CuttableDatabase("shelf");
    // The core's tables only: a shelf stores in ingress_dead_letters.
    Migrations.migrate(Database.of(database.directUri(),
        IngressConfig.read(ConfigNode.root(new JsonObject(), Map.of())).postgres(), Map.of()), List.of());
    spoolDir = Files.createTempDirectory("spool");
    pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(database.uri())).using(vertx).build();
  }

  @AfterEach
  void close() {
    pool.close().await();
    spool.close().await();
    vertx.close().await();
    database.close();
  }

  @Test
  void aDeadLetterSetAsideWhilePostgresIsAwayWaitsInTheSpoolAndMovesIntoPostgresOnce() throws IOException {
    DeadLetterShelf shelf = shelf();
    SpoolRecord record = spooled(WRITE);
    database.cut();
    shelf.setAside(record, "refused by Postgres: a reason").await();
    shelf.setAside(record, "refused by Postgres: a reason").await();
    assertEquals(1, spool.stats().deadLetters(), "a record set aside twice (its round retried) waits once");
    assertEquals(1, localLines().size());

    database.restore();
    shelf.moveLocal().await();
    shelf.moveLocal().await();
    Db db = database.db();
    assertEquals(1, db.count("SELECT count(*) FROM ingress_dead_letters"));
    assertEquals("test_runs", db.scalar("SELECT family FROM ingress_dead_letters"));
    assertEquals("req-1", db.scalar("SELECT request_id FROM ingress_dead_letters"));
    assertEquals("refused by Postgres: a reason", db.scalar("SELECT reason FROM ingress_dead_letters"));
    assertArrayEquals(WRITE.getBytes(StandardCharsets.UTF_8), (byte[]) db.scalar("SELECT write FROM ingress_dead_letters"));
    assertEquals(0, spool.stats().deadLetters());
    assertEquals(List.of(), localLines());

    shelf.setAside(record, "refused by Postgres: a reason").await();
    assertEquals(1, db.count("SELECT count(*) FROM ingress_dead_letters"), "set aside again after a crash: still one");
  }

  @Test
  void aMoveCutShortAfterItsInsertAndALineOfAnEarlierVersionAreEachStoredOnce() throws IOException {
    String legacy = new JsonObject().put("dead_lettered_at", "2026-12-01T10:00:00Z").put("appended_at", "2026-12-01T09:59:59Z")
        .put("reason", "refused by Postgres: before SPEC 16").put("record", WRITE).encode();
    Files.writeString(spoolDir.resolve("dead-letters.jsonl"), legacy + "\n");
    DeadLetterShelf shelf = shelf();
    database.cut();
    shelf.setAside(spooled(WRITE), "refused by Postgres: a reason").await();
    assertEquals(2, spool.stats().deadLetters());
    database.restore();
    List<DeadLetter> movedBeforeTheCrash = spool.deadLetters().await().stream().filter(d -> d.operation() != null).toList();
    assertEquals(1, movedBeforeTheCrash.size());
    new DeadLetterTable(pool).insert(movedBeforeTheCrash).await();

    shelf.moveLocal().await();
    Db db = database.db();
    assertEquals(2, db.count("SELECT count(*) FROM ingress_dead_letters"));
    UUID legacyId = UUID.nameUUIDFromBytes(legacy.getBytes(StandardCharsets.UTF_8));
    assertEquals("req-1", db.scalar("SELECT request_id FROM ingress_dead_letters WHERE id = '" + legacyId + "'"),
        "an earlier version's line is described from its write");
    assertEquals(List.of(), localLines());
  }

  private DeadLetterShelf shelf() {
    spool = Spool.open(vertx, new IngressConfig.Spool(spoolDir.toString(), 1L << 20)).await();
    return new DeadLetterShelf(pool, spool, Map.of("test_run.create", "test_runs"));
  }

  /** The write appended and read back, as the replayer holds it when Postgres refuses it. */
  private SpoolRecord spooled(String write) {
    spool.append(Buffer.buffer(write)).await();
    List<SpoolRecord> records = spool.next(10).await();
    return records.get(records.size() - 1);
  }

  private List<String> localLines() throws IOException {
    Path file = spoolDir.resolve("dead-letters.jsonl");
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }
}
