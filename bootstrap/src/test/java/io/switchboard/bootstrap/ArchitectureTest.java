package io.switchboard.bootstrap;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMembers;

/** The hexagon's walls: a pure core, and adapters that do not know each other. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.switchboard");
    }

    @Test
    void coreIsFreeOfFrameworksDatabasesAndJson() {
        noClasses().that().resideInAnyPackage("io.switchboard.domain..", "io.switchboard.application..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.helidon..", "jakarta..", "java.sql..", "javax.sql..", "com.fasterxml..")
                .check(classes);
    }

    @Test
    void domainDoesNotDependOnApplication() {
        noClasses().that().resideInAPackage("io.switchboard.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("io.switchboard.application..", "io.switchboard.adapters..",
                        "io.switchboard.bootstrap..")
                .check(classes);
    }

    @Test
    void applicationDoesNotDependOnAdaptersOrBootstrap() {
        noClasses().that().resideInAPackage("io.switchboard.application..")
                .should().dependOnClassesThat().resideInAnyPackage("io.switchboard.adapters..", "io.switchboard.bootstrap..")
                .check(classes);
    }

    @Test
    void adaptersAreIndependentOfEachOther() {
        SlicesRuleDefinition.slices().matching("io.switchboard.adapters.(*)..")
                .should().notDependOnEachOther()
                .check(classes);
    }

    /**
     * The core's packages form layers without cycles: the ports and the values they carry
     * ({@code port}) and JSON text helpers ({@code json}) at the bottom, the delivery engine ({@code hub})
     * above them, access, audit, stats, limits, dialects and the use cases above it.
     */
    @Test
    void noPackageCyclesInTheCore() {
        SlicesRuleDefinition.slices().matching("io.switchboard.application.(*)..")
                .should().beFreeOfCycles()
                .check(classes);
    }

    /** The ports, and what they carry, depend on the domain alone (and on JSON text helpers). */
    @Test
    void portsDependOnTheDomainOnly() {
        classes().that().resideInAPackage("io.switchboard.application.port..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.switchboard.application.port..",
                        "io.switchboard.application.json..", "io.switchboard.domain..", "java..")
                .check(classes);
    }

    @Test
    void adaptersDoNotReachIntoBootstrap() {
        noClasses().that().resideInAPackage("io.switchboard.adapters..")
                .should().dependOnClassesThat().resideInAPackage("io.switchboard.bootstrap..")
                .check(classes);
    }

    @Test
    void useCasePortsAreInterfacesOrRecordsOrExceptions() {
        classes().that().resideInAPackage("io.switchboard.application.port.out")
                .should().beInterfaces().orShould().beRecords()
                .check(classes);
    }

    /** Adapters that clients and backends call in through drive the core by its use cases and services, never by its outgoing ports. */
    @Test
    void inboundAdaptersDoNotUseOutgoingPorts() {
        noClasses().that().resideInAnyPackage("io.switchboard.adapters.websocket..", "io.switchboard.adapters.sse..",
                        "io.switchboard.adapters.http..")
                .should().dependOnClassesThat().resideInAPackage("io.switchboard.application.port.out..")
                .check(classes);
    }

    /**
     * The core decides and says why in its own words (e.g. {@code RefusalReason}); only transports know HTTP
     * statuses: nothing in the core has a member named for one.
     */
    @Test
    void noHttpStatusInTheCore() {
        noMembers().that().areDeclaredInClassesThat().resideInAnyPackage("io.switchboard.domain..", "io.switchboard.application..")
                .should().haveNameMatching("(?i).*(status|httpcode).*")
                .check(classes);
    }

    /**
     * No main source reaches into another library's private or final fields: a JDK that enforces final
     * fields (JEP 500) or a new library version breaks such code silently, so the hub uses public API only.
     */
    @Test
    void noReflectionIntoPrivateState() {
        noClasses().should().callMethodWhere(JavaCall.Predicates.target(HasName.Predicates.nameMatching(
                        "setAccessible|trySetAccessible|getDeclaredField|getDeclaredFields|privateLookupIn")))
                .orShould().dependOnClassesThat().haveFullyQualifiedName("sun.misc.Unsafe")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("jdk.internal.misc.Unsafe")
                .because("private and final fields of Helidon and the JDK are not the hub's to change (docs/operations.md)")
                .check(classes);
    }
}
