package io.callbackingress.family.webhooks;

import io.callbackingress.spi.ConfigSection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code webhooks} section (SPEC 11): the replay tolerance, the variables that hold each
 * built-in source's secrets, and the sources configured by scheme under {@code sources}.
 */
record WebhookSettings(int toleranceSeconds, String githubSecretsEnv, String discourseSecretsEnv,
                       String paymentSecretsEnv, Map<String, Source> sources) {

  record Source(String name, String scheme, String secretsEnv) {}

  static WebhookSettings read(ConfigSection n, Set<String> schemes) {
    int tolerance = n.integer("toleranceSeconds", 300, 1, 86_400);
    String github = secretsEnv(n.child("github"), "INGRESS_GITHUB_WEBHOOK_SECRETS");
    String discourse = secretsEnv(n.child("discourse"), "INGRESS_DISCOURSE_WEBHOOK_SECRETS");
    String payment = secretsEnv(n.child("payment_processor"), "INGRESS_PAYMENT_WEBHOOK_SECRETS");
    Map<String, Source> sources = new LinkedHashMap<>();
    ConfigSection s = n.child("sources");
    for (String name : n.childNames("sources", Set.of())) {
      ConfigSection source = s.child(name);
      sources.put(name, new Source(name, source.oneOf("scheme", "standard", schemes), source.requiredString("secretsEnv")));
      source.finish();
    }
    s.finish();
    return new WebhookSettings(tolerance, github, discourse, payment, Map.copyOf(sources));
  }

  private static String secretsEnv(ConfigSection n, String fallback) {
    String env = n.string("secretsEnv", fallback);
    n.finish();
    return env;
  }
}
