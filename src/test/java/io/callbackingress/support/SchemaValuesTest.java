package io.callbackingress.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.Json;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The fuzz's generator: reproducible from its seed, true to the schemas, and often at the edges. */
class SchemaValuesTest {

  private static final OpenApiContract CONTRACT = OpenApiContract.shipped();
  private static final SchemaValues VALUES = new SchemaValues(CONTRACT);
  /** The JSON request body schema of every operation that takes one. */
  private static final List<String> BODIES = CONTRACT.operations().stream()
      .map(operation -> operation.pointer() + "/requestBody/content/application~1json/schema")
      .filter(pointer -> !CONTRACT.resolved(pointer).isEmpty())
      .toList();

  @Test
  void theSameSeedDrawsTheSameValues() {
    assertFalse(BODIES.isEmpty());
    for (String body : BODIES) {
      assertEquals(draws(body, 11), draws(body, 11), body);
    }
  }

  @Test
  void validValuesAreAcceptedAndInvalidOnesRefused() {
    EdgeBiasedRandom random = new EdgeBiasedRandom(12);
    for (String body : BODIES) {
      for (int i = 0; i < 30; i++) {
        String valid = Json.encode(VALUES.valid(body, random));
        assertEquals(List.of(), CONTRACT.schemaErrors(body, valid), valid);
        String invalid = Json.encode(VALUES.invalid(body, random));
        assertFalse(CONTRACT.schemaErrors(body, invalid).isEmpty(), invalid);
      }
    }
  }

  @Test
  void freeTextCarriesTheUnicodeThatBreaksNaiveCode() {
    EdgeBiasedRandom random = new EdgeBiasedRandom(13);
    String text = IntStream.range(0, 40)
        .mapToObj(i -> BODIES.stream().map(body -> Json.encode(VALUES.valid(body, random))).collect(Collectors.joining()))
        .collect(Collectors.joining());
    for (int edge : List.of(0x1F600, 0x2028, 0xFEFF, 0x200D, 0x0301)) {
      assertTrue(text.contains(Character.toString(edge)), () -> "no U+" + Integer.toHexString(edge).toUpperCase());
    }
  }

  @Test
  void numbersAndSizesReachTheirEdges() {
    EdgeBiasedRandom random = new EdgeBiasedRandom(14);
    Set<Long> integers = new HashSet<>();
    Set<Double> decimals = new HashSet<>();
    Set<Integer> sizes = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      integers.add(random.integer(-5, 1_000_000));
      decimals.add(random.decimal(-5, 1_000_000));
      sizes.add(random.size(0, 255, 24, 1024));
    }
    assertTrue(integers.containsAll(Set.of(-5L, -4L, -1L, 0L, 1L, 999_999L, 1_000_000L)), integers::toString);
    assertTrue(decimals.containsAll(Set.of(-5.0, 0.0, 0.01, -0.01, 1_000_000.0)), decimals::toString);
    assertTrue(sizes.containsAll(Set.of(0, 1, 24, 255)), sizes::toString);
    assertTrue(sizes.stream().allMatch(size -> size <= 24 || size == 255), sizes::toString);
  }

  private static List<String> draws(String body, long seed) {
    EdgeBiasedRandom random = new EdgeBiasedRandom(seed);
    return IntStream.range(0, 20)
        .mapToObj(i -> Json.encode(i % 2 == 0 ? VALUES.valid(body, random) : VALUES.invalid(body, random)))
        .toList();
  }
}
