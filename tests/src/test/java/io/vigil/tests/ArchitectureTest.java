package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module picture of docs/ARCHITECTURE.md, checked on the main sources of every module: no package cycle (through
 * imports and through fully qualified names in code alike), and no module reaching what it must not depend on.
 */
class ArchitectureTest {
    /** The modules whose main sources ship, and where they are. */
    static final List<String> MODULES = List.of("video-io", "spatiotemporal", "models", "events", "flink-jobs", "deploy", "lab");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    /** A reference to a Vigil type: an import or a qualified name in code, package = the lower-case part. */
    private static final Pattern VIGIL_TYPE = Pattern.compile("\\b(io\\.vigil(?:\\.[a-z]\\w*)+)\\.[A-Z]");
    private static final Pattern ANY_IMPORT = Pattern.compile("^import (?:static )?([\\w.]+);", Pattern.MULTILINE);

    record Source(String module, String pkg, Path file, String code, List<String> imports) {}

    static Path home() {
        String h = System.getProperty("vigil.home");
        if (h == null) throw new IllegalStateException("system property vigil.home is not set (the build sets it to the project root)");
        return Path.of(h);
    }

    /** The code without comments and string literals, so a javadoc {@code io.vigil...} or a message is not a dependency. */
    static String code(String src) {
        String s = src.replaceAll("(?s)/\\*.*?\\*/", " ");
        s = s.replaceAll("//[^\\n]*", " ");
        s = s.replaceAll("\"(?:\\\\.|[^\"\\\\\\n])*\"", "\"\"");
        return s;
    }

