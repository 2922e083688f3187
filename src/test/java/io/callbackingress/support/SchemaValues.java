package io.callbackingress.support;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.arbitraries.StringArbitrary;

/**
 * Values for the schemas of the OpenAPI document, as jqwik arbitraries: {@link #valid} what a
 * schema accepts, {@link #invalid} near misses it refuses. Values are Vert.x JSON values
 * ({@link JsonObject}, {@link JsonArray}, String, Number, Boolean or null).
 *
 * <p>Implementation notes: generation covers the keywords the document's request schemas use —
 * {@code $ref}, {@code type} (one or several), {@code enum}, {@code const}, {@code oneOf}/{@code anyOf},
 * {@code properties}/{@code required}/{@code additionalProperties}, string lengths, {@code uuid} and
 * {@code date-time} formats, patterns of one character class with a repetition, numeric bounds,
 * {@code items} with sizes — and fails loudly on a pattern it cannot honour, so a document change
 * cannot silently narrow the fuzz. Every value is finally checked by the validator itself:
 * {@code valid} keeps only what the schema accepts (what {@code oneOf} exclusivity or a bound the
 * generator approximates may break), {@code invalid} only what it refuses (a mutation may land on
 * a place that accepts anything). Generated strings hold neither U+0000 nor lone surrogates, which
 * the SPEC refuses in prose the schemas do not carry; lengths stay short unless a minimum demands more.
 */
public final class SchemaValues {

  private static final int SHORT = 24;
  private static final int MAX_ITEMS = 3;
  private static final long BOUND = 1_000_000_000L;
  /** A literal prefix, one character class and its repetition: {@code ^sha256=[0-9A-Fa-f]+$}. */
  private static final Pattern ONE_CLASS = Pattern.compile("\\^([A-Za-z0-9=_-]*)\\[([^\\]]+)](?:(\\+)|\\{(\\d+),(\\d+)})\\$");

  /** Any small JSON value. */
  private static final Arbitrary<Object> ANY = anyJson();

  private final OpenApiContract contract;

  public SchemaValues(OpenApiContract contract) {
    this.contract = contract;
  }

  /** Values the schema at {@code pointer} accepts. */
  public Arbitrary<Object> valid(String pointer) {
    return of(contract.resolved(pointer), false)
        .filter(value -> contract.schemaErrors(pointer, Json.encode(value)).isEmpty());
  }

  /** Header-safe values (visible ASCII only) the schema at {@code pointer} accepts, as text. */
  public Arbitrary<String> validText(String pointer) {
    return of(contract.resolved(pointer), true)
        .filter(value -> contract.schemaErrors(pointer, Json.encode(value)).isEmpty())
        .map(String::valueOf);
  }

  /**
   * Values the schema at {@code pointer} refuses, each a valid value with one thing changed: a
   * member removed, a member or element replaced by another kind of value, an unknown member added,
   * a string made too long, or the whole value replaced.
   */
  public Arbitrary<Object> invalid(String pointer) {
    return valid(pointer)
        .flatMap(value -> Combinators.combine(Arbitraries.of(changes(value, new ArrayList<>())), ANY)
            .as((change, other) -> mutate(change.mutation(), copy(value), change.place(), other)))
        .filter(value -> !contract.schemaErrors(pointer, Json.encode(value)).isEmpty());
  }

  private Arbitrary<Object> of(JsonObject schema, boolean headerSafe) {
    if (schema.containsKey("$ref")) {
      return of(contract.resolved(schema.getString("$ref")), headerSafe);
    }
    if (schema.containsKey("const")) {
      return Arbitraries.just(schema.getValue("const"));
    }
    if (schema.containsKey("enum")) {
      return Arbitraries.of(schema.getJsonArray("enum").getList());
    }
    for (String alternatives : List.of("oneOf", "anyOf")) {
      if (schema.containsKey(alternatives)) {
        return Arbitraries.oneOf(schema.getJsonArray(alternatives).stream()
            .map(alternative -> of(merged(schema, alternatives, (JsonObject) alternative), headerSafe))
            .toList());
      }
    }
    Object type = schema.getValue("type");
    if (type == null) {
      return ANY;
    }
    List<String> types = type instanceof JsonArray several ? several.stream().map(String::valueOf).toList() : List.of((String) type);
    return Arbitraries.oneOf(types.stream().map(one -> ofType(one, schema, headerSafe)).toList());
  }

  private Arbitrary<Object> ofType(String type, JsonObject schema, boolean headerSafe) {
    return switch (type) {
      case "null" -> Arbitraries.just(null);
      case "boolean" -> Arbitraries.of(true, false);
      case "integer" -> Arbitraries.longs()
          .between(bound(schema, "minimum", -BOUND), bound(schema, "maximum", BOUND))
          .map(Object.class::cast);
      case "number" -> Arbitraries.doubles()
          .between(bound(schema, "minimum", -BOUND), bound(schema, "maximum", BOUND))
          .map(Object.class::cast);
      case "string" -> string(schema, headerSafe).map(Object.class::cast);
      case "array" -> array(schema, headerSafe);
      case "object" -> object(schema, headerSafe);
      default -> throw new IllegalStateException("cannot generate values of type " + type + " for " + schema);
    };
  }

