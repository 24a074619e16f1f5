package dev.fusebox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules that keep the code readable and the API boundary real, checked over every module of
 * the repository (this test runs in the command's module, which sees the others):
 * {@code dev.fusebox.internal} is the core's own, no constructor takes more than five
 * arguments, no main source file is over 400 lines.
 */
class ArchitectureTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> LIBRARIES = List.of("fusebox-core", "fusebox-store-jdbc", "fusebox-micrometer",
            "fusebox-admin", "fusebox-notify", "fusebox-integrations");

    @TempDir
    Path tmp;

    @Test
    void noMainSourceFileIsOverFourHundredLines() throws IOException {
        List<String> long_ = new ArrayList<>();
        for (Path file : mainSources()) {
            long lines = Files.lines(file).count();
            if (lines > 400) {
                long_.add(ROOT.relativize(file) + " (" + lines + " lines)");
            }
        }
        assertThat(long_).isEmpty();
    }

    @Test
    void noModuleButTheCoreImportsItsInternals() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path file : mainSources()) {
            if (!file.startsWith(ROOT.resolve("fusebox-core")) && Files.readString(file)
                    .contains("import dev.fusebox.internal.")) {
                offenders.add(ROOT.relativize(file).toString());
            }
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void noConstructorTakesMoreThanFiveArguments() throws Exception {
        List<String> offenders = new ArrayList<>();
        int checked = 0;
        for (String module : List.of("fusebox-core", "fusebox-store-jdbc", "fusebox-micrometer", "fusebox-admin",
                "fusebox-notify", "fusebox-integrations", "fusebox-cli")) {
            Path classes = ROOT.resolve(module).resolve("target/classes");
            assertThat(classes).as("built before this test").isDirectory();
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                    if (name.equals("module-info")) {
                        continue;
                    }
                    Class<?> type = Class.forName(name, false, getClass().getClassLoader());
                    if (type.isAnonymousClass() || type.isSynthetic() || type.isLocalClass()) {
                        continue;
                    }
                    for (Constructor<?> c : type.getDeclaredConstructors()) {
                        checked++;
                        if (!c.isSynthetic() && arguments(type, c) > 5) {
                            offenders.add(c.toString());
                        }
                    }
                }
            }
        }
        assertThat(checked).as("constructors looked at").isGreaterThan(150);
        assertThat(offenders).isEmpty();
    }

    /** Arguments a reader writes: without the outer instance of an inner class or an enum's name and ordinal. */
    private static int arguments(Class<?> type, Constructor<?> c) {
        int n = c.getParameterCount();
        if (type.isEnum()) {
            n -= 2;
        } else if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
            n -= 1;
        }
        return n;
    }

    @Test
    void everyLibraryHasAModuleDescriptorAndTheCoreExportsOnlyItsApi() throws IOException {
        for (String module : LIBRARIES) {
            assertThat(ROOT.resolve(module).resolve("src/main/java/module-info.java")).as(module).isRegularFile();
        }
        try (InputStream in = Files.newInputStream(ROOT.resolve("fusebox-core/target/classes/module-info.class"))) {
            ModuleDescriptor core = ModuleDescriptor.read(in);
            assertThat(core.name()).isEqualTo("dev.fusebox.core");
            assertThat(core.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                    .isEqualTo(Set.of("dev.fusebox", "dev.fusebox.event", "dev.fusebox.spi"));
            assertThat(core.requires().stream().filter(r -> !r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
                    .map(ModuleDescriptor.Requires::name)).as("no third-party module at run time")
                    .allMatch(name -> name.startsWith("java.") || name.startsWith("jdk."));
        }
    }

    @Test
    void aModuleThatImportsTheCoresInternalsDoesNotCompile() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src/consumer/dev/example"));
        Files.writeString(tmp.resolve("src/consumer/module-info.java"),
                "module consumer { requires dev.fusebox.core; }");
        Files.writeString(src.resolve("Uses.java"), "package dev.example;\n"
                + "class Uses { dev.fusebox.CircuitBreakerRegistry api; dev.fusebox.internal.BreakerCore engine; }\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean compiled = javac.getTask(diagnostics, null, null, List.of("--module-path",
                        ROOT.resolve("fusebox-core/target/classes").toString(), "-d", tmp.resolve("out").toString(),
                        "--module-source-path", tmp.resolve("src").toString(), "--module", "consumer"),
                null, null).call();

        assertThat(compiled).isFalse();
        assertThat(diagnostics.toString()).as("the API is visible, the internals are not")
                .contains("package dev.fusebox.internal is not visible", "which does not export it", "1 error");
    }

    private static List<Path> mainSources() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            List<Path> sources = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> ROOT.relativize(f).toString().matches("fusebox-[a-z-]+/src/main/java/.*"))
                    .toList();
            assertThat(sources).as("main sources found under " + ROOT).hasSizeGreaterThan(100);
            return sources;
        }
    }
}
