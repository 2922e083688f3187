package io.callbackingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.spi.ConfigException;
import io.callbackingress.spi.Endpoint;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.FamilyContext;
import io.callbackingress.spi.WriteOperation;
import io.callbackingress.support.ProbeFamily;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriteOperationsTest {

  @Test
  void eachOperationIsFoundByNameWithItsFamily() {
    ProbeFamily probe = new ProbeFamily();
    WriteOperations operations = WriteOperations.of(Map.of("probe", probe));

    String name = probe.operations().get(0).name();
    assertEquals(probe.operations().get(0), operations.byName().get(name));
    assertEquals("probe", operations.familyByName().get(name));
  }

  @Test
  void aFamilyDeclaresOnlyTheOperationsItListsNotAnotherFamilysNorALookAlike() {
    ProbeFamily probe = new ProbeFamily();
    WriteOperation<?> touch = probe.operations().get(0);
    WriteOperation<?> lookAlike = WriteOperation.of(touch.name(), Unspoolable.class, (sql, input, context) -> null);
    WriteOperations operations = WriteOperations.of(Map.of("probe", probe));

    assertTrue(operations.declares("probe", touch));
    assertFalse(operations.declares("other", touch), "another family's operation");
    assertFalse(operations.declares("probe", lookAlike), "an operation of the same name that a replay would not run");
    assertFalse(operations.declares(null, touch), "a write outside any family's route");
  }

  @Test
  void twoFamiliesDeclaringOneOperationNameStopStartUpNamingBoth() {
    Map<String, EndpointFamily> families = new LinkedHashMap<>();
    families.put("probe", new ProbeFamily());
    families.put("copy", new ProbeFamily());

    ConfigException refused = assertThrows(ConfigException.class, () -> WriteOperations.of(families));

    String name = new ProbeFamily().operations().get(0).name();
    assertEquals("config: families.copy: declares the write operation \"" + name
        + "\", which the family \"probe\" declares too", refused.getMessage());
  }

  record Unspoolable(String id, Instant at) {}

  @Test
  void anOperationWhoseInputTheSpoolCannotKeepStopsStartUp() {
    EndpointFamily family = new EndpointFamily() {
      @Override
      public String name() {
        return "probe";
      }

      @Override
      public List<Endpoint> endpoints(FamilyContext context) {
        return List.of();
      }

      @Override
      public List<WriteOperation<?>> operations() {
        return List.of(WriteOperation.of("probe.unspoolable", Unspoolable.class, (sql, input, context) -> null));
      }
    };

    ConfigException refused = assertThrows(ConfigException.class, () -> WriteOperations.of(Map.of("probe", family)));

    assertEquals("config: families.probe: the write operation \"probe.unspoolable\": " + Unspoolable.class.getName()
        + ".at: a spooled write's input holds strings, boxed numbers and booleans, JSON objects and arrays or bytes,"
        + " not java.time.Instant", refused.getMessage());
  }
}
