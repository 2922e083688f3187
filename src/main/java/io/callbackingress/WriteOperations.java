package io.callbackingress;

import io.callbackingress.spi.ConfigException;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.WriteOperation;
import io.callbackingress.store.RecordCodec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The write operations of the enabled families by name: what a replay looks a spooled write up
 * in, which family a dead letter belongs to, and what a family may write at all
 * ({@link DeclaredWrites}). A name is a spooled write's only link to its code, so two families
 * declaring the same one stop start-up, naming both.
 */
final class WriteOperations {

  private final Map<String, WriteOperation<?>> byName;
  private final Map<String, String> familyByName;

  private WriteOperations(Map<String, WriteOperation<?>> byName, Map<String, String> familyByName) {
    this.byName = byName;
    this.familyByName = familyByName;
  }

  static WriteOperations of(Map<String, EndpointFamily> families) {
    Map<String, WriteOperation<?>> byName = new LinkedHashMap<>();
    Map<String, String> familyByName = new LinkedHashMap<>();
    families.forEach((family, implementation) -> implementation.operations().forEach(operation -> {
      String first = familyByName.putIfAbsent(operation.name(), family);
      if (first != null) {
        throw new ConfigException("families." + family, "declares the write operation \"" + operation.name()
            + "\", which the family \"" + first + "\" declares too");
      }
      spoolable(family, operation);
      byName.put(operation.name(), operation);
    }));
    return new WriteOperations(Map.copyOf(byName), Map.copyOf(familyByName));
  }

  /** An input the spool could not keep would surface only as a dead letter after an outage: refuse it now. */
  private static void spoolable(String family, WriteOperation<?> operation) {
    try {
      RecordCodec.of(operation.input());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("families." + family, "the write operation \"" + operation.name() + "\": " + e.getMessage());
    }
  }

  Map<String, WriteOperation<?>> byName() {
    return byName;
  }

  /** Whether {@code family} declared this very operation: one of its own, not merely one of the same name. */
  boolean declares(String family, WriteOperation<?> operation) {
    return byName.get(operation.name()) == operation && familyByName.get(operation.name()).equals(family);
  }

  /** The family of each operation, by the operation's name. */
  Map<String, String> familyByName() {
    return familyByName;
  }
}