  private Arbitrary<String> string(JsonObject schema, boolean headerSafe) {
    String format = schema.getString("format", "");
    if (format.equals("uuid")) {
      return Arbitraries.create(() -> UUID.randomUUID().toString());
    }
    if (format.equals("date-time")) {
      return Arbitraries.longs().between(0, 4_000_000_000L)
          .map(seconds -> Instant.ofEpochSecond(seconds).truncatedTo(ChronoUnit.SECONDS).toString());
    }
    int min = schema.getInteger("minLength", 0);
    int max = schema.getInteger("maxLength", Integer.MAX_VALUE);
    StringArbitrary strings = Arbitraries.strings();
    String pattern = schema.getString("pattern");
    if (pattern == null) {
      return text(strings, headerSafe).ofMinLength(min).ofMaxLength(Math.min(max, Math.max(min, SHORT)));
    }
    Matcher oneClass = ONE_CLASS.matcher(pattern);
    if (!oneClass.matches()) {
      throw new IllegalStateException("cannot generate strings for the pattern " + pattern);
    }
    String prefix = oneClass.group(1);
    int least = Math.max(min - prefix.length(), oneClass.group(3) == null ? Integer.parseInt(oneClass.group(4)) : 1);
    int most = Math.min(max - prefix.length(), oneClass.group(3) == null ? Integer.parseInt(oneClass.group(5)) : Integer.MAX_VALUE);
    return characterClass(strings, oneClass.group(2))
        .ofMinLength(least)
        .ofMaxLength(Math.min(most, Math.max(least, SHORT)))
        .map(rest -> prefix + rest);
  }

  private Arbitrary<Object> array(JsonObject schema, boolean headerSafe) {
    int min = schema.getInteger("minItems", 0);
    int max = Math.min(schema.getInteger("maxItems", Integer.MAX_VALUE), min + MAX_ITEMS);
    JsonObject items = schema.getJsonObject("items", new JsonObject());
    return of(items, headerSafe).list().ofMinSize(min).ofMaxSize(max).map(JsonArray::new);
  }

  /** Required members always, each optional member half the time, and a few free members where the schema allows them. */
  private Arbitrary<Object> object(JsonObject schema, boolean headerSafe) {
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    Set<Object> required = Set.copyOf(schema.getJsonArray("required", new JsonArray()).getList());
    List<Arbitrary<Consumer<JsonObject>>> members = new ArrayList<>();
    for (String name : properties.fieldNames()) {
      Arbitrary<Consumer<JsonObject>> member = of(properties.getJsonObject(name), headerSafe)
          .map(value -> object -> object.put(name, value));
      members.add(required.contains(name) ? member : Arbitraries.oneOf(member, Arbitraries.just(object -> { })));
    }
    if (!Boolean.FALSE.equals(schema.getValue("additionalProperties"))) {
      // Free members are prefixed so they never collide with a declared one.
      members.add(Combinators.combine(keys().map(key -> "x_" + key), ANY).as(SchemaValues::member)
          .list().ofMaxSize(properties.isEmpty() ? MAX_ITEMS : 1)
          .map(free -> object -> free.forEach(add -> add.accept(object))));
    }
    return Combinators.combine(members).as(setters -> {
      JsonObject object = new JsonObject();
      setters.forEach(set -> set.accept(object));
      return object;
    });
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

  /** Characters of a character class such as {@code A-Za-z0-9._-} or {@code  -~}. */
  private static StringArbitrary characterClass(StringArbitrary strings, String characterClass) {
    StringArbitrary result = strings;
    for (int i = 0; i < characterClass.length(); i++) {
      char first = characterClass.charAt(i);
      if (i + 2 < characterClass.length() && characterClass.charAt(i + 1) == '-') {
        result = result.withCharRange(first, characterClass.charAt(i + 2));
        i += 2;
      } else {
        result = result.withChars(first);
      }
    }
    return result;
  }

  /**
   * Printable text: ASCII, Latin-1 and a few CJK characters; where a header carries it, visible
   * ASCII only (HTTP trims white space around a field value, so " " would arrive as an empty one).
   */
  private static StringArbitrary text(StringArbitrary strings, boolean headerSafe) {
    return headerSafe
        ? strings.withCharRange('!', '~')
        : strings.withCharRange(' ', '~').withCharRange('\u00a0', '\u02ff').withCharRange('\u4e00', '\u4e20');
  }

  private static Arbitrary<Object> anyJson() {
    Arbitrary<Object> scalar = Arbitraries.oneOf(
        text(Arbitraries.strings(), false).ofMaxLength(SHORT),
        Arbitraries.longs().between(-BOUND, BOUND),
        Arbitraries.doubles().between(-BOUND, BOUND),
        Arbitraries.of(true, false),
        Arbitraries.just(null));
    return Arbitraries.recursive(() -> scalar, inner -> Arbitraries.oneOf(
        inner.list().ofMaxSize(MAX_ITEMS).map(JsonArray::new),
        Combinators.combine(keys(), inner).as(SchemaValues::member).list().ofMaxSize(MAX_ITEMS).map(SchemaValues::object)),
        0, 2);
  }

  private static Arbitrary<String> keys() {
    return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
  }

  private static Consumer<JsonObject> member(String key, Object value) {
    return object -> object.put(key, value);
  }

  private static JsonObject object(List<Consumer<JsonObject>> members) {
    JsonObject object = new JsonObject();
    members.forEach(member -> member.accept(object));
    return object;
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
