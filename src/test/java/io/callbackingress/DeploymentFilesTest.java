package io.callbackingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.config.ConfigLoader;
import io.callbackingress.config.IngressConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The deployment files agree with the README and with the configuration they run: the systemd
 * unit's JVM flags are the README's, and its stop timeout outlasts the drain of the shipped configs.
 */
class DeploymentFilesTest {

  private static final Path UNIT = Path.of("conf/deploy/callback-ingress.service");
  /** What the JVM needs beyond the drain to stop: the shutdown hook's last steps and the exit. */
  private static final int STOP_MARGIN_SECONDS = 5;

  @Test
  void theUnitRunsTheJarWithTheReadmesFlagsAsItsOwnUser() throws IOException {
    Map<String, String> unit = directives(Files.readString(UNIT));
    String execStart = unit.get("ExecStart");
    String jvmFlags = execStart.substring("/usr/bin/java ".length(), execStart.indexOf(" -jar "));
    assertTrue(jvmFlags.contains("-XX:+ExitOnOutOfMemoryError"), jvmFlags);
    assertTrue(Files.readString(Path.of("README.md")).contains("`java " + jvmFlags + " -jar callback-ingress.jar"),
        "the README recommends the unit's flags: " + jvmFlags);
    assertTrue(execStart.endsWith("-jar /opt/callback-ingress/callback-ingress.jar -conf /etc/callback-ingress/config.json"), execStart);
    assertEquals("callback-ingress", unit.get("User"));
    assertEquals(Integer.toString(Main.REFUSED), unit.get("RestartPreventExitStatus"),
        "a refused configuration (SPEC 11a) is not restarted");
  }

  @Test
  void theStopTimeoutOutlastsTheDrainOfEveryShippedConfig() throws IOException {
    int timeout = Integer.parseInt(directives(Files.readString(UNIT)).get("TimeoutStopSec"));
    for (String shipped : List.of("conf/config.json", "conf/production.example.json")) {
      IngressConfig.Shutdown shutdown = ConfigLoader.load(new String[] {"-conf", shipped}, Map.of()).shutdown();
      int drain = shutdown.readinessDelaySeconds() + shutdown.graceSeconds();
      assertTrue(timeout >= drain + STOP_MARGIN_SECONDS, shipped + ": drain " + drain + " s, TimeoutStopSec " + timeout);
    }
  }

  @Test
  void theImageChecksLivenessAndExitsOnOutOfMemory() throws IOException {
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    assertTrue(dockerfile.contains("/health/live\" || exit 1"), "HEALTHCHECK on /health/live");
    assertTrue(dockerfile.contains("\"-XX:+ExitOnOutOfMemoryError\""));
    assertTrue(dockerfile.contains("COPY conf/config.json conf/config.schema.json /app/conf/"));
  }

  /** Key=value lines of a unit file, continuation lines joined. */
  private static Map<String, String> directives(String unit) {
    Map<String, String> directives = new LinkedHashMap<>();
    for (String line : unit.replaceAll("\\s*\\\\\n\\s*", " ").split("\n")) {
      int equals = line.indexOf('=');
      if (!line.startsWith("#") && !line.startsWith("[") && equals > 0) {
        directives.put(line.substring(0, equals), line.substring(equals + 1).trim());
      }
    }
    return directives;
  }
}
