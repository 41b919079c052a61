package io.vigil.flink.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Reads a {@link JobConfig}: the shipped vigil.yaml (the defaults), then the user's {@code --config FILE}, then the flags,
 * merged key by key into one tree that Jackson maps onto the section records; then {@link JobConfig#validate}. The flags
 * are picocli options made from the records' {@link Setting}s, so a setting is declared once, as a record component.
 */
final class JobConfigParser {
    static final String DEFAULTS = "/io/vigil/flink/config/vigil.yaml";

    /** One setting: {@code section.name} in vigil.yaml, its flag and its record component. */
    record Key(String section, String name, Setting setting, RecordComponent component) {
        String path() {
            return section + "." + name;
        }

        boolean isList() {
            return List.class.isAssignableFrom(component.getType());
        }

        boolean isMap() {
            return Map.class.isAssignableFrom(component.getType());
        }
    }

    static final List<Key> KEYS = keys();
    private static final Map<String, Key> BY_PATH = KEYS.stream().collect(Collectors.toMap(Key::path, k -> k, (a, b) -> a, LinkedHashMap::new));
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(new SimpleModule().addDeserializer(Duration.class, new DurationText()));

    private JobConfigParser() {}

    static JobConfig parse(String[] args) {
        ParseResult pr;
        try {
            pr = new CommandLine(spec()).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + " (see --help)");
        }
        ObjectNode tree = defaults();
        Map<String, String> origin = new LinkedHashMap<>();
        String file = pr.matchedOptionValue("--config", (String) null);
        if (file != null) mergeFile(tree, Path.of(file), origin);
        boolean startFromGiven = pr.hasMatchedOption("--start-from");
        for (Key k : KEYS) {
            if (!pr.hasMatchedOption(k.setting().flag())) continue;
            ObjectNode section = (ObjectNode) tree.get(k.section());
            if (k.isMap()) {
                ObjectNode m = section.get(k.name()) instanceof ObjectNode o ? o : section.putObject(k.name());
                for (String kv : pr.matchedOptionValue(k.setting().flag(), List.<String>of())) {
                    int eq = kv.indexOf('=');
                    if (eq <= 0) throw new IllegalArgumentException(name(k.path()) + " takes KEY=VALUE, got '" + kv + "'");
                    m.put(kv.substring(0, eq).trim(), kv.substring(eq + 1));
                }
            } else {
                String v = pr.matchedOptionValue(k.setting().flag(), "");
                section.set(k.name(), value(k, v));
            }
            origin.put(k.path(), k.setting().flag());
        }
        if (pr.hasMatchedOption("--start-timestamp") && !startFromGiven) ((ObjectNode) tree.get("kafka")).put("startFrom", "timestamp");
        JobConfig c;
        try {
            c = YAML.treeToValue(tree, JobConfig.class);
        } catch (JsonMappingException e) {
            throw badValue(e, origin);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return c.validate();
    }

    static List<String> absolutePaths(List<String> args, Path cwd, Path outDir) {
        Map<String, Key> byFlag = new LinkedHashMap<>();
        for (Key k : KEYS) byFlag.put(k.setting().flag(), k);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            int eq = a.indexOf('=');
            String flag = a.startsWith("--") && eq > 0 ? a.substring(0, eq) : a;
            boolean inline = !flag.equals(a);
            boolean isConfig = flag.equals("--config");
            Key k = byFlag.get(flag);
            if (!isConfig && (k == null || !k.setting().path())) {
                out.add(a);
                continue;
            }
            String value = inline ? a.substring(eq + 1) : i + 1 < args.size() ? args.get(++i) : null;
            if (value == null) {
                out.add(a);
                continue;
            }
            String resolved = isConfig ? absoluteConfig(Path.of(value), cwd, outDir) : absolute(value, cwd, null);
            if (inline) out.add(flag + "=" + resolved);
            else {
                out.add(flag);
                out.add(resolved);
            }
        }
        return out;
    }

    private static String absolute(String value, Path cwd, Path alsoUnder) {
        if (value == null || value.isBlank()) return value;
        Path p = Path.of(value);
        if (p.isAbsolute()) return value;
        if (Files.exists(cwd.resolve(p))) return cwd.resolve(p).toAbsolutePath().normalize().toString();
        if (alsoUnder != null && Files.exists(alsoUnder.resolve(p))) return alsoUnder.resolve(p).toAbsolutePath().normalize().toString();
        return value;
    }

    private static String absoluteConfig(Path file, Path cwd, Path outDir) {
        Path f = file.isAbsolute() ? file : cwd.resolve(file);
        JsonNode tree;
        try {
            tree = YAML.readTree(Files.readAllBytes(f));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage());
        }
        if (tree instanceof ObjectNode root) {
            for (Key k : KEYS) {
                if (!k.setting().path() || !(root.get(k.section()) instanceof ObjectNode section)) continue;
                JsonNode v = section.get(k.name());
                if (v != null && v.isTextual()) section.put(k.name(), absolute(v.asText(), cwd, f.toAbsolutePath().getParent()));
            }
        }
        try {
            Files.createDirectories(outDir);
            Path out = outDir.resolve("submitted-" + System.currentTimeMillis() + "-" + f.getFileName());
            YAML.writeValue(out.toFile(), tree);
            return out.toAbsolutePath().toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the resolved config to " + outDir, e);
        }
    }

    /** {@code detect.batchSize (--batch-size)}: how every message names a setting. */
    static String name(String path) {
        Key k = BY_PATH.get(path);
        return k == null ? path : path + " (" + k.setting().flag() + ")";
    }

    /** The text of {@code --help}. */
    static String usage() {
        ObjectNode d = defaults();
        StringBuilder sb = new StringBuilder("Usage: VideoAnalyticsJob [--config vigil.yaml] [--FLAG VALUE]...\n")
                .append("Settings come from the shipped vigil.yaml (the defaults below), then --config FILE, then the flags.\n")
                .append(String.format("  %-38s %s%n", "--config FILE", "a vigil.yaml with any of the keys below; flags after it override it"));
        String section = null;
        for (Key k : KEYS) {
            if (!k.section().equals(section)) {
                section = k.section();
                sb.append(section).append(":\n");
            }
            JsonNode v = d.get(k.section()).get(k.name());
            String def = v == null || v.isNull() || (v.isContainerNode() && v.isEmpty()) ? "none" : v.isContainerNode() ? v.toString() : v.asText();
            sb.append(String.format("  %-38s %s [%s, default %s]%n", k.setting().flag() + " " + k.setting().label(), k.setting().doc(), k.path(), def));
        }
        return sb.toString();
    }

    /** The shipped vigil.yaml as a tree. */
    static ObjectNode defaults() {
        try (InputStream in = JobConfigParser.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) throw new IllegalStateException(DEFAULTS + " is missing from the job's jar");
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULTS, e);
        }
    }

    private static void mergeFile(ObjectNode tree, Path file, Map<String, String> origin) {
        JsonNode user;
        try {
            user = YAML.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        if (user == null || user.isNull() || user.isMissingNode()) return;
        if (!user.isObject()) throw new IllegalArgumentException(file + ": must be a map of sections (kafka, job, detect, ...)");
        for (Iterator<Map.Entry<String, JsonNode>> it = user.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> s = it.next();
            if (!tree.has(s.getKey())) {
                throw new IllegalArgumentException(file + ": unknown key '" + s.getKey() + "' (known here: " + String.join(", ", iterable(tree.fieldNames())) + ")");
            }
            if (s.getValue().isNull()) continue;
            if (!s.getValue().isObject()) throw new IllegalArgumentException(file + ": '" + s.getKey() + "' must be a map of settings");
            ObjectNode section = (ObjectNode) tree.get(s.getKey());
            for (Iterator<Map.Entry<String, JsonNode>> f = s.getValue().fields(); f.hasNext(); ) {
                Map.Entry<String, JsonNode> e = f.next();
                String path = s.getKey() + "." + e.getKey();
                if (!BY_PATH.containsKey(path)) {
                    throw new IllegalArgumentException(file + ": unknown key '" + path + "' (known here: "
                            + String.join(", ", iterable(section.fieldNames())) + ")");
                }
                section.set(e.getKey(), e.getValue());
                origin.put(path, file.toString());
            }
        }
    }

    private static JsonNode value(Key k, String v) {
        if (v.isBlank()) return NullNode.getInstance();
        if (k.isList()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            for (String part : v.split(",")) a.add(part.trim());
            return a;
        }
        return TextNode.valueOf(v.trim());
    }

    private static IllegalArgumentException badValue(JsonMappingException e, Map<String, String> origin) {
        String path = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        String[] parts = path.split("\\.");
        String key = parts.length >= 2 ? parts[0] + "." + parts[1].replaceAll("\\[.*", "") : path;
        String from = origin.getOrDefault(key, "vigil.yaml");
        if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object c : f.getTargetType().getEnumConstants()) names.add(((Enum<?>) c).name().toLowerCase(Locale.ROOT).replace('_', '-'));
            return new IllegalArgumentException(from + ": " + name(key) + " must be one of " + names + ", got '" + f.getValue() + "'");
        }
        String why = e.getCause() instanceof IllegalArgumentException iae ? iae.getMessage() : e.getOriginalMessage();
        return new IllegalArgumentException(from + ": bad value at '" + path + "'" + (BY_PATH.containsKey(key) ? " (" + BY_PATH.get(key).setting().flag() + ")" : "")
                + ": " + why);
    }

    private static CommandSpec spec() {
        CommandSpec spec = CommandSpec.create().name("VideoAnalyticsJob");
        spec.addOption(OptionSpec.builder("--config").paramLabel("FILE").arity("1").type(String.class).build());
        for (Key k : KEYS) {
            OptionSpec.Builder b = OptionSpec.builder(k.setting().flag()).paramLabel(k.setting().label()).arity("1");
            if (k.isMap()) b.type(List.class).auxiliaryTypes(String.class);
            else b.type(String.class);
            spec.addOption(b.build());
        }
        return spec;
    }

    private static List<Key> keys() {
        List<Key> out = new ArrayList<>();
        for (RecordComponent section : JobConfig.class.getRecordComponents()) {
            for (RecordComponent c : section.getType().getRecordComponents()) {
                Setting s = c.getAnnotation(Setting.class);
                if (s == null) throw new IllegalStateException(section.getType().getSimpleName() + "." + c.getName() + " has no @Setting");
                out.add(new Key(section.getName(), c.getName(), s, c));
            }
        }
        return List.copyOf(out);
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> l = new ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }

    /** Durations as people write them: 500ms, 5s, 2m, 1h, or a bare number of seconds. */
    private static final class DurationText extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            return Durations.parse(p.getValueAsString());
        }
    }
}
