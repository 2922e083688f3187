package io.callbackingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.PluginJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 21: the SPI jar is all of ours a plugin compiles against — the contract and the author's
 * toolkit, nothing of the core — so a plugin that imports a core class does not compile.
 * {@link ExamplePluginIT} shows the other half: a plugin that keeps to it compiles and runs beside
 * the fat jar.
 */
class SpiJarIT {

  private static final String SPI = "io/callbackingress/spi/";
  private static final Path COMPILED = Path.of("target/classes");

  @Test
  void itHoldsEveryClassOfTheSpiPackagesAndNoOtherClass() throws IOException {
    Set<String> entries;
    try (JarFile jar = new JarFile(System.getProperty("spi.jar"))) {
      entries = jar.stream().filter(entry -> !entry.isDirectory()).map(ZipEntry::getName).collect(Collectors.toSet());
    }

    assertEquals(Set.of(), entries.stream().filter(name -> !name.startsWith(SPI) && !name.startsWith("META-INF/"))
        .collect(Collectors.toSet()), "entries outside the SPI packages");
    assertEquals(compiledSpiClasses(), entries.stream().filter(name -> name.startsWith(SPI)).collect(Collectors.toSet()));
  }

  private static Set<String> compiledSpiClasses() throws IOException {
    try (Stream<Path> files = Files.walk(COMPILED.resolve(SPI))) {
      Set<String> classes = files.filter(file -> file.toString().endsWith(".class"))
          .map(file -> COMPILED.relativize(file).toString().replace('\\', '/'))
          .collect(Collectors.toSet());
      assertTrue(classes.contains(SPI + "EndpointFamily.class") && classes.contains(SPI + "toolkit/JsonInput.class"),
          "the contract and the toolkit are compiled: " + classes);
      return classes;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"io.callbackingress.store.RecordCodec", "io.callbackingress.config.IngressConfig"})
  void aPluginThatImportsACoreClassDoesNotCompileAgainstIt(String coreClass, @TempDir Path dir) throws IOException {
    String corePackage = coreClass.substring(0, coreClass.lastIndexOf('.'));
    String simpleName = coreClass.substring(corePackage.length() + 1);

    PluginJar.Compilation keepsToTheSpi = compile(dir.resolve("keeps"), "", "");
    PluginJar.Compilation reachesIntoTheCore = compile(dir.resolve("reaches"), "import " + coreClass + ";",
        "Class<?> core = " + simpleName + ".class;");

    assertTrue(keepsToTheSpi.succeeded(), "the same family without the import: " + keepsToTheSpi.errors());
    assertFalse(reachesIntoTheCore.succeeded());
    assertTrue(reachesIntoTheCore.errors().contains("package " + corePackage + " does not exist"),
        String.valueOf(reachesIntoTheCore.errors()));
  }

  /** A family of one empty route list, with {@code coreImport} and {@code coreUse} spliced in. */
  private static PluginJar.Compilation compile(Path dir, String coreImport, String coreUse) throws IOException {
    Path source = dir.resolve("java/com/example/leaky/LeakyFamily.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, """
        package com.example.leaky;

        import io.callbackingress.spi.Endpoint;
        import io.callbackingress.spi.EndpointFamily;
        import io.callbackingress.spi.FamilyContext;
        import java.util.List;
        %s

        public final class LeakyFamily implements EndpointFamily {

          @Override
          public String name() {
            return "leaky";
          }

          @Override
          public List<Endpoint> endpoints(FamilyContext context) {
            %s
            return List.of();
          }
        }
        """.formatted(coreImport, coreUse));
    return PluginJar.compile(dir.resolve("java"), Files.createDirectories(dir.resolve("classes")));
  }
}
