package io.callbackingress.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The shape issue 12 asked for, read from the compiled product: a plugin compiles against
 * {@code io.callbackingress.spi} alone, the core depends on spi and never the reverse, and no two
 * packages depend on each other.
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
