package io.callbackingress.config;

import io.callbackingress.json.JsonAssembly;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.RetainedTable;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The JSON Schema (draft 2020-12) of the configuration file, as {@code Main --config-schema} prints
 * it and {@code conf/config.schema.json} holds it for the built-in families: the core's part
 * ({@code config.schema.json} beside this class) and, for each family on the class path,
 * <ul>
 *   <li>{@code families.<name>}: the core's keys ({@code #/$defs/family}: enabled, auth,
 *       allowedIdentities) with the family's defaults, plus the keys of its fragment
 *       ({@link EndpointFamily#configSchema()}) when they live there;
 *   <li>a top-level key of its own when its {@link EndpointFamily#configSection()} names one;
 *   <li>{@code retention.familySeconds.<name>} when it keeps tables for the family's share, and
 *       {@code retention.<key>} for a table kept for a period of its own.
 * </ul>
 * A family that adds nothing to the core's keys refers to {@code #/$defs/family}.
 */
public final class ConfigSchemaDocument {

  private static final String CORE = "the core";
  private static final String FAMILY = "#/$defs/family";

  private ConfigSchemaDocument() {}

  public static JsonObject assemble(List<EndpointFamily> families) {
    JsonAssembly assembly = new JsonAssembly("config.schema.json");
    JsonObject schema = assembly.read(ConfigSchemaDocument.class.getResource("config.schema.json"), CORE);
    JsonObject properties = schema.getJsonObject("properties");
    JsonObject defs = schema.getJsonObject("$defs");
    JsonObject familyEntries = properties.getJsonObject("families").getJsonObject("properties");
    JsonObject retention = properties.getJsonObject("retention").getJsonObject("properties");
    JsonObject familyPeriods = retention.getJsonObject("familySeconds").getJsonObject("properties");
    for (EndpointFamily family : families) {
      String owner = "family " + family.name();
      JsonObject own = assembly.read(family.configSchema(), owner);
      Object ownDefs = own.remove("$defs");
      if (ownDefs instanceof JsonObject added) {
        assembly.add(defs, "$defs", added, owner, CORE);
      }
      boolean inFamilies = family.configSection().equals("families." + family.name());
      JsonObject entry = familyEntry(family, inFamilies ? own : new JsonObject(), defs.getJsonObject("family"), assembly);
      assembly.add(familyEntries, "families", new JsonObject().put(family.name(), entry), owner, CORE);
      if (!inFamilies && !own.isEmpty()) {
        assembly.add(properties, "properties", new JsonObject().put(family.configSection(), own), owner, CORE);
      }
      for (RetainedTable table : family.retainedTables()) {
        RetainedTable.Period period = table.period();
        if (period == null) {
          familyPeriods.put(family.name(), period(IngressConfig.Retention.FAMILY_DEFAULT_SECONDS,
              "The rows of the " + family.name() + " family's tables."));
        } else {
          assembly.add(retention, "retention", new JsonObject().put(period.key(), period(period.defaultSeconds(),
              "The rows of " + table.table() + " (the " + family.name() + " family).")), owner, CORE);
        }
      }
    }
    return schema;
  }

  private static JsonObject period(int defaultSeconds, String description) {
    return new JsonObject().put("description", description).put("$ref", "#/$defs/retentionPeriod").put("default", defaultSeconds);
  }

  /** {@code families.<name>}: the core's keys with the family's defaults, and the family's own keys beside them. */
  private static JsonObject familyEntry(EndpointFamily family, JsonObject own, JsonObject core, JsonAssembly assembly) {
    JsonObject coreKeys = core.getJsonObject("properties");
    boolean coreDefaults = coreKeys.getJsonObject("enabled").getValue("default").equals(family.enabledByDefault())
        && coreKeys.getJsonObject("auth").getValue("default").equals(family.defaultAuth());
    if (own.isEmpty() && coreDefaults) {
      return new JsonObject().put("$ref", FAMILY);
    }
    JsonObject entry = core.copy();
    JsonObject keys = entry.getJsonObject("properties");
    keys.getJsonObject("enabled").put("default", family.enabledByDefault());
    keys.getJsonObject("auth").put("default", family.defaultAuth());
    String owner = "family " + family.name();
    Object ownKeys = own.remove("properties");
    if (ownKeys instanceof JsonObject added) {
      assembly.add(keys, "families." + family.name() + ".properties", added, owner, CORE);
    }
    assembly.add(entry, "families." + family.name(), own, owner, CORE);
    return entry;
  }
}
