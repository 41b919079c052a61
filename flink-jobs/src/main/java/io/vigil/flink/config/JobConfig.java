package io.vigil.flink.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.vigil.flink.state.ResetPolicy;
import io.vigil.models.runtime.ExecutionProvider;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The job's whole configuration: one record per section of {@code vigil.yaml}, each component one setting with its flag
 * ({@link Setting}). The shipped {@code io/vigil/flink/config/vigil.yaml} holds every key with its default; a user's
 * {@code --config FILE} and then the flags override it ({@link JobConfigParser}); {@link #validate} checks the result in
 * one place and names the bad key and its flag. Immutable and serializable: the job's operators take their sections.
 */
public record JobConfig(Kafka kafka, Job job, Gate gate, Detect detect, Track track, Actions actions, Spatiotemporal spatiotemporal, Analytics analytics,
                        Testing testing)
        implements Serializable {

    public enum Delivery {
        @JsonProperty("at-least-once") AT_LEAST_ONCE,
        @JsonProperty("exactly-once") EXACTLY_ONCE
    }

    public enum StartFrom {
        @JsonProperty("committed") COMMITTED,
        @JsonProperty("earliest") EARLIEST,
        @JsonProperty("latest") LATEST,
        @JsonProperty("timestamp") TIMESTAMP
    }

    public enum Backend {
        @JsonProperty("java") JAVA,
        @JsonProperty("onnx") ONNX
    }

    /** The tracker's motion predictor: ByteTrack's constant-velocity Kalman filter, or the trained selective scan. */
    public enum Motion {
        @JsonProperty("kalman") KALMAN,
        @JsonProperty("ssm") SSM
    }

    public record Kafka(
            @Setting(flag = "--bootstrap", label = "HOST:PORT", doc = "Kafka bootstrap servers, HOST:PORT[,HOST:PORT...]") String bootstrap,
            @Setting(flag = "--group", label = "ID", doc = "consumer group of the frames source") String group,
            @Setting(flag = "--start-from", label = "WHERE", doc = "where a new group starts: committed (else earliest), earliest, latest, timestamp")
            StartFrom startFrom,
            @Setting(flag = "--start-timestamp", label = "EPOCHMS", doc = "with start-from timestamp: the first record time read") Long startTimestamp,
            @Setting(flag = "--kafka-property", label = "KEY=VALUE", doc = "a Kafka client setting for every source and sink (security.protocol, sasl.*, ssl.*); repeatable")
            Map<String, String> properties) implements Serializable {
        public Kafka {
            properties = properties == null ? Map.of() : Map.copyOf(properties);
        }
    }

    public record Job(
            @Setting(flag = "--job-name", label = "NAME", doc = "the Flink job's name") String name,
            @Setting(flag = "--parallelism", label = "N", doc = "parallelism of every operator") int parallelism,
            @Setting(flag = "--checkpoint-interval", label = "DUR", doc = "e.g. 5s; 0 disables checkpointing") Duration checkpointInterval,
            @Setting(flag = "--delivery", label = "GUARANTEE", doc = "at-least-once or exactly-once (transactional sinks, committed per checkpoint)")
            Delivery delivery) implements Serializable {}

    public record Detect(
            @Setting(flag = "--model", label = "PATH|NAME", path = true, doc = "detector: a model directory, an .onnx file or a catalogue name (required)") String model,
            @Setting(flag = "--provider", label = "cpu|cuda[:N]", doc = "ONNX Runtime execution provider") String provider,
            @Setting(flag = "--inference-threads", label = "N", doc = "intra-op threads per detector run (0 = 1 when runs go concurrently, else ONNX Runtime's choice)") int threads,
            @Setting(flag = "--inference-concurrency", label = "N", doc = "detector runs at a time per Detect subtask (0 = on a CPU its cores / the Detect subtasks, on a GPU 1)") int concurrency,
            @Setting(flag = "--score-threshold", label = "X", doc = "overrides the model's score threshold (empty = the model's)") Float scoreThreshold,
            @Setting(flag = "--batch-size", label = "N", doc = "frames per micro-batch across cameras (1..256)") int batchSize,
            @Setting(flag = "--batch-timeout", label = "DUR", doc = "longest a frame waits for its batch to fill") Duration batchTimeout,
            @Setting(flag = "--max-pixels", label = "N", doc = "frames with more pixels are dead-lettered without decoding") long maxPixels,
            @Setting(flag = "--require-provider", label = "true|false", doc = "fail the job instead of falling back to CPU when the provider (cuda) cannot be used")
            boolean requireProvider)
            implements Serializable {
        public Detect(String model, String provider, int threads, int concurrency, Float scoreThreshold, int batchSize, Duration batchTimeout, long maxPixels) {
            this(model, provider, threads, concurrency, scoreThreshold, batchSize, batchTimeout, maxPixels, false);
        }

        public ExecutionProvider executionProvider() {
            return ExecutionProvider.parse(provider);
        }

        /** The same section with the model as the TaskManagers will open it. */
        public Detect withModel(String path) {
            return new Detect(path, provider, threads, concurrency, scoreThreshold, batchSize, batchTimeout, maxPixels, requireProvider);
        }
    }

    public record Gate(
            @Setting(flag = "--detect-every", label = "N", doc = "run the detector on every N-th frame of a camera, the tracker predicts between (a camera's spec may set its own)")
            int every,
            @Setting(flag = "--motion", label = "true|false", doc = "skip frames with no motion in the picture and no object moving")
            boolean motion,
            @Setting(flag = "--motion-model", label = "mog2|average", doc = "mog2: OpenCV's mixture of Gaussians (learns leaves and water, rebuilt after a restart); average: a running average (checkpointed)")
            String motionModel,
            @Setting(flag = "--max-frame-age", label = "DUR", doc = "a frame older than this when it reaches the detector is not detected, and the camera's detector share is lowered until frames are fresh again (0 = no limit)")
            Duration maxFrameAge,
            @Setting(flag = "--motion-threshold", label = "N", doc = "grey levels (1..254) a pixel must change by to be moving") int motionThreshold,
            @Setting(flag = "--motion-min-area", label = "X", doc = "fraction of the frame a moving region must cover") double motionMinArea,
            @Setting(flag = "--motion-refresh", label = "N", doc = "with motion gating: still detect one frame in N, so objects that stand still are seen again")
            int motionRefresh,
            @Setting(flag = "--catch-up-age", label = "DUR", doc = "a frame of a restart's backlog older than maxFrameAge but not than this is still detected, one in 3 of the camera's frames, so its tracks live on (0 = never)")
            Duration catchUpAge)
            implements Serializable {}

    public record Track(
            @Setting(flag = "--max-seq-gap", label = "N", doc = "a jump of more frames in a camera's seq resets its tracks and SSM state") long maxSeqGap,
            @Setting(flag = "--max-time-gap", label = "DUR", doc = "a longer pause in a camera's capture time resets them too") Duration maxTimeGap,
            @Setting(flag = "--track-motion", label = "kalman|ssm", doc = "where the tracker expects each track next, on skipped frames and for matching: the Kalman filter or the trained selective scan")
            Motion motion,
            @Setting(flag = "--track-motion-model", label = "PATH|NAME", path = true, doc = "the selective-scan motion model for --track-motion ssm (empty = motion-mamba)")
            String motionModel)
            implements Serializable {
        public Track withMotionModel(String path) {
            return new Track(maxSeqGap, maxTimeGap, motion, path);
        }

        /** The one reset policy every keyed stage asks; keyed state lives an hour past a camera's last frame. */
        public ResetPolicy resetPolicy() {
            return new ResetPolicy(maxSeqGap, maxTimeGap, ResetPolicy.DEFAULTS.stateTtl().compareTo(maxTimeGap) < 0 ? maxTimeGap : ResetPolicy.DEFAULTS.stateTtl());
        }
    }

    public record Actions(
            @Setting(flag = "--action-model", label = "PATH|NAME", path = true,
                    doc = "per confirmed person track: a trained trajectory model (trajectory-mamba) or a windowed ONNX one (empty = none)") String model,
            @Setting(flag = "--action-votes", label = "N", doc = "a track's label is the majority of its last N predictions") int votes,
            @Setting(flag = "--action-threshold", label = "X", doc = "a windowed model's own score threshold input (0 = plain argmax)") float threshold)
            implements Serializable {
        public Actions withModel(String path) {
            return new Actions(path, votes, threshold);
        }
    }

    public record Spatiotemporal(
            @Setting(flag = "--spatiotemporal-model", label = "FILE", path = true, doc = "spatiotemporal SSM (safetensors) stepped per camera per frame (empty = none)") String model,
            @Setting(flag = "--spatiotemporal-kernel", label = "KERNEL", doc = "scalar or vector (empty = the JVM's best)") String kernel,
            @Setting(flag = "--spatiotemporal-backend", label = "BACKEND", doc = "java (the Vector API kernel) or onnx (exported step graphs); cameras batched either way")
            Backend backend,
            @Setting(flag = "--spatiotemporal-head", label = "PATH", path = true, doc = "a trained recurrent action head on the per-frame vectors (empty = none)") String head,
            @Setting(flag = "--saliency", label = "true|false", doc = "add the SSM's per-patch implicit attention to each event (java backend)") boolean saliency)
            implements Serializable {
        public boolean enabled() {
            return model != null;
        }

        public Spatiotemporal withPaths(String modelPath, String headPath) {
            return new Spatiotemporal(modelPath, kernel, backend, headPath, saliency);
        }
    }

    public record Analytics(
            @Setting(flag = "--analytics", label = "true|false", doc = "apply the rules on vigil.rules (zones, lines, loitering, speed) and publish vigil.analytics and vigil.counts")
            boolean enabled,
            @Setting(flag = "--counts-window", label = "DUR", doc = "event-time window of vigil.counts") Duration countsWindow,
            @Setting(flag = "--counts-lateness", label = "DUR", doc = "frames this late still update a closed window (it is published again with update: true)")
            Duration countsLateness) implements Serializable {}

    public record Testing(
            @Setting(flag = "--fail-after-frames", label = "N[,N...]", doc = "testing only: the Detect operator's attempt k fails after its N_k-th frame")
            List<Long> failAfterFrames) implements Serializable {
        public Testing {
            failAfterFrames = failAfterFrames == null ? null : List.copyOf(failAfterFrames);
        }
    }

    /** Parses flags ({@code --config FILE} first, then the flags over it); every error names the key and its flag. */
    public static JobConfig fromArgs(String... args) {
        return JobConfigParser.parse(args);
    }

    /**
     * The same flags with every relative path made absolute against {@code cwd} (where the user stands), for a job that
     * will run elsewhere (a cluster whose processes have another working directory). A value that names no file there
     * (a catalogue name, a path that exists only on the TaskManagers) is left as it is. A {@code --config FILE} is read,
     * its path keys made absolute (against {@code cwd}, else the file's own directory) and written to {@code outDir}.
     */
    public static List<String> absolutePaths(List<String> args, Path cwd, Path outDir) {
        return JobConfigParser.absolutePaths(args, cwd, outDir);
    }

    /** The text of {@code --help}: every flag with its vigil.yaml key and default. */
    public static String usage() {
        return JobConfigParser.usage();
    }

    /** Every cross-field rule, naming the key (and flag) that breaks it. Called by the parser on every result. */
    JobConfig validate() {
        String bs = kafka.bootstrap();
        if (bs == null || bs.isBlank() || !bs.contains(":")) fail("kafka.bootstrap", "must be HOST:PORT[,HOST:PORT...], got '" + bs + "'");
        if (kafka.group() == null || kafka.group().isBlank()) fail("kafka.group", "must not be empty");
        if (kafka.startFrom() == StartFrom.TIMESTAMP && kafka.startTimestamp() == null) fail("kafka.startTimestamp", "is needed with start-from timestamp");
        for (String k : kafka.properties().keySet()) {
            if (k.equals("bootstrap.servers") || k.equals("group.id") || k.startsWith("transaction")) {
                throw new IllegalArgumentException("kafka.properties." + k + " is set by Vigil itself; use the dedicated option");
            }
        }
        if (job.parallelism() < 1) fail("job.parallelism", "must be >= 1, got " + job.parallelism());
        if (job.checkpointInterval().isNegative()) fail("job.checkpointInterval", "must be >= 0");
        if (job.delivery() == Delivery.EXACTLY_ONCE && job.checkpointInterval().isZero()) {
            fail("job.delivery", "exactly-once needs checkpointing: set job.checkpointInterval (--checkpoint-interval) > 0");
        }
        if (detect.model() == null || detect.model().isBlank()) fail("detect.model", "is required (a model directory, .onnx file or catalogue name)");
        try {
            detect.executionProvider();
        } catch (IllegalArgumentException e) {
            fail("detect.provider", e.getMessage());
        }
        if (detect.threads() < 0) fail("detect.threads", "must be >= 0");
        if (detect.concurrency() < 0) fail("detect.concurrency", "must be >= 0, got " + detect.concurrency());
        Float st = detect.scoreThreshold();
        if (st != null && (st < 0 || st > 1)) fail("detect.scoreThreshold", "must be 0..1, got " + st);
        if (detect.batchSize() < 1 || detect.batchSize() > 256) fail("detect.batchSize", "must be 1..256, got " + detect.batchSize());
        if (gate.every() < 1 || gate.every() > 1000) fail("gate.every", "must be 1..1000, got " + gate.every());
        if (gate.maxFrameAge().isNegative()) fail("gate.maxFrameAge", "must be >= 0");
        if (gate.catchUpAge() == null || gate.catchUpAge().isNegative()) fail("gate.catchUpAge", "must be >= 0");
        if (gate.motionThreshold() < 1 || gate.motionThreshold() > 254) fail("gate.motionThreshold", "must be 1..254, got " + gate.motionThreshold());
        if (!(gate.motionMinArea() > 0 && gate.motionMinArea() < 1)) fail("gate.motionMinArea", "must be in (0, 1), got " + gate.motionMinArea());
        if (gate.motionRefresh() < 1) fail("gate.motionRefresh", "must be at least 1, got " + gate.motionRefresh());
        if (!List.of("mog2", "average").contains(String.valueOf(gate.motionModel()))) {
            fail("gate.motionModel", "must be mog2 or average, got " + gate.motionModel());
        }
        if (detect.batchTimeout().isNegative()) fail("detect.batchTimeout", "must be >= 0");
        if (detect.maxPixels() < 1) fail("detect.maxPixels", "must be >= 1");
        if (track.maxSeqGap() < 1) fail("track.maxSeqGap", "must be > 0");
        if (track.maxTimeGap().isNegative() || track.maxTimeGap().isZero()) fail("track.maxTimeGap", "must be > 0");
        if (track.motion() == null) fail("track.motion", "must be kalman or ssm");
        if (actions.votes() < 1) fail("actions.votes", "must be >= 1");
        String kernel = spatiotemporal.kernel();
        if (kernel != null && !kernel.equals("scalar") && !kernel.equals("vector")) fail("spatiotemporal.kernel", "must be scalar or vector, got '" + kernel + "'");
        if (spatiotemporal.saliency() && !spatiotemporal.enabled()) fail("spatiotemporal.saliency", "needs spatiotemporal.model (--spatiotemporal-model)");
        if (spatiotemporal.saliency() && spatiotemporal.backend() != Backend.JAVA) {
            fail("spatiotemporal.saliency", "needs spatiotemporal.backend java (the ONNX step graphs do not expose the scan's intermediates)");
        }
        if (spatiotemporal.head() != null && !spatiotemporal.enabled()) fail("spatiotemporal.head", "needs spatiotemporal.model (--spatiotemporal-model)");
        if (analytics.countsWindow().compareTo(Duration.ofSeconds(1)) < 0) fail("analytics.countsWindow", "must be at least 1s");
        if (analytics.countsLateness().isNegative()) fail("analytics.countsLateness", "must be >= 0");
        return this;
    }

    private static void fail(String key, String why) {
        throw new IllegalArgumentException(JobConfigParser.name(key) + " " + why);
    }
}
