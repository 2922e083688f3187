package io.callbackingress.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.spi.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresUriTest {

  @Test
  void oneHostIsAnyServerByDefault() {
    PostgresUri uri = PostgresUri.parse("postgresql://ingress@db:5432/ingress?sslmode=require");
    assertEquals(List.of("postgresql://ingress@db:5432/ingress?sslmode=require"), uri.hostUris());
    assertFalse(uri.writableOnly());
  }

  @Test
  void severalHostsShareEverythingButTheHostAndWantAWritableOneByDefault() {
    PostgresUri uri = PostgresUri.parse("postgresql://ingress:pw@pg-a:5432,pg-b:5433,[::1]:5434/ingress?application_name=x");
    assertEquals(List.of(
        "postgresql://ingress:pw@pg-a:5432/ingress?application_name=x",
        "postgresql://ingress:pw@pg-b:5433/ingress?application_name=x",
        "postgresql://ingress:pw@[::1]:5434/ingress?application_name=x"), uri.hostUris());
    assertTrue(uri.writableOnly());
  }

  @Test
  void targetSessionAttrsIsTheIngressesAndNotSentToTheServer() {
    PostgresUri any = PostgresUri.parse("postgresql://u@a,b/db?target_session_attrs=any&sslmode=disable");
    assertFalse(any.writableOnly());
    assertEquals("postgresql://u@b/db?sslmode=disable", any.hostUris().get(1));
    assertTrue(PostgresUri.parse("postgres://u@a/db?target_session_attrs=read-write").writableOnly());
  }

  @Test
  void anUnsupportedTargetOrAnEmptyHostNamesTheKey() {
    ConfigException standby = assertThrows(ConfigException.class,
        () -> PostgresUri.parse("postgresql://u@a,b/db?target_session_attrs=standby"));
    assertTrue(standby.getMessage().contains("postgres.uri"), standby.getMessage());
    ConfigException empty = assertThrows(ConfigException.class, () -> PostgresUri.parse("postgresql://u@a,,b/db"));
    assertTrue(empty.getMessage().contains("postgres.uri"), empty.getMessage());
  }
}
