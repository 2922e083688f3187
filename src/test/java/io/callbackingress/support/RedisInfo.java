package io.callbackingress.support;

/** Reading Redis's INFO replies, for tests that watch replication and failover. */
public final class RedisInfo {

  private RedisInfo() {}

  /** The rest of the line of {@code section}'s INFO at {@code uri} that starts with {@code name}, or null. */
  public static String field(String uri, String section, String name) {
    return field(RedisCommand.bulk(uri, "INFO", section), name);
  }

  /** The master at {@code masterUri} has a replica online that has acknowledged everything it wrote. */
  public static boolean replicaCaughtUp(String masterUri) {
    String replication = RedisCommand.bulk(masterUri, "INFO", "replication");
    String replica = field(replication, "slave0:");
    return replica != null && replica.contains("state=online")
        && replica.contains("offset=" + field(replication, "master_repl_offset:") + ",");
  }

  private static String field(String info, String name) {
    return info.lines()
        .filter(line -> line.startsWith(name))
        .map(line -> line.substring(name.length()))
        .findFirst()
        .orElse(null);
  }
}
