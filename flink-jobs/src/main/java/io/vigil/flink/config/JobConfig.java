package io.vigil.flink.config;

import io.vigil.models.runtime.ExecutionProvider;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the job needs to run, read once at start and validated: every error names the flag. Immutable; build
 * with {@link #builder()} or {@link #fromArgs(String[])}.
 */
public final class JobConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum Delivery { AT_LEAST_ONCE, EXACTLY_ONCE }

    public enum StartFrom { COMMITTED, EARLIEST, LATEST }

    private final String bootstrap;
    private final String modelPath;
    private final String groupId;
    private final int parallelism;
    private final long checkpointIntervalMs;
    private final Delivery delivery;
    private final StartFrom startFrom;
    private final String provider;
    private final int inferenceThreads;
    private final Float scoreThreshold;
    private final String jobName;

    private JobConfig(Builder b) {
        bootstrap = b.bootstrap;
        modelPath = b.modelPath;
        groupId = b.groupId;
        parallelism = b.parallelism;
        checkpointIntervalMs = b.checkpointIntervalMs;
        delivery = b.delivery;
        startFrom = b.startFrom;
        provider = b.provider;
        inferenceThreads = b.inferenceThreads;
        scoreThreshold = b.scoreThreshold;
        jobName = b.jobName;
    }

    public static Builder builder() { return new Builder(); }

    public String bootstrap() { return bootstrap; }
    /** Absolute path of the model directory or .onnx file, as the TaskManagers see it. */
    public String modelPath() { return modelPath; }
    public String groupId() { return groupId; }
    public int parallelism() { return parallelism; }
    /** 0 disables checkpointing. */
    public long checkpointIntervalMs() { return checkpointIntervalMs; }
    public Delivery delivery() { return delivery; }
    public StartFrom startFrom() { return startFrom; }
    public ExecutionProvider provider() { return ExecutionProvider.parse(provider); }
    public int inferenceThreads() { return inferenceThreads; }
    public Float scoreThreshold() { return scoreThreshold; }
    public String jobName() { return jobName; }

    public static final String USAGE = String.join("\n",
            "  --bootstrap HOST:PORT        Kafka (default 127.0.0.1:9092)",
            "  --model PATH                 model directory or .onnx file (required)",
            "  --group ID                   consumer group (default vigil-job)",
            "  --parallelism N              (default 1)",
            "  --checkpoint-interval DUR    e.g. 5s; 0 disables (default 5s)",
            "  --delivery at-least-once|exactly-once   (default at-least-once)",
            "  --start-from committed|earliest|latest  where a new group starts (default committed, else earliest)",
            "  --provider cpu|cuda[:N]      ONNX Runtime execution provider (default cpu)",
            "  --inference-threads N        intra-op threads per session (default 0 = ONNX Runtime's choice)",
            "  --score-threshold X          override the model's threshold",
            "  --job-name NAME");

    /** Parses {@code --key value} pairs; unknown flags and bad values fail naming the flag. */
    public static JobConfig fromArgs(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String k = args[i];
            if (!k.startsWith("--")) throw new IllegalArgumentException("unexpected argument '" + k + "'\n" + USAGE);
            String v;
            int eq = k.indexOf('=');
            if (eq > 0) {
                v = k.substring(eq + 1);
                k = k.substring(0, eq);
            } else {
                if (i + 1 >= args.length) throw new IllegalArgumentException(k + " needs a value");
                v = args[++i];
            }
            m.put(k.substring(2), v);
        }
        Builder b = builder();
        for (Map.Entry<String, String> e : new ArrayList<>(m.entrySet())) {
            String k = e.getKey();
            String v = e.getValue();
            switch (k) {
                case "bootstrap" -> b.bootstrap(v);
                case "model" -> b.modelPath(v);
                case "group" -> b.groupId(v);
                case "parallelism" -> b.parallelism(intFlag(k, v));
                case "checkpoint-interval" -> b.checkpointInterval(Durations.parse(k, v));
                case "delivery" -> b.delivery(enumFlag(k, v, Delivery.class));
                case "start-from" -> b.startFrom(enumFlag(k, v, StartFrom.class));
                case "provider" -> b.provider(v);
                case "inference-threads" -> b.inferenceThreads(intFlag(k, v));
                case "score-threshold" -> b.scoreThreshold(floatFlag(k, v));
                case "job-name" -> b.jobName(v);
                default -> throw new IllegalArgumentException("unknown flag --" + k + "\n" + USAGE);
            }
        }
        return b.build();
    }

    /** The flags that reproduce this config (for handing it to a cluster job). */
    public List<String> toArgs() {
        List<String> a = new ArrayList<>(List.of("--bootstrap", bootstrap, "--model", modelPath, "--group", groupId,
                "--parallelism", Integer.toString(parallelism), "--checkpoint-interval", checkpointIntervalMs + "ms",
                "--delivery", flag(delivery), "--start-from", flag(startFrom), "--provider", provider,
                "--inference-threads", Integer.toString(inferenceThreads), "--job-name", jobName));
        if (scoreThreshold != null) a.addAll(List.of("--score-threshold", scoreThreshold.toString()));
        return a;
    }

    private static String flag(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static int intFlag(String k, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + k + " must be an integer, got '" + v + "'");
        }
    }

    private static float floatFlag(String k, String v) {
        try {
            return Float.parseFloat(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + k + " must be a number, got '" + v + "'");
        }
    }

    private static <E extends Enum<E>> E enumFlag(String k, String v, Class<E> type) {
        try {
            return Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E c : type.getEnumConstants()) names.add(flag(c));
            throw new IllegalArgumentException("--" + k + " must be one of " + names + ", got '" + v + "'");
        }
    }

    public static final class Builder {
        private String bootstrap = "127.0.0.1:9092";
        private String modelPath;
        private String groupId = "vigil-job";
        private int parallelism = 1;
        private long checkpointIntervalMs = 5000;
        private Delivery delivery = Delivery.AT_LEAST_ONCE;
        private StartFrom startFrom = StartFrom.COMMITTED;
        private String provider = "cpu";
        private int inferenceThreads = 0;
        private Float scoreThreshold;
        private String jobName = "vigil-video-analytics";

        public Builder bootstrap(String v) { bootstrap = v; return this; }
        public Builder modelPath(String v) { modelPath = v; return this; }
        public Builder groupId(String v) { groupId = v; return this; }
        public Builder parallelism(int v) { parallelism = v; return this; }
        public Builder checkpointInterval(Duration d) { checkpointIntervalMs = d.toMillis(); return this; }
        public Builder delivery(Delivery v) { delivery = v; return this; }
        public Builder startFrom(StartFrom v) { startFrom = v; return this; }
        public Builder provider(String v) { provider = v; return this; }
        public Builder inferenceThreads(int v) { inferenceThreads = v; return this; }
        public Builder scoreThreshold(Float v) { scoreThreshold = v; return this; }
        public Builder jobName(String v) { jobName = v; return this; }

        public JobConfig build() {
            if (bootstrap == null || bootstrap.isBlank() || !bootstrap.contains(":")) {
                throw new IllegalArgumentException("--bootstrap must be HOST:PORT[,HOST:PORT...], got '" + bootstrap + "'");
            }
            if (modelPath == null || modelPath.isBlank()) throw new IllegalArgumentException("--model is required (a model directory or .onnx file)");
            if (groupId == null || groupId.isBlank()) throw new IllegalArgumentException("--group must not be empty");
            if (parallelism < 1) throw new IllegalArgumentException("--parallelism must be >= 1, got " + parallelism);
            if (checkpointIntervalMs < 0) throw new IllegalArgumentException("--checkpoint-interval must be >= 0");
            if (delivery == Delivery.EXACTLY_ONCE && checkpointIntervalMs == 0) {
                throw new IllegalArgumentException("--delivery exactly-once needs checkpointing: set --checkpoint-interval > 0");
            }
            ExecutionProvider.parse(provider);
            if (inferenceThreads < 0) throw new IllegalArgumentException("--inference-threads must be >= 0");
            if (scoreThreshold != null && (scoreThreshold < 0 || scoreThreshold > 1)) {
                throw new IllegalArgumentException("--score-threshold must be 0..1, got " + scoreThreshold);
            }
            return new JobConfig(this);
        }
    }
}
