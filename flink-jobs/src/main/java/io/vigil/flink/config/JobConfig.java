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

    public enum StartFrom { COMMITTED, EARLIEST, LATEST, TIMESTAMP }

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
    private final int batchSize;
    private final long batchTimeoutMs;
    private final long maxPixels;
    private final String actionModel;
    private final int actionVotes;
    private final float actionThreshold;
    private final long maxSeqGap;
    private final long maxTimeGapMs;
    private final long[] failAfterFrames;
    private final java.util.Map<String, String> kafkaProperties;
    private final String spatiotemporalModel;
    private final String spatiotemporalKernel;
    private final String spatiotemporalBackend;
    private final String spatiotemporalHead;
    private final boolean saliency;
    private final long startTimestampMs;

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
        batchSize = b.batchSize;
        batchTimeoutMs = b.batchTimeoutMs;
        maxPixels = b.maxPixels;
        actionModel = b.actionModel;
        actionVotes = b.actionVotes;
        actionThreshold = b.actionThreshold;
        maxSeqGap = b.maxSeqGap;
        maxTimeGapMs = b.maxTimeGapMs;
        failAfterFrames = b.failAfterFrames;
        kafkaProperties = java.util.Map.copyOf(b.kafkaProperties);
        spatiotemporalModel = b.spatiotemporalModel;
        spatiotemporalKernel = b.spatiotemporalKernel;
        spatiotemporalBackend = b.spatiotemporalBackend;
        spatiotemporalHead = b.spatiotemporalHead;
        saliency = b.saliency;
        startTimestampMs = b.startTimestampMs;
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
    public int batchSize() { return batchSize; }
    public long batchTimeoutMs() { return batchTimeoutMs; }
    public long maxPixels() { return maxPixels; }
    /** A windowed action model run per confirmed track (path or catalogue name), or null. */
    public String actionModel() { return actionModel; }
    public int actionVotes() { return actionVotes; }
    public float actionThreshold() { return actionThreshold; }
    public long maxSeqGap() { return maxSeqGap; }
    public long maxTimeGapMs() { return maxTimeGapMs; }
    /** Testing only: fail the Detect operator's attempt k after its n-th frame. */
    public long[] failAfterFrames() { return failAfterFrames == null ? null : failAfterFrames.clone(); }
    /** Extra Kafka client settings for every source and sink (security.protocol, sasl.*, ssl.*, ...). */
    public java.util.Map<String, String> kafkaProperties() { return kafkaProperties; }
    /** A spatiotemporal model (safetensors) run per camera per frame, or null for none. */
    public String spatiotemporalModel() { return spatiotemporalModel; }
    /** scalar or vector, or null for the JVM's best. */
    public String spatiotemporalKernel() { return spatiotemporalKernel; }
    /** java (the Vector API kernel, camera by camera) or onnx (exported step graphs, cameras batched). */
    public String spatiotemporalBackend() { return spatiotemporalBackend; }
    /** A trained recurrent action head on the spatiotemporal vectors, or null. */
    public String spatiotemporalHead() { return spatiotemporalHead; }
    /** Per-frame patch saliency (the SSM's implicit attention) in each detection event. */
    public boolean saliency() { return saliency; }
    /** With start-from timestamp: the first record time (epoch ms) a new group reads. */
    public long startTimestampMs() { return startTimestampMs; }

    public static final String USAGE = String.join("\n",
            "  --bootstrap HOST:PORT        Kafka (default 127.0.0.1:9092)",
            "  --model PATH                 model directory or .onnx file (required)",
            "  --group ID                   consumer group (default vigil-job)",
            "  --parallelism N              (default 1)",
            "  --checkpoint-interval DUR    e.g. 5s; 0 disables (default 5s)",
            "  --delivery at-least-once|exactly-once   (default exactly-once)",
            "  --start-from committed|earliest|latest  where a new group starts (default committed, else earliest)",
            "  --start-timestamp EPOCHMS    start at the first frame written at or after this time",
            "  --provider cpu|cuda[:N]      ONNX Runtime execution provider (default cpu)",
            "  --inference-threads N        intra-op threads per session (default 0 = ONNX Runtime's choice)",
            "  --score-threshold X          override the model's threshold",
            "  --job-name NAME",
            "  --batch-size N               frames per micro-batch across cameras (default 8)",
            "  --batch-timeout DUR          longest a frame waits for its batch (default 20ms)",
            "  --max-pixels N               frames with more pixels are dead-lettered (default 33177600 = 8K UHD)",
            "  --action-model PATH|NAME     per confirmed person track: a trained trajectory model (trajectory-mamba) or a windowed ONNX one (default none)",
            "  --spatiotemporal-model FILE  spatiotemporal SSM (safetensors) stepped per camera per frame (default none)",
            "  --spatiotemporal-backend java|onnx   the kernel camera by camera, or ONNX step graphs with cameras batched",
            "  --spatiotemporal-head PATH   a trained recurrent action head on the per-frame vectors (default none)",
            "  --saliency true|false        add the SSM's per-patch implicit attention to each event (java backend; default false)",
            "  --config vigil.yaml          read everything from a YAML file; flags after it override");

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
        if (m.containsKey("config")) VigilYaml.load(java.nio.file.Path.of(m.remove("config")), b);
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
                case "batch-size" -> b.batchSize(intFlag(k, v));
                case "batch-timeout" -> b.batchTimeoutMs(Durations.parse(k, v).toMillis());
                case "max-pixels" -> b.maxPixels(Long.parseLong(v.trim()));
                case "action-model" -> b.actionModel(v);
                case "spatiotemporal-model" -> b.spatiotemporalModel(v);
                case "spatiotemporal-kernel" -> b.spatiotemporalKernel(v);
                case "spatiotemporal-backend" -> b.spatiotemporalBackend(v);
                case "spatiotemporal-head" -> b.spatiotemporalHead(v);
                case "saliency" -> b.saliency(boolFlag(k, v));
                case "start-timestamp" -> b.startTimestampMs(Long.parseLong(v.trim())).startFrom(StartFrom.TIMESTAMP);
                case "fail-after-frames" -> b.failAfterFrames(java.util.Arrays.stream(v.split(",")).mapToLong(x -> Long.parseLong(x.trim())).toArray());
                default -> throw new IllegalArgumentException("unknown flag --" + k + "\n" + USAGE);
            }
        }
        return b.build();
    }

    /** The flags that reproduce this config (for handing it to a cluster job). */
    public List<String> toArgs() {
        List<String> a = new ArrayList<>(List.of("--bootstrap", bootstrap, "--model", modelPath, "--group", groupId,
                "--parallelism", Integer.toString(parallelism), "--checkpoint-interval", checkpointIntervalMs + "ms",
                "--delivery", flag(delivery), "--start-from", startFrom == StartFrom.TIMESTAMP ? "committed" : flag(startFrom), "--provider", provider,
                "--inference-threads", Integer.toString(inferenceThreads), "--job-name", jobName));
        if (scoreThreshold != null) a.addAll(List.of("--score-threshold", scoreThreshold.toString()));
        if (startFrom == StartFrom.TIMESTAMP) a.addAll(List.of("--start-timestamp", Long.toString(startTimestampMs)));
        a.addAll(List.of("--batch-size", Integer.toString(batchSize), "--batch-timeout", batchTimeoutMs + "ms",
                "--max-pixels", Long.toString(maxPixels)));
        if (actionModel != null) a.addAll(List.of("--action-model", actionModel));
        if (spatiotemporalModel != null) a.addAll(List.of("--spatiotemporal-model", spatiotemporalModel));
        if (spatiotemporalKernel != null) a.addAll(List.of("--spatiotemporal-kernel", spatiotemporalKernel));
        a.addAll(List.of("--spatiotemporal-backend", spatiotemporalBackend));
        if (spatiotemporalHead != null) a.addAll(List.of("--spatiotemporal-head", spatiotemporalHead));
        if (saliency) a.addAll(List.of("--saliency", "true"));
        if (failAfterFrames != null) {
            a.addAll(List.of("--fail-after-frames", java.util.Arrays.stream(failAfterFrames).mapToObj(Long::toString)
                    .collect(java.util.stream.Collectors.joining(","))));
        }
        return a;
    }

    private static String flag(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static boolean boolFlag(String k, String v) {
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("--" + k + " must be true or false, got '" + v + "'");
        };
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
        private Delivery delivery = Delivery.EXACTLY_ONCE;
        private StartFrom startFrom = StartFrom.COMMITTED;
        private String provider = "cpu";
        private int inferenceThreads = 0;
        private Float scoreThreshold;
        private String jobName = "vigil-video-analytics";
        private int batchSize = 8;
        private long batchTimeoutMs = 20;
        private long maxPixels = 7680L * 4320;
        private String actionModel;
        private int actionVotes = 10;
        private float actionThreshold = 0.5f;
        private long maxSeqGap = 50;
        private long maxTimeGapMs = 10_000;
        private long[] failAfterFrames;
        private final java.util.Map<String, String> kafkaProperties = new java.util.LinkedHashMap<>();
        private String spatiotemporalModel;
        private String spatiotemporalKernel;
        private String spatiotemporalBackend = "java";
        private String spatiotemporalHead;
        private boolean saliency;
        private long startTimestampMs = -1;

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
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder batchTimeoutMs(long v) { batchTimeoutMs = v; return this; }
        public Builder maxPixels(long v) { maxPixels = v; return this; }
        public Builder actionModel(String v) { actionModel = v; return this; }
        public Builder actionVotes(int v) { actionVotes = v; return this; }
        public Builder actionThreshold(float v) { actionThreshold = v; return this; }
        public Builder maxSeqGap(long v) { maxSeqGap = v; return this; }
        public Builder maxTimeGapMs(long v) { maxTimeGapMs = v; return this; }
        public Builder failAfterFrames(long[] v) { failAfterFrames = v; return this; }
        public Builder kafkaProperty(String k, String v) { kafkaProperties.put(k, v); return this; }
        public Builder spatiotemporalModel(String v) { spatiotemporalModel = v; return this; }
        public Builder spatiotemporalKernel(String v) { spatiotemporalKernel = v; return this; }
        public Builder spatiotemporalBackend(String v) { spatiotemporalBackend = v; return this; }
        public Builder spatiotemporalHead(String v) { spatiotemporalHead = v; return this; }
        public Builder saliency(boolean v) { saliency = v; return this; }
        public Builder startTimestampMs(long v) { startTimestampMs = v; return this; }

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
            if (batchSize < 1 || batchSize > 256) throw new IllegalArgumentException("--batch-size must be 1..256, got " + batchSize);
            if (batchTimeoutMs < 0) throw new IllegalArgumentException("--batch-timeout must be >= 0");
            if (maxPixels < 1) throw new IllegalArgumentException("--max-pixels must be >= 1");
            if (spatiotemporalKernel != null && !spatiotemporalKernel.equals("scalar") && !spatiotemporalKernel.equals("vector")) {
                throw new IllegalArgumentException("--spatiotemporal-kernel must be scalar or vector, got '" + spatiotemporalKernel + "'");
            }
            if (startFrom == StartFrom.TIMESTAMP && startTimestampMs < 0) {
                throw new IllegalArgumentException("--start-from timestamp needs --start-timestamp EPOCHMS");
            }
            if (saliency && spatiotemporalModel == null) throw new IllegalArgumentException("--saliency needs --spatiotemporal-model");
            if (saliency && !"java".equals(spatiotemporalBackend)) {
                throw new IllegalArgumentException("--saliency needs --spatiotemporal-backend java (the ONNX step graphs do not expose the scan's intermediates)");
            }
            if (spatiotemporalHead != null && spatiotemporalModel == null) {
                throw new IllegalArgumentException("--spatiotemporal-head needs --spatiotemporal-model");
            }
            if (!"java".equals(spatiotemporalBackend) && !"onnx".equals(spatiotemporalBackend)) {
                throw new IllegalArgumentException("--spatiotemporal-backend must be java or onnx, got '" + spatiotemporalBackend + "'");
            }
            if (actionVotes < 1) throw new IllegalArgumentException("actions.votes must be >= 1");
            if (maxSeqGap < 1 || maxTimeGapMs < 1) throw new IllegalArgumentException("track.maxSeqGap and track.maxTimeGap must be > 0");
            for (String k : kafkaProperties.keySet()) {
                if (k.equals("bootstrap.servers") || k.equals("group.id") || k.startsWith("transaction")) {
                    throw new IllegalArgumentException("kafka.properties." + k + " is set by Vigil itself; use the dedicated option");
                }
            }
            return new JobConfig(this);
        }
    }
}
