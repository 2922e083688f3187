package io.callbackingress;

import io.callbackingress.config.Implementations;
import io.callbackingress.config.IngressConfig;
import io.callbackingress.spi.AuthProvider;
import io.callbackingress.spi.AuthSettings;
import io.callbackingress.spi.Authenticator;
import io.callbackingress.spi.ConfigException;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.LiveChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The families {@code families.*} enables, each with its authenticator, and the write operations
 * they declare. Building them refuses what a running process would trip over later: a family not
 * on the class path, an auth provider or a token that is missing, a write operation that two
 * families declare or that the spool could not keep.
 *
 * @param byName the enabled families by name, in the order they were found
 */
record EnabledFamilies(Map<String, EndpointFamily> byName, Map<String, Authenticator> authenticators,
                       WriteOperations writeOperations) {

  static EnabledFamilies of(IngressConfig config, Map<String, String> env) {
    Map<String, EndpointFamily> byName = enabled(config);
    boolean clientCertificates = config.tls().enabled() && !config.tls().clientAuth().equals("none");
    Map<String, Authenticator> authenticators = new LinkedHashMap<>();
    for (String family : byName.keySet()) {
      IngressConfig.Family settings = config.family(family);
      AuthProvider provider = Implementations.named(AuthProvider.class, AuthProvider::name, settings.auth(),
          "families." + family + ".auth");
      authenticators.put(family, provider.create(new AuthSettings(family, settings.allowedIdentities(), config.tokensEnv(),
          clientCertificates, env)));
    }
    return new EnabledFamilies(byName, authenticators, WriteOperations.of(byName));
  }

  private static Map<String, EndpointFamily> enabled(IngressConfig config) {
    Map<String, EndpointFamily> enabled = new LinkedHashMap<>();
    config.families().forEach((name, settings) -> {
      if (!settings.enabled()) {
        return;
      }
      if (settings.implementation() == null) {
        throw new ConfigException("families." + name, "no EndpointFamily named \"" + name + "\" on the class path");
      }
      enabled.put(name, settings.implementation());
    });
    return enabled;
  }

  /** The live channels of every enabled family (SPEC 3.7). */
  List<LiveChannel> liveChannels() {
    return byName.values().stream().flatMap(family -> family.liveChannels().stream()).toList();
  }
}