    static List<Source> sources() {
        List<Source> out = new ArrayList<>();
        for (String m : MODULES) {
            Path dir = home().resolve(m).resolve("src/main/java");
            assertTrue(Files.isDirectory(dir), "module sources missing: " + dir);
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String src = Files.readString(f);
                    Matcher pm = PACKAGE.matcher(src);
                    assertTrue(pm.find(), f + " has no package");
                    List<String> imports = new ArrayList<>();
                    Matcher im = ANY_IMPORT.matcher(src);
                    while (im.find()) imports.add(im.group(1));
                    out.add(new Source(m, pm.group(1), f, code(src), imports));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    static Map<String, Set<String>> packageGraph(List<Source> sources) {
        Map<String, Set<String>> g = new TreeMap<>();
        for (Source s : sources) {
            Set<String> deps = g.computeIfAbsent(s.pkg(), k -> new TreeSet<>());
            Matcher m = VIGIL_TYPE.matcher(s.code());
            while (m.find()) if (!m.group(1).equals(s.pkg())) deps.add(m.group(1));
        }
        // a name like io.vigil.models.runtime.ExecutionProvider.Kind is found as package io.vigil.models.runtime: only
        // packages that exist count, the rest were nested names
        for (Set<String> deps : g.values()) deps.retainAll(g.keySet());
        return g;
    }

    /** The packages on a cycle, each with one way round it. */
    static List<String> cycles(Map<String, Set<String>> g) {
        List<String> cycles = new ArrayList<>();
        for (String start : g.keySet()) {
            List<String> path = findPath(g, start, start, new TreeSet<>());
            if (path != null) cycles.add(String.join(" -> ", path));
        }
        return cycles;
    }

    private static List<String> findPath(Map<String, Set<String>> g, String from, String to, Set<String> seen) {
        for (String next : g.getOrDefault(from, Set.of())) {
            if (next.equals(to)) return new ArrayList<>(List.of(from, to));
            if (!seen.add(next)) continue;
            List<String> rest = findPath(g, next, to, seen);
            if (rest != null) {
                rest.add(0, from);
                return rest;
            }
        }
        return null;
    }

    @Test
    void noPackageCycleInAnyModuleThroughImportsOrQualifiedNames() {
        Map<String, Set<String>> g = packageGraph(sources());
        assertTrue(g.size() >= 40, "read every module's packages: " + g.keySet());
        assertEquals(List.of(), cycles(g), "packages on a cycle");
    }

    @Test
    void theCycleCheckSeesQualifiedNames() {
        // the models cycle of issue 26 ran through a fully qualified name, which a check of imports alone missed
        Map<String, Set<String>> g = new TreeMap<>();
        String a = code("package io.vigil.a;\nclass A { io.vigil.b.B b; String s = \"io.vigil.c.C\"; /* io.vigil.c.C */ }");
        String b = code("package io.vigil.b;\nimport io.vigil.a.A;\nclass B {}");
        assertTrue(VIGIL_TYPE.matcher(a).find());
        List<Source> src = List.of(new Source("x", "io.vigil.a", Path.of("A.java"), a, List.of()),
                new Source("x", "io.vigil.b", Path.of("B.java"), b, List.of()), new Source("x", "io.vigil.c", Path.of("C.java"), "", List.of()));
        g = packageGraph(src);
        assertEquals(Set.of("io.vigil.b"), g.get("io.vigil.a"), "the name in code counts, the string and the comment do not");
        assertEquals(List.of("io.vigil.a -> io.vigil.b -> io.vigil.a", "io.vigil.b -> io.vigil.a -> io.vigil.b"), cycles(g));
    }

    /** What each module must not depend on (DESIGN.md's table, the contracts and the lab): package prefixes. */
    static final Map<String, List<String>> FORBIDDEN = Map.of(
            "video-io", List.of("org.apache.flink", "ai.onnxruntime", "io.vigil.spatiotemporal", "io.vigil.models", "io.vigil.events", "io.vigil.flink", "io.vigil.deploy", "io.vigil.lab"),
            "spatiotemporal", List.of("org.apache.flink", "org.apache.kafka", "ai.onnxruntime", "org.bytedeco", "io.vigil.video", "io.vigil.models", "io.vigil.events", "io.vigil.flink", "io.vigil.deploy", "io.vigil.lab"),
            "models", List.of("org.apache.flink", "org.apache.kafka", "io.vigil.events", "io.vigil.flink", "io.vigil.deploy", "io.vigil.lab"),
            "events", List.of("org.apache.flink", "ai.onnxruntime", "org.bytedeco", "io.vigil.models", "io.vigil.spatiotemporal", "io.vigil.flink", "io.vigil.deploy", "io.vigil.lab"),
            "flink-jobs", List.of("org.bytedeco", "ai.onnxruntime", "io.vigil.deploy", "io.vigil.lab"),
            "deploy", List.of("io.vigil.lab"),
            "lab", List.of());

    @Test
    void noModuleReachesWhatItMustNotDependOn() {
        List<String> wrong = new ArrayList<>();
        for (Source s : sources()) {
            List<String> names = new ArrayList<>(s.imports());
            Matcher m = Pattern.compile("\\b((?:org\\.apache\\.flink|org\\.apache\\.kafka|ai\\.onnxruntime|org\\.bytedeco|io\\.vigil)(?:\\.[a-z]\\w*)+)\\.[A-Z]").matcher(s.code());
            while (m.find()) names.add(m.group(1));
            for (String n : names) {
                for (String bad : FORBIDDEN.get(s.module())) {
                    if (n.equals(bad) || n.startsWith(bad + ".")) wrong.add(s.module() + ": " + home().relativize(s.file()) + " uses " + n);
                }
            }
        }
        assertEquals(List.of(), wrong.stream().distinct().toList());
    }

    /** The job's event package depends on no stage of the job: only on the per-stage CPU counters every stage shares. */
    @Test
    void theJobsEventPackageDependsOnNoStage() {
        Map<String, Set<String>> g = packageGraph(sources());
        Set<String> flinkDeps = new TreeSet<>(g.get("io.vigil.flink.event"));
        flinkDeps.removeIf(p -> !p.startsWith("io.vigil.flink"));
        flinkDeps.remove("io.vigil.flink.metrics");
        assertEquals(Set.of(), flinkDeps);
        assertTrue(g.get("io.vigil.flink.metrics").stream().noneMatch(p -> p.startsWith("io.vigil")), "metrics depends on nothing of Vigil");
    }

    @Test
    void everyPackageIsOnTheArchitecturePage() throws IOException {
        String page = Files.readString(home().resolve("docs/ARCHITECTURE.md"));
        List<String> missing = sources().stream().map(Source::pkg).distinct().sorted().filter(p -> !page.contains("`" + p + "`")).toList();
        assertEquals(List.of(), missing, "packages docs/ARCHITECTURE.md does not list");
        for (String m : MODULES) assertTrue(page.contains("| `" + m + "` |"), "module " + m + " is not in the page's tables");
    }
}
