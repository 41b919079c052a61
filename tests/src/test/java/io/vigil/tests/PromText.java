package io.vigil.tests;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4 (what Flink's reporter and Vigil's own /metrics serve):
 * {@code # HELP} / {@code # TYPE} lines and samples {@code name{label="value",...} value [timestamp]}, label values with
 * the format's escapes (\\, \", \n), values including NaN and +/-Inf. Anything else is an error naming the line, so a
 * malformed exposition fails the test that reads it. (The Prometheus Java client writes the format but has no parser.)
 */
final class PromText {
    record Sample(String name, Map<String, String> labels, double value) {}

    final List<Sample> samples = new ArrayList<>();
    final Map<String, String> types = new LinkedHashMap<>();

    static PromText parse(String text) {
        PromText p = new PromText();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) continue;
            try {
                p.line(line);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + n + ": " + e.getMessage() + ": " + line, e);
            }
        }
        return p;
    }

    private void line(String line) {
        if (line.startsWith("#")) {
            String[] t = line.split(" ", 4);
            if (t.length >= 4 && t[1].equals("TYPE")) {
                if (!t[3].matches("counter|gauge|summary|histogram|untyped")) throw new IllegalArgumentException("unknown type " + t[3]);
                if (types.put(name(t[2]), t[3]) != null) throw new IllegalArgumentException("a second TYPE for " + t[2]);
            } else if (t.length >= 3 && t[1].equals("HELP")) {
                name(t[2]);
            }
            return; // other comments are allowed
        }
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') i++;
        String name = name(line.substring(0, i));
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq);
                if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) throw new IllegalArgumentException("bad label name '" + label + "'");
                if (line.charAt(eq + 1) != '"') throw new IllegalArgumentException("label value not quoted");
                StringBuilder v = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char e = line.charAt(++j);
                        v.append(switch (e) {
                            case '\\' -> '\\';
                            case '"' -> '"';
                            case 'n' -> '\n';
                            default -> throw new IllegalArgumentException("bad escape \\" + e);
                        });
                    } else {
                        v.append(c);
                    }
                }
                if (labels.put(label, v.toString()) != null) throw new IllegalArgumentException("label " + label + " twice");
                i = j + 1;
                if (line.charAt(i) == ',') i++;
                else if (line.charAt(i) != '}') throw new IllegalArgumentException("expected , or } at " + i);
            }
            i++;
        }
        String[] rest = line.substring(i).trim().split(" +");
        if (rest.length < 1 || rest.length > 2) throw new IllegalArgumentException("expected a value and an optional timestamp");
        double value = switch (rest[0]) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(rest[0]);
        };
        if (rest.length == 2) Long.parseLong(rest[1]);
        samples.add(new Sample(name, labels, value));
    }

    private static String name(String s) {
        if (!s.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) throw new IllegalArgumentException("bad metric name '" + s + "'");
        return s;
    }

    /** The sample of this name whose labels include all of {@code labels}, when exactly one does. */
    Optional<Double> value(String name, Map<String, String> labels) {
        List<Sample> hits = samples.stream().filter(s -> s.name.equals(name) && s.labels.entrySet().containsAll(labels.entrySet())).toList();
        if (hits.size() > 1) throw new IllegalStateException(hits.size() + " samples of " + name + " match " + labels + ": " + hits);
        return hits.isEmpty() ? Optional.empty() : Optional.of(hits.get(0).value);
    }

    java.util.Set<String> names() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (Sample s : samples) out.add(s.name);
        return out;
    }

    java.util.Set<String> labelValues(String name, String label) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (Sample s : samples) if (s.name.equals(name) && s.labels.containsKey(label)) out.add(s.labels.get(label));
        return out;
    }
}
