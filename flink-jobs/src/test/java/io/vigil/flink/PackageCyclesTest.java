package io.vigil.flink;

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

/** The job's packages, read from the main sources' imports: no cycle, and the event package depends on no stage. */
class PackageCyclesTest {
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(io\\.vigil\\.flink(?:\\.[a-z]+)*)\\.[A-Z]", Pattern.MULTILINE);

    static Map<String, Set<String>> graph() {
        Map<String, Set<String>> g = new TreeMap<>();
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String src = Files.readString(f);
                Matcher pm = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE).matcher(src);
                assertTrue(pm.find(), f + " has no package");
                String pkg = pm.group(1);
                Set<String> deps = g.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = IMPORT.matcher(src);
                while (m.find()) if (!m.group(1).equals(pkg)) deps.add(m.group(1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return g;
    }

    @Test
    void noPackageCycle() {
        Map<String, Set<String>> g = graph();
        assertTrue(g.size() >= 8, "read the packages: " + g.keySet());
        List<String> cycles = new ArrayList<>();
        for (String start : g.keySet()) {
            // a package that reaches itself through its imports is on a cycle
            Set<String> seen = new TreeSet<>();
            List<String> todo = new ArrayList<>(g.get(start));
            while (!todo.isEmpty()) {
                String p = todo.remove(todo.size() - 1);
                if (p.equals(start)) {
                    cycles.add(start);
                    break;
                }
                if (seen.add(p)) todo.addAll(g.getOrDefault(p, Set.of()));
            }
        }
        assertEquals(List.of(), cycles, "packages on an import cycle; the graph: " + g);
    }

    @Test
    void theEventPackageDependsOnNoStage() {
        assertEquals(Set.of(), graph().get("io.vigil.flink.event"));
    }
}
