package io.callbackingress.support;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Builds a plugin jar from sources kept outside the test class path ({@code java/} and
 * {@code resources/} under one directory), compiled as a plugin author compiles one: against the
 * SPI jar and the third-party APIs its signatures use ({@code spi.jar} and {@code plugin.api}, which
 * the pom sets for failsafe), neither the shipped jar nor our classes — so a plugin that reaches for
 * anything the SPI does not export fails here.
 */
public final class PluginJar {

  private PluginJar() {}

  /** What javac made of a plugin's sources: whether they compiled, and each error's message. */
  public record Compilation(boolean succeeded, List<String> errors) {}

  /** Compiles {@code sources/java} with {@code sources/resources} into {@code jar}; returns it. */
  public static Path build(Path sources, Path jar) throws IOException {
    Path classes = Files.createTempDirectory("plugin-classes");
    Compilation compilation = compile(sources.resolve("java"), classes);
    if (!compilation.succeeded()) {
      throw new AssertionError("the plugin does not compile against the SPI jar: " + compilation.errors());
    }
    Files.createDirectories(jar.getParent());
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      Set<String> directories = new HashSet<>();
      add(out, classes, directories);
      add(out, sources.resolve("resources"), directories);
    }
    return jar;
  }

  /** Compiles every {@code .java} file under {@code javaSources} into {@code classes}, against what a plugin has. */
  public static Compilation compile(Path javaSources, Path classes) throws IOException {
    List<Path> javaFiles;
    try (Stream<Path> files = Files.walk(javaSources)) {
      javaFiles = files.filter(file -> file.toString().endsWith(".java")).toList();
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      boolean succeeded = compiler.getTask(null, fileManager, diagnostics,
          List.of("--release", "17", "-classpath", pluginClassPath(), "-d", classes.toString()), null,
          fileManager.getJavaFileObjectsFromPaths(javaFiles)).call();
      return new Compilation(succeeded, diagnostics.getDiagnostics().stream()
          .filter(diagnostic -> diagnostic.getKind() == Diagnostic.Kind.ERROR)
          .map(diagnostic -> diagnostic.getMessage(Locale.ROOT))
          .toList());
    }
  }

  /** The SPI jar, then the third-party jars a plugin declares {@code provided} (README). */
  private static String pluginClassPath() {
    return property("spi.jar") + File.pathSeparator + property("plugin.api");
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new IllegalStateException(name + " is not set: the pom sets it for the failsafe tests");
    }
    return value;
  }

  /**
   * Directories get entries of their own, as the jar tool writes them: a class loader finds a
   * directory of a jar (Flyway's {@code classpath:db/<name>}) only through its entry. A package
   * holding both classes and resources (the family's fragments beside it) gets its entry once.
   */
  private static void add(JarOutputStream out, Path root, Set<String> directories) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(file -> !file.equals(root)).forEach(file -> {
        String name = root.relativize(file).toString().replace('\\', '/');
        try {
          if (Files.isDirectory(file)) {
            if (!directories.add(name)) {
              return;
            }
            out.putNextEntry(new JarEntry(name + "/"));
          } else {
            out.putNextEntry(new JarEntry(name));
            Files.copy(file, (OutputStream) out);
          }
          out.closeEntry();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
