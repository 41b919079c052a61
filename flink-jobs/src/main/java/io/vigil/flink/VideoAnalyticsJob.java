package io.vigil.flink;

import io.vigil.flink.analytics.AnalyticsOperator;
import io.vigil.events.analytics.CountDelta;
import io.vigil.flink.analytics.CountsAggregate;
import io.vigil.flink.analytics.CountsWindow;
import io.vigil.flink.config.JobConfig;
import io.vigil.flink.detect.DetectOperator;
import io.vigil.events.ActionEvent;
import io.vigil.flink.event.ActionEventSerializer;
import io.vigil.events.AnalyticsEvent;
import io.vigil.flink.event.AnalyticsEventSerializer;
import io.vigil.events.CountsEvent;
import io.vigil.flink.event.CountsEventSerializer;
import io.vigil.events.DeadLetter;
import io.vigil.flink.event.DeadLetterSerializer;
import io.vigil.flink.event.DetectedFrame;
import io.vigil.events.DetectionEvent;
import io.vigil.flink.event.DetectionEventSerializer;
import io.vigil.flink.event.FrameEnvelope;
import io.vigil.flink.event.RuleRecord;
import io.vigil.flink.event.SideOutputs;
import io.vigil.flink.kafka.FrameDeserializer;
import io.vigil.flink.kafka.RuleRecordDeserializer;
import io.vigil.flink.spatiotemporal.SpatiotemporalOperator;
import io.vigil.flink.state.ResetPolicy;
import io.vigil.flink.track.MotionModels;
import io.vigil.flink.track.TrackOperator;
import io.vigil.spatiotemporal.track.ByteTracker;
import io.vigil.models.bundle.ModelLocator;
import io.vigil.spatiotemporal.model.SpatiotemporalConfig;
import io.vigil.spatiotemporal.model.SpatiotemporalWeights;
import io.vigil.video.kafka.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Vigil's main job. It takes its source and sinks in the constructor, so operator tests can plug in others;
 * {@link #forKafka} is the production wiring that {@link #main} and every end-to-end test use.
 *
 * <pre>
 * KafkaSource(vigil.frames, event time = vigil-ts)
 *   -> keyBy(camera) -> Gate + Detect (which frames run the detector: interval, motion, frame age; detector runs
 *      grouped across cameras up to the model's batch capacity)  --side--> vigil.deadletter
 *   -> Track (ByteTrack ids + velocities, predictions for frames not detected; per-track action model) --side--> vigil.actions
 *   -> Analytics (rules broadcast from vigil.rules x the camera's tracks) --side--> vigil.analytics, count deltas
 *        count deltas -> keyBy(camera, rule, label) -> event-time tumbling windows -> vigil.counts
 *   -> [Spatiotemporal: one SSM step per frame from the camera's keyed StreamState, when configured] --side--> vigil.actions
 *   -> vigil.detections
 *
 * Between the stages a frame travels as a {@link DetectedFrame} (the event to publish and, for the spatiotemporal
 * stage, the frame's small tensor); the sinks see only published types. Every keyed stage asks the one
 * {@link ResetPolicy} where a camera's history breaks.
 * </pre>
 *
 * A camera's frames come from one Kafka partition through one source split, and keyBy keeps a key on one channel to
 * one Detect subtask, which emits a camera's frames in their order, so each camera's events leave in capture order. All sinks share the delivery
 * guarantee (exactly-once by default: events become visible when the checkpoint that covers them completes).
 */
public final class VideoAnalyticsJob {
    /** Frames may arrive this late within a camera before the watermark passes them. */
    static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(2);
    /** Longest a record waits in a network buffer between operators. */
    static final long BUFFER_TIMEOUT_MS = 5;
    /** A camera partition with no frames stops holding the watermark back after this long. */
    static final Duration IDLENESS = Duration.ofSeconds(10);

    private final Source<FrameEnvelope, ?, ?> source;
    private final Source<RuleRecord, ?, ?> rules;
    private final Sink<DetectionEvent> detections;
    private final Sink<ActionEvent> actions;
    private final Sink<DeadLetter> deadLetters;
    private final Sink<AnalyticsEvent> analytics;
    private final Sink<CountsEvent> counts;
    private final JobConfig config;

    /** {@code rules}, {@code analytics} and {@code counts} may be null when {@code analytics.enabled} is false. */
    public VideoAnalyticsJob(Source<FrameEnvelope, ?, ?> source, Source<RuleRecord, ?, ?> rules, Sink<DetectionEvent> detections,
                             Sink<ActionEvent> actions, Sink<DeadLetter> deadLetters, Sink<AnalyticsEvent> analytics, Sink<CountsEvent> counts,
                             JobConfig config) {
        this.source = source;
        this.rules = rules;
        this.detections = detections;
        this.actions = actions;
        this.deadLetters = deadLetters;
        this.analytics = analytics;
        this.counts = counts;
        this.config = config;
    }

    public static VideoAnalyticsJob forKafka(JobConfig config) {
        JobConfig.Kafka k = config.kafka();
        OffsetsInitializer start = switch (k.startFrom()) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            case TIMESTAMP -> OffsetsInitializer.timestamp(k.startTimestamp());
        };
        Properties clientProps = new Properties();
        clientProps.putAll(k.properties());
        KafkaSource<FrameEnvelope> source = KafkaSource.<FrameEnvelope>builder()
                .setBootstrapServers(k.bootstrap())
                .setTopics(Topics.FRAMES)
                .setGroupId(k.group())
                .setStartingOffsets(start)
                .setDeserializer(new FrameDeserializer())
                // a gateway group publishes in transactions: only committed frames, so a fenced gateway's late ones never count
                .setProperty("isolation.level", "read_committed")
                .setProperties(clientProps)
                .setProperty("partition.discovery.interval.ms", "10000")
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setProperty("max.partition.fetch.bytes", Integer.toString(Topics.FRAMES_MAX_MESSAGE_BYTES))
                .build();
        KafkaSource<RuleRecord> rules = null;
        if (config.analytics().enabled()) {
            // every rule from the start of the compacted topic, then live; no consumer group offsets: the rules are in
            // the job's broadcast state, and a restore resumes from the checkpointed positions
            rules = KafkaSource.<RuleRecord>builder()
                    .setBootstrapServers(k.bootstrap())
                    .setTopics(Topics.RULES)
                    .setGroupId(k.group() + "-rules")
                    .setStartingOffsets(OffsetsInitializer.earliest())
                    .setDeserializer(new RuleRecordDeserializer())
                    .setProperties(clientProps)
                    .setProperty("commit.offsets.on.checkpoint", "false")
                    .build();
        }
        boolean on = config.analytics().enabled();
        return new VideoAnalyticsJob(source, rules, sink(config, new DetectionEventSerializer(Topics.DETECTIONS), "detections"),
                sink(config, new ActionEventSerializer(), "actions"), sink(config, new DeadLetterSerializer(), "deadletter"),
                on ? sink(config, new AnalyticsEventSerializer(), "analytics") : null, on ? sink(config, new CountsEventSerializer(), "counts") : null,
                config);
    }

    private static <T> KafkaSink<T> sink(JobConfig config, KafkaRecordSerializationSchema<T> schema, String name) {
        Properties producer = new Properties();
        producer.putAll(config.kafka().properties());
        // The broker refuses transactions longer than its maximum (15 min by default); Flink's default is 1 h.
        producer.setProperty("transaction.timeout.ms", "600000");
        // exactly-once events become visible at the checkpoint's commit whatever the linger, so its batches may be
        // long: one produce request carries ~10 frames' events instead of one or two (measured: the broker's request
        // handling was ~0.5 ms of CPU a frame at linger 5 ms); at-least-once events leave within 5 ms
        boolean exactlyOnce = config.job().delivery() == JobConfig.Delivery.EXACTLY_ONCE;
        producer.setProperty("linger.ms", exactlyOnce ? "50" : "5");
        producer.setProperty("batch.size", Integer.toString(exactlyOnce ? 256 * 1024 : 16 * 1024));
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.kafka().bootstrap())
                .setRecordSerializer(schema)
                .setDeliveryGuarantee(config.job().delivery() == JobConfig.Delivery.EXACTLY_ONCE
                        ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix("vigil-" + config.kafka().group() + "-" + name)
                .setKafkaProducerConfig(producer)
                .build();
    }

    /** Adds the job's operators to {@code env}. Model names and relative paths are resolved here, on the client. */
    public void build(StreamExecutionEnvironment env) {
        env.setParallelism(config.job().parallelism());
        // Flink holds records up to 100 ms by default to fill network buffers; video events want latency, not
        // full buffers (measured: capture-to-event p50 143 ms at 25 fps with the default)
        env.setBufferTimeout(BUFFER_TIMEOUT_MS);
        long checkpointMs = config.job().checkpointInterval().toMillis();
        if (checkpointMs > 0) env.enableCheckpointing(checkpointMs);
        WatermarkStrategy<FrameEnvelope> watermarks = WatermarkStrategy
                .<FrameEnvelope>forBoundedOutOfOrderness(OUT_OF_ORDERNESS)
                .withTimestampAssigner((f, kafkaTs) -> f.tsMicros / 1000)
                .withIdleness(IDLENESS);
        DataStream<FrameEnvelope> frames = env.fromSource(source, watermarks, "frames").uid("frames-source");
        ResetPolicy policy = config.track().resetPolicy();
        JobConfig.Detect detect = config.detect().withModel(resolve(config.detect().model()));
        JobConfig.Spatiotemporal st = config.spatiotemporal();
        SpatiotemporalConfig stShape = null;
        if (st.enabled()) {
            st = st.withPaths(Path.of(st.model()).toAbsolutePath().toString(), st.head() == null ? null : resolve(st.head()));
            stShape = SpatiotemporalWeights.load(Path.of(st.model())).config(); // validates the file here, on the client
        }
        // keyed from here on: the gate's state is per camera, and Track reads the same partitioning without a second shuffle
        SingleOutputStreamOperator<DetectedFrame> detected = frames
                .keyBy(f -> f.camera == null ? "" : f.camera, Types.STRING)
                .transform("detect", TypeInformation.of(DetectedFrame.class), new DetectOperator(detect, config.gate(),
                        stShape == null ? 0 : stShape.width(), stShape == null ? 0 : stShape.height(), config.testing().failAfterFrames()))
                .uid("detect");
        JobConfig.Actions actionSettings = config.actions();
        if (actionSettings.model() != null) actionSettings = actionSettings.withModel(resolve(actionSettings.model()));
        String motionModel = null;
        if (config.track().motion() == JobConfig.Motion.SSM) {
            motionModel = MotionModels.resolve(config.track().motionModel()).toString();
            MotionModels.load(motionModel); // validates the file here, on the client
        }
        SingleOutputStreamOperator<DetectedFrame> tracked = DataStreamUtils.reinterpretAsKeyedStream(detected, DetectedFrame::camera, Types.STRING)
                .process(new TrackOperator(policy, ByteTracker.Config.defaults(), actionSettings, motionModel))
                .name("track").uid("track");
        DataStream<ActionEvent> actionEvents = tracked.getSideOutput(SideOutputs.ACTIONS);
        DataStream<DeadLetter> dead = detected.getSideOutput(SideOutputs.DEADLETTER).union(tracked.getSideOutput(SideOutputs.DEADLETTER));
        SingleOutputStreamOperator<DetectedFrame> analysed = tracked;
        if (config.analytics().enabled()) {
            analysed = analytics(env, tracked, policy);
            dead = dead.union(analysed.getSideOutput(SideOutputs.DEADLETTER));
        }
        SingleOutputStreamOperator<DetectionEvent> out;
        if (st.enabled()) {
            // same key, same subtask: reinterpreting avoids a second shuffle; the java kernel steps each frame as it
            // comes, the onnx step graphs batch the subtask's cameras like Detect does
            int batch = st.backend() == JobConfig.Backend.ONNX ? detect.batchSize() : 1;
            out = DataStreamUtils.reinterpretAsKeyedStream(analysed, DetectedFrame::camera, Types.STRING)
                    .transform("spatiotemporal", TypeInformation.of(DetectionEvent.class),
                            new SpatiotemporalOperator(st, policy, batch, detect.batchTimeout().toMillis()))
                    .uid("spatiotemporal");
            actionEvents = actionEvents.union(out.getSideOutput(SideOutputs.ACTIONS));
        } else {
            out = analysed.map(f -> f.event, TypeInformation.of(DetectionEvent.class)).name("events").uid("events");
        }
        out.sinkTo(detections).name("detections-sink").uid("detections-sink");
        actionEvents.sinkTo(actions).name("actions-sink").uid("actions-sink");
        dead.sinkTo(deadLetters).name("deadletter-sink").uid("deadletter-sink");
    }

    /**
     * Rules (broadcast from vigil.rules) x the tracked frames (keyed by camera, the same key as Track: no shuffle of
     * frames beyond the broadcast join) -> analytics events and per-frame count deltas, summed in event-time windows.
     */
    private SingleOutputStreamOperator<DetectedFrame> analytics(StreamExecutionEnvironment env, DataStream<DetectedFrame> tracked, ResetPolicy policy) {
        // rules carry no event time: their input must not hold back the frames' watermark, so it emits the maximum
        WatermarkStrategy<RuleRecord> noEventTime = WatermarkStrategy.forGenerator(ctx -> new NoEventTime());
        BroadcastStream<RuleRecord> ruleStream = env.fromSource(rules, noEventTime, "rules").uid("rules-source").setParallelism(1)
                .broadcast(AnalyticsOperator.RULES);
        SingleOutputStreamOperator<DetectedFrame> analysed = DataStreamUtils.reinterpretAsKeyedStream(tracked, DetectedFrame::camera, Types.STRING)
                .connect(ruleStream)
                .process(new AnalyticsOperator(policy), TypeInformation.of(DetectedFrame.class))
                .name("analytics").uid("analytics");
        analysed.getSideOutput(SideOutputs.ANALYTICS).sinkTo(analytics).name("analytics-sink").uid("analytics-sink");
        JobConfig.Analytics a = config.analytics();
        SingleOutputStreamOperator<CountsEvent> windows = analysed.getSideOutput(AnalyticsOperator.COUNT_DELTAS)
                .keyBy(CountDelta::key, Types.STRING)
                .window(TumblingEventTimeWindows.of(a.countsWindow()))
                .allowedLateness(a.countsLateness())
                .sideOutputLateData(LATE_COUNTS)
                .aggregate(new CountsAggregate(), new CountsWindow(), TypeInformation.of(CountsAggregate.Acc.class),
                        TypeInformation.of(CountsAggregate.Acc.class), TypeInformation.of(CountsEvent.class))
                .name("counts").uid("counts");
        windows.sinkTo(counts).name("counts-sink").uid("counts-sink");
        windows.getSideOutput(LATE_COUNTS).map(new LateCounter()).name("counts-late").uid("counts-late")
                .sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>()).name("counts-late-sink").uid("counts-late-sink");
        return analysed;
    }

    /** The rules' watermark: always the maximum, so the broadcast input never holds back the frames' event time. */
    static final class NoEventTime implements WatermarkGenerator<RuleRecord> {
        @Override
        public void onEvent(RuleRecord r, long ts, WatermarkOutput o) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput o) {
            o.emitWatermark(new org.apache.flink.api.common.eventtime.Watermark(Long.MAX_VALUE));
        }
    }

    private static final OutputTag<CountDelta> LATE_COUNTS = new OutputTag<>("counts-late") { };

    /** Counts frames too late even for the allowed lateness, as the metric {@code countsTooLate}; they change no window. */
    static final class LateCounter extends org.apache.flink.api.common.functions.RichMapFunction<CountDelta, Integer> {
        private static final long serialVersionUID = 1L;
        private transient org.apache.flink.metrics.Counter late;

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
            late = getRuntimeContext().getMetricGroup().counter("countsTooLate");
        }

        @Override
        public Integer map(CountDelta d) {
            late.inc();
            return 0;
        }
    }

    /** A model name or path as the TaskManagers will open it: absolute, catalogue names resolved. */
    private static String resolve(String nameOrPath) {
        return ModelLocator.resolve(nameOrPath).toAbsolutePath().toString();
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(JobConfig.usage());
            return;
        }
        JobConfig config = JobConfig.fromArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        forKafka(config).build(env);
        env.execute(config.job().name());
    }
}
