package io.callbackingress.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a plugin jar from sources kept outside the test class path ({@code java/} and
 * {@code resources/} under one directory), compiled against the shipped jar alone — exactly what a
 * plugin author has — so a plugin that reaches for anything the jar does not export fails here.
 */
public final class PluginJar {

  private PluginJar() {}

  /** Compiles {@code sources/java} with {@code sources/resources} into {@code jar}; returns it. */
  public static Path build(Path sources, Path jar) throws IOException {
    Path classes = Files.createTempDirectory("plugin-classes");
    List<String> javaFiles;
    try (Stream<Path> files = Files.walk(sources.resolve("java"))) {
      javaFiles = files.filter(file -> file.toString().endsWith(".java")).map(Path::toString).toList();
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    int status = compiler.run(null, null, null, Stream.concat(Stream.of("--release", "17", "-classpath",
        System.getProperty("ingress.jar"), "-d", classes.toString()), javaFiles.stream()).toArray(String[]::new));
    if (status != 0) {
      throw new AssertionError("the plugin does not compile against the shipped jar (javac exit " + status + ")");
    }
    Files.createDirectories(jar.getParent());
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      Set<String> directories = new HashSet<>();
      add(out, classes, directories);
      add(out, sources.resolve("resources"), directories);
    }
    return jar;
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
