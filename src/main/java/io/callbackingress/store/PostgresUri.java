package io.callbackingress.store;

import io.callbackingress.spi.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code postgres.uri} in libpq's form, several hosts included
 * ({@code postgresql://user@h1:5432,h2:5432/db?target_session_attrs=read-write}), taken apart into
 * one single-host URI per host — the form the Vert.x client parses — and the session attributes
 * the ingress asks of the host it writes to.
 */
record PostgresUri(List<String> hostUris, boolean writableOnly) {

  private static final String TARGET_SESSION_ATTRS = "target_session_attrs";

  static PostgresUri parse(String uri) {
    int schemeEnd = uri.indexOf("://");
    if (schemeEnd < 0) {
      throw new ConfigException("postgres.uri", "is not a valid connection URI");
    }
    int authorityStart = schemeEnd + 3;
    int authorityEnd = firstOf(uri, authorityStart, '/', '?');
    String authority = uri.substring(authorityStart, authorityEnd);
    int at = authority.lastIndexOf('@');
    String userInfo = authority.substring(0, at + 1);
    String[] hosts = authority.substring(at + 1).split(",", -1);

    String rest = uri.substring(authorityEnd);
    int query = rest.indexOf('?');
    String path = query < 0 ? rest : rest.substring(0, query);
    List<String> parameters = new ArrayList<>();
    String targetSessionAttrs = hosts.length > 1 ? "read-write" : "any";
    if (query >= 0) {
      for (String parameter : rest.substring(query + 1).split("&")) {
        if (parameter.toLowerCase().startsWith(TARGET_SESSION_ATTRS + "=")) {
          targetSessionAttrs = parameter.substring(TARGET_SESSION_ATTRS.length() + 1);
        } else if (!parameter.isEmpty()) {
          parameters.add(parameter);
        }
      }
    }
    if (!targetSessionAttrs.equals("any") && !targetSessionAttrs.equals("read-write")) {
      throw new ConfigException("postgres.uri", "target_session_attrs must be any or read-write, not " + targetSessionAttrs);
    }
    String suffix = path + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters));
    List<String> hostUris = new ArrayList<>(hosts.length);
    for (String host : hosts) {
      if (host.isEmpty()) {
        throw new ConfigException("postgres.uri", "names an empty host");
      }
      hostUris.add(uri.substring(0, authorityStart) + userInfo + host + suffix);
    }
    return new PostgresUri(List.copyOf(hostUris), targetSessionAttrs.equals("read-write"));
  }

  private static int firstOf(String text, int from, char a, char b) {
    for (int i = from; i < text.length(); i++) {
      if (text.charAt(i) == a || text.charAt(i) == b) {
        return i;
      }
    }
    return text.length();
  }
}
