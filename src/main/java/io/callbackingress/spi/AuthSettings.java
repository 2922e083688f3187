package io.callbackingress.spi;

import java.util.List;
import java.util.Map;

/**
 * What an {@link AuthProvider} may read when it builds the authenticator of one family.
 *
 * @param family the family's name, as refusals name its keys ({@code families.<family>.auth})
 * @param allowedIdentities {@code families.<family>.allowedIdentities}
 * @param tokensEnv {@code auth.tokensEnv}: the variable that holds the internal tokens
 * @param clientCertificates whether a verified client certificate can arrive at all
 *     ({@code tls.enabled} and a {@code tls.clientAuth} other than {@code none})
 * @param env the environment the secrets named by {@code *Env} keys live in
 */
public record AuthSettings(String family, List<String> allowedIdentities, String tokensEnv, boolean clientCertificates,
                           Map<String, String> env) {}
