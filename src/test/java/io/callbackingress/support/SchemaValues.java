package io.callbackingress.support;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values for the schemas of the OpenAPI document, drawn from an {@link EdgeBiasedRandom}:
 * {@link #valid} what a schema accepts, {@link #invalid} near misses it refuses. Values are Vert.x
 * JSON values ({@link JsonObject}, {@link JsonArray}, String, Number, Boolean or null); the same
 * random stream gives the same values.
 *
 * <p>Implementation notes: generation covers the keywords the document's request schemas use —
 * {@code $ref}, {@code type} (one or several), {@code enum}, {@code const}, {@code oneOf}/{@code anyOf},
 * {@code properties}/{@code required}/{@code additionalProperties}, string lengths, {@code uuid} and
 * {@code date-time} formats, patterns of one character class with a repetition, numeric bounds,
 * {@code items} with sizes — and fails loudly on a pattern it cannot honour, so a document change
 * cannot silently narrow the fuzz. Every value is finally checked by the validator itself:
 * {@code valid} keeps only what the schema accepts (what {@code oneOf} exclusivity or a bound the
 * generator approximates may break), {@code invalid} only what it refuses (a mutation may land on
 * a place that accepts anything); both draw again until one fits. Edges come often on purpose:
 * numbers at their bounds and 0, strings empty or as long as their {@code maxLength} allows (up to
 * {@value #LONGEST}), characters at the ends of their ranges and, in free text, the Unicode that
 * breaks naive code ({@link #UNICODE_EDGES}). Generated strings hold neither U+0000 nor lone
 * surrogates, which the SPEC refuses in prose the schemas do not carry; lengths stay short
 * otherwise.
 */
public final class SchemaValues {

  private static final int SHORT = 24;
  /** The longest string drawn for a {@code maxLength} edge: ids and keys are bounded at 255, free text at more. */
  private static final int LONGEST = 1024;
  private static final int MAX_ITEMS = 3;
  private static final long BOUND = 1_000_000_000L;
  /** Enough draws that a schema narrowing its values by {@code oneOf} or a bound still yields one; fewer means a bug here. */
  private static final int ATTEMPTS = 1000;
  /** A literal prefix, one character class and its repetition: {@code ^sha256=[0-9A-Fa-f]+$}. */
  private static final Pattern ONE_CLASS = Pattern.compile("\\^([A-Za-z0-9=_-]*)\\[([^\\]]+)](?:(\\+)|\\{(\\d+),(\\d+)})\\$");
  /**
   * Characters that break naive text handling, drawn one time in ten in free text: combining,
   * zero-width and direction marks, separators JavaScript reads as line ends, a byte order mark,
   * the replacement character, noncharacters, a character outside the BMP (a surrogate pair in
   * Java) and the last code point, JSON's escaped characters, and control characters JSON escapes.
   */
  private static final List<Integer> UNICODE_EDGES = List.of(0x0301, 0x200B, 0x200D, 0x202E, 0x2028, 0x2029, 0xFEFF,
      0xFFFD, 0xFFFE, 0xFFFF, 0x1F600, 0x10FFFF, (int) '"', (int) '\\', (int) '\t', (int) '\n', 0x01, 0x7F);
  /** Printable ASCII, Latin-1 and beyond to the modifier letters, and a few CJK characters. */
  private static final Alphabet TEXT = new Alphabet(List.of(new int[] {' ', '~'}, new int[] {0xA0, 0x2FF}, new int[] {0x4E00, 0x4E20}),
      UNICODE_EDGES);
  /**
   * The same within the BMP, for strings with a {@code maxLength}: the ingress counts their length
   * in UTF-16 units (JsonInput), JSON Schema in code points, so a string of {@code maxLength} code
   * points with a surrogate pair in it is refused although the document accepts it. That one known
   * disagreement is kept out until the two agree, so that the fuzz fails only on what is new.
   */
  private static final Alphabet BOUNDED_TEXT = new Alphabet(TEXT.ranges(),
      UNICODE_EDGES.stream().filter(Character::isBmpCodePoint).toList());
  /** Visible ASCII: what a header can carry as it is (HTTP trims white space around a field value). */
  private static final Alphabet HEADER_TEXT = new Alphabet(List.of(new int[] {'!', '~'}), List.of());
  private static final Alphabet KEY = new Alphabet(List.of(new int[] {'a', 'z'}), List.of());

  private final OpenApiContract contract;

  public SchemaValues(OpenApiContract contract) {
    this.contract = contract;
  }

  /** A value the schema at {@code pointer} accepts. */
  public Object valid(String pointer, EdgeBiasedRandom random) {
    JsonObject schema = contract.resolved(pointer);
    return drawUntil(() -> of(schema, false, random), value -> accepts(pointer, value), "a valid value for " + pointer);
  }

  /** A header-safe value (visible ASCII only, inner spaces aside) the schema at {@code pointer} accepts, as text. */
  public String validText(String pointer, EdgeBiasedRandom random) {
    JsonObject schema = contract.resolved(pointer);
    return String.valueOf(drawUntil(() -> of(schema, true, random),
        value -> accepts(pointer, value) && String.valueOf(value).strip().equals(String.valueOf(value)),
        "a valid header value for " + pointer));
  }

  /**
   * A value the schema at {@code pointer} refuses: a valid value with one thing changed — a
   * member removed, a member or element replaced by another kind of value, an unknown member added,
   * a string made too long, or the whole value replaced.
   */
  public Object invalid(String pointer, EdgeBiasedRandom random) {
    return drawUntil(() -> {
      Object value = valid(pointer, random);
      Change change = random.any(changes(value, new ArrayList<>()));
      return mutate(change.mutation(), copy(value), change.place(), anyJson(random, random.below(3)));
    }, value -> !accepts(pointer, value), "an invalid value for " + pointer);
  }

  private boolean accepts(String pointer, Object value) {
    return contract.schemaErrors(pointer, Json.encode(value)).isEmpty();
  }

  private static Object drawUntil(Supplier<Object> draw, Predicate<Object> wanted, String what) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Object value = draw.get();
      if (wanted.test(value)) {
        return value;
      }
    }
    throw new IllegalStateException("no " + what + " in " + ATTEMPTS + " draws");
  }

  private Object of(JsonObject schema, boolean headerSafe, EdgeBiasedRandom random) {
    if (schema.containsKey("$ref")) {
      return of(contract.resolved(schema.getString("$ref")), headerSafe, random);
    }
    if (schema.containsKey("const")) {
      return schema.getValue("const");
    }
    if (schema.containsKey("enum")) {
      return random.any(schema.getJsonArray("enum").getList());
    }
    for (String alternatives : List.of("oneOf", "anyOf")) {
      if (schema.containsKey(alternatives)) {
        JsonObject alternative = (JsonObject) random.any(schema.getJsonArray(alternatives).stream().toList());
        return of(merged(schema, alternatives, alternative), headerSafe, random);
      }
    }
    Object type = schema.getValue("type");
    if (type == null) {
      return anyJson(random, random.below(3));
    }
    List<String> types = type instanceof JsonArray several ? several.stream().map(String::valueOf).toList() : List.of((String) type);
    return ofType(random.any(types), schema, headerSafe, random);
  }

  private Object ofType(String type, JsonObject schema, boolean headerSafe, EdgeBiasedRandom random) {
    return switch (type) {
      case "null" -> null;
      case "boolean" -> random.oneIn(2);
      case "integer" -> random.integer(bound(schema, "minimum", -BOUND), bound(schema, "maximum", BOUND));
      case "number" -> random.decimal(bound(schema, "minimum", -BOUND), bound(schema, "maximum", BOUND));
      case "string" -> string(schema, headerSafe, random);
      case "array" -> array(schema, headerSafe, random);
      case "object" -> object(schema, headerSafe, random);
      default -> throw new IllegalStateException("cannot generate values of type " + type + " for " + schema);
    };
  }

  private static String string(JsonObject schema, boolean headerSafe, EdgeBiasedRandom random) {
    String format = schema.getString("format", "");
    if (format.equals("uuid")) {
      // Version 4, variant 1, as UUID.randomUUID() makes them, but from the seeded stream.
      return new UUID(random.nextLong() & ~0xF000L | 0x4000L, random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L).toString();
    }
    if (format.equals("date-time")) {
      return Instant.ofEpochSecond(random.integer(0, 4_000_000_000L)).toString();
    }
    int min = schema.getInteger("minLength", 0);
    int max = schema.getInteger("maxLength", Integer.MAX_VALUE);
    String pattern = schema.getString("pattern");
    if (pattern == null) {
      return (headerSafe ? HEADER_TEXT : max == Integer.MAX_VALUE ? TEXT : BOUNDED_TEXT).string(min, max, random);
    }
    Matcher oneClass = ONE_CLASS.matcher(pattern);
    if (!oneClass.matches()) {
      throw new IllegalStateException("cannot generate strings for the pattern " + pattern);
    }
    String prefix = oneClass.group(1);
    int least = Math.max(min - prefix.length(), oneClass.group(3) == null ? Integer.parseInt(oneClass.group(4)) : 1);
    int most = Math.min(max - prefix.length(), oneClass.group(3) == null ? Integer.parseInt(oneClass.group(5)) : Integer.MAX_VALUE);
    return prefix + Alphabet.ofCharacterClass(oneClass.group(2)).string(least, most, random);
  }

  private Object array(JsonObject schema, boolean headerSafe, EdgeBiasedRandom random) {
    int min = schema.getInteger("minItems", 0);
    int max = Math.min(schema.getInteger("maxItems", Integer.MAX_VALUE), min + MAX_ITEMS);
    JsonObject items = schema.getJsonObject("items", new JsonObject());
    JsonArray array = new JsonArray();
    for (int size = (int) random.integer(min, max); array.size() < size; ) {
      array.add(of(items, headerSafe, random));
    }
    return array;
  }

  /** Required members always, each optional member half the time, and a few free members where the schema allows them. */
  private Object object(JsonObject schema, boolean headerSafe, EdgeBiasedRandom random) {
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    Set<Object> required = Set.copyOf(schema.getJsonArray("required", new JsonArray()).getList());
    JsonObject object = new JsonObject();
    for (String name : properties.fieldNames()) {
      if (required.contains(name) || random.oneIn(2)) {
        object.put(name, of(properties.getJsonObject(name), headerSafe, random));
      }
    }
    if (!Boolean.FALSE.equals(schema.getValue("additionalProperties"))) {
      // Free members are prefixed so they never collide with a declared one.
      for (long free = random.integer(0, properties.isEmpty() ? MAX_ITEMS : 1); free > 0; free--) {
        object.put("x_" + key(random), anyJson(random, random.below(3)));
      }
    }
    return object;
  }

  /**
   * One alternative of {@code schema} with the keywords beside the alternatives, as a schema of its own:
   * {@code {"type":"object", ..., "oneOf":[{"required":["result"]}, ...]}} gives an object that requires
   * {@code result} as well as what the base requires.
   */
  private JsonObject merged(JsonObject schema, String alternatives, JsonObject alternative) {
    JsonObject merged = schema.copy();
    merged.remove(alternatives);
    JsonObject resolved = alternative.containsKey("$ref") ? contract.resolved(alternative.getString("$ref")) : alternative;
    resolved.forEach(keyword -> merged.put(keyword.getKey(), keyword.getKey().equals("required")
        ? merged.getJsonArray("required", new JsonArray()).copy().addAll((JsonArray) keyword.getValue())
        : keyword.getValue()));
    return merged;
  }

  /** One change a mutation can make: where, and what. */
  private record Change(Mutation mutation, List<Object> place) {}

  /**
   * The changes that make sense in {@code value} at {@code at} (the keys and indexes that lead
   * there, the root being the empty list) and below: any place replaced, a member removed, a string
   * made too long, a member added to an object.
   */
  private static List<Change> changes(Object value, List<Object> at) {
    List<Change> changes = new ArrayList<>();
    changes.add(new Change(Mutation.REPLACE, List.copyOf(at)));
    if (value instanceof String) {
      changes.add(new Change(Mutation.TOO_LONG, List.copyOf(at)));
    }
    if (value instanceof JsonObject object) {
      changes.add(new Change(Mutation.ADD_UNKNOWN_MEMBER, List.copyOf(at)));
      object.forEach(member -> {
        changes.add(new Change(Mutation.REMOVE, append(at, member.getKey())));
        changes.addAll(changes(member.getValue(), append(at, member.getKey())));
      });
    } else if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        changes.addAll(changes(array.getValue(i), append(at, i)));
      }
    }
    return changes;
  }

  private enum Mutation { REPLACE, REMOVE, ADD_UNKNOWN_MEMBER, TOO_LONG }

  /** {@code root} changed at {@code place}; a change of the root itself replaces it whole. */
  private static Object mutate(Mutation mutation, Object root, List<Object> place, Object other) {
    if (place.isEmpty() && mutation != Mutation.ADD_UNKNOWN_MEMBER) {
      return mutation == Mutation.TOO_LONG ? "x".repeat(300) : other;
    }
    switch (mutation) {
      case ADD_UNKNOWN_MEMBER -> ((JsonObject) get(root, place)).put("unexpected_member", other);
      case REMOVE -> ((JsonObject) get(root, place.subList(0, place.size() - 1))).remove((String) place.get(place.size() - 1));
      case REPLACE -> set(get(root, place.subList(0, place.size() - 1)), place.get(place.size() - 1), other);
      case TOO_LONG -> set(get(root, place.subList(0, place.size() - 1)), place.get(place.size() - 1), "x".repeat(300));
    }
    return root;
  }

  private static void set(Object parent, Object key, Object value) {
    if (parent instanceof JsonObject object) {
      object.put((String) key, value);
    } else {
      ((JsonArray) parent).set((int) key, value);
    }
  }

  private static Object get(Object root, List<Object> place) {
    Object at = root;
    for (Object key : place) {
      at = at instanceof JsonObject object ? object.getValue((String) key) : ((JsonArray) at).getValue((int) key);
    }
    return at;
  }

  /** Any small JSON value, nested up to {@code depth} arrays or objects deep. */
  private static Object anyJson(EdgeBiasedRandom random, int depth) {
    int kinds = depth == 0 ? 5 : 7;
    return switch (random.below(kinds)) {
      case 0 -> TEXT.string(0, SHORT, random);
      case 1 -> random.integer(-BOUND, BOUND);
      case 2 -> random.decimal(-BOUND, BOUND);
      case 3 -> random.oneIn(2);
      case 4 -> null;
      case 5 -> {
        JsonArray array = new JsonArray();
        for (long size = random.integer(0, MAX_ITEMS); size > 0; size--) {
          array.add(anyJson(random, depth - 1));
        }
        yield array;
      }
      default -> {
        JsonObject object = new JsonObject();
        for (long size = random.integer(0, MAX_ITEMS); size > 0; size--) {
          object.put(key(random), anyJson(random, depth - 1));
        }
        yield object;
      }
    };
  }

  private static String key(EdgeBiasedRandom random) {
    return KEY.string(1, 8, random);
  }

  /**
   * Characters to draw strings from: code point ranges (first and last inclusive), and characters
   * drawn on purpose one time in ten. One character in five is an end of a range.
   */
  private record Alphabet(List<int[]> ranges, List<Integer> edges) {

    /** A class such as {@code A-Za-z0-9._-} or {@code  -~}. */
    static Alphabet ofCharacterClass(String characterClass) {
      List<int[]> ranges = new ArrayList<>();
      for (int i = 0; i < characterClass.length(); i++) {
        char first = characterClass.charAt(i);
        if (i + 2 < characterClass.length() && characterClass.charAt(i + 1) == '-') {
          ranges.add(new int[] {first, characterClass.charAt(i + 2)});
          i += 2;
        } else {
          ranges.add(new int[] {first, first});
        }
      }
      return new Alphabet(ranges, List.of());
    }

    /** {@code min} to {@code max} characters (code points, as JSON Schema counts them). */
    String string(int min, int max, EdgeBiasedRandom random) {
      StringBuilder text = new StringBuilder();
      for (int length = random.size(min, max, SHORT, LONGEST); length > 0; length--) {
        text.appendCodePoint(character(random));
      }
      return text.toString();
    }

    private int character(EdgeBiasedRandom random) {
      if (!edges.isEmpty() && random.oneIn(10)) {
        return random.any(edges);
      }
      if (random.oneIn(5)) {
        int[] range = random.any(ranges);
        return range[random.below(2)];
      }
      int index = random.below(ranges.stream().mapToInt(range -> range[1] - range[0] + 1).sum());
      for (int[] range : ranges) {
        if (index <= range[1] - range[0]) {
          return range[0] + index;
        }
        index -= range[1] - range[0] + 1;
      }
      throw new IllegalStateException("unreachable: the index is below the alphabet's size");
    }
  }

  private static long bound(JsonObject schema, String keyword, long otherwise) {
    Number bound = schema.getNumber(keyword);
    return bound == null ? otherwise : bound.longValue();
  }

  private static List<Object> append(List<Object> at, Object key) {
    List<Object> longer = new ArrayList<>(at);
    longer.add(key);
    return longer;
  }

  private static Object copy(Object value) {
    if (value instanceof JsonObject object) {
      return object.copy();
    }
    return value instanceof JsonArray array ? array.copy() : value;
  }
}
