package io.callbackingress.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The shape issue 12 asked for, read from the compiled product: a plugin compiles against
 * {@code io.callbackingress.spi} alone, the core depends on spi and never the reverse, and no two
 * packages depend on each other; and issue 21's: every family, built in or not, could be a plugin.
 */
class PackageDependenciesTest {

  private static final JavaClasses PRODUCT = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.callbackingress");

  @Test
  void spiDependsOnNothingElseOfOurs() {
    noClasses().that().resideInAPackage("io.callbackingress.spi..")
        .should().dependOnClassesThat(resideInAPackage("io.callbackingress..").and(not(resideInAPackage("io.callbackingress.spi.."))))
        .check(PRODUCT);
  }

  /** The contract stands alone: the author's toolkit builds on it, never the other way round. */
  @Test
  void theContractDoesNotDependOnTheToolkit() {
    noClasses().that().resideInAPackage("io.callbackingress.spi")
        .should().dependOnClassesThat().resideInAPackage("io.callbackingress.spi.toolkit..")
        .check(PRODUCT);
  }

  /**
   * A family could be a plugin, built against the SPI jar alone: besides the contract and its
   * toolkit it uses only the libraries the contract is written in — Vert.x, Jackson, the JDK — and
   * SLF4J, because a family must log what no reply carries (a LISTEN connection lost and regained,
   * a webhook refused for its signature, a stale callback ignored) through the API the jar binds
   * its logging to. Not Netty: nothing of Vert.x's API that a family uses hands one out. (A
   * compile-time constant of another package is inlined by javac and escapes this rule.)
   */
  @Test
  void aFamilyDependsOnlyOnTheSpiAndTheLibrariesOfTheContract() {
    classes().that().resideInAPackage("io.callbackingress.family..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("io.callbackingress.spi..", "io.callbackingress.family..",
            "io.vertx..", "com.fasterxml.jackson..", "java..", "org.slf4j..")
        .check(PRODUCT);
  }

  @Test
  void noFamilyDependsOnAnother() {
    slices().matching("io.callbackingress.family.(*)..").should().notDependOnEachOther().check(PRODUCT);
  }

  @Test
  void noPackageCycles() {
    slices().matching("io.callbackingress.(**)").should().beFreeOfCycles().check(PRODUCT);
  }

  /** The composition root ({@code Main}, {@code Ingress}) uses every package; none may use it back. */
  @Test
  void nothingDependsOnTheCompositionRoot() {
    noClasses().that().resideOutsideOfPackage("io.callbackingress")
        .should().dependOnClassesThat().resideInAPackage("io.callbackingress")
        .check(PRODUCT);
  }
}
