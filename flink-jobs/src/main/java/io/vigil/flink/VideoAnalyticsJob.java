package io.vigil.flink;

import io.vigil.flink.config.JobConfig;
import io.vigil.flink.detect.DetectOperator;
import io.vigil.flink.detect.DetectionEvent;
import io.vigil.flink.detect.DetectionEventSerializer;
import io.vigil.flink.kafka.FrameDeserializer;
import io.vigil.flink.kafka.FrameEnvelope;
import io.vigil.video.kafka.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Vigil's main job: frames from Kafka, detection, events to Kafka. It takes its source and sink in the
 * constructor, so operator tests can plug in others; {@link #forKafka} is the production wiring that
 * {@link #main} and every end-to-end test use.
 *
 * <pre>
 * KafkaSource(vigil.frames, event time = vigil-ts) -> Detect -> KafkaSink(vigil.detections, key = camera)
 * </pre>
 *
 * Everything after the source is chained with forward edges, so a camera's frames (one Kafka partition,
 * one source split) stay in order to the sink.
 */
public final class VideoAnalyticsJob {
    /** Frames may arrive this late within a camera before the watermark passes them. */
    static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(2);
    /** A camera partition with no frames stops holding the watermark back after this long. */
    static final Duration IDLENESS = Duration.ofSeconds(10);

    private final Source<FrameEnvelope, ?, ?> source;
    private final Sink<DetectionEvent> sink;
    private final JobConfig config;

    public VideoAnalyticsJob(Source<FrameEnvelope, ?, ?> source, Sink<DetectionEvent> sink, JobConfig config) {
        this.source = source;
        this.sink = sink;
        this.config = config;
    }

    public static VideoAnalyticsJob forKafka(JobConfig config) {
        OffsetsInitializer start = switch (config.startFrom()) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
        KafkaSource<FrameEnvelope> source = KafkaSource.<FrameEnvelope>builder()
                .setBootstrapServers(config.bootstrap())
                .setTopics(Topics.FRAMES)
                .setGroupId(config.groupId())
                .setStartingOffsets(start)
                .setDeserializer(new FrameDeserializer())
                .setProperty("partition.discovery.interval.ms", "10000")
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setProperty("max.partition.fetch.bytes", Integer.toString(8 * 1024 * 1024))
                .build();
        Properties producer = new Properties();
        // The broker refuses transactions longer than its maximum (15 min by default); Flink's default is 1 h.
        producer.setProperty("transaction.timeout.ms", "600000");
        producer.setProperty("linger.ms", "5");
        KafkaSink<DetectionEvent> sink = KafkaSink.<DetectionEvent>builder()
                .setBootstrapServers(config.bootstrap())
                .setRecordSerializer(new DetectionEventSerializer(Topics.DETECTIONS))
                .setDeliveryGuarantee(config.delivery() == JobConfig.Delivery.EXACTLY_ONCE
                        ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix("vigil-" + config.groupId())
                .setKafkaProducerConfig(producer)
                .build();
        return new VideoAnalyticsJob(source, sink, config);
    }

    /** Adds the job's operators to {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        env.setParallelism(config.parallelism());
        if (config.checkpointIntervalMs() > 0) env.enableCheckpointing(config.checkpointIntervalMs());
        WatermarkStrategy<FrameEnvelope> watermarks = WatermarkStrategy
                .<FrameEnvelope>forBoundedOutOfOrderness(OUT_OF_ORDERNESS)
                .withTimestampAssigner((f, kafkaTs) -> f.tsMicros / 1000)
                .withIdleness(IDLENESS);
        DataStream<FrameEnvelope> frames = env.fromSource(source, watermarks, "frames").uid("frames-source");
        String model = Path.of(config.modelPath()).toAbsolutePath().toString();
        DataStream<DetectionEvent> detections = frames
                .process(new DetectOperator(model, config.provider(), config.inferenceThreads(), config.scoreThreshold()))
                .name("detect").uid("detect");
        detections.sinkTo(sink).name("detections-sink").uid("detections-sink");
    }

    public static void main(String[] args) throws Exception {
        JobConfig config = JobConfig.fromArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        forKafka(config).build(env);
        env.execute(config.jobName());
    }
}
