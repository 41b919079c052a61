package io.vigil.flink.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code vigil.yaml}: the job's whole configuration in one file, read once at start into typed records.
 * Unknown keys and bad values fail naming the key. Sections: kafka, job, detect, track, actions, testing.
 *
 * <pre>
 * kafka:   {bootstrap: 127.0.0.1:9092, group: vigil-job, startFrom: committed, properties: {security.protocol: SASL_SSL}}
 * job:     {name: vigil, parallelism: 1, checkpointInterval: 5s, delivery: exactly-once}
 * detect:  {model: /models/yolox-nano, provider: cpu, threads: 0, scoreThreshold: 0.3, batchSize: 8, batchTimeout: 20ms, maxPixels: 33177600}
 * track:   {maxSeqGap: 50, maxTimeGap: 10s}
 * actions: {model: gesture-point-history-lstm, votes: 10, threshold: 0.5}
 * </pre>
 */
public final class VigilYaml {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    record File(Kafka kafka, Job job, Detect detect, Track track, Actions actions, Spatiotemporal spatiotemporal, Testing testing) {}

    record Spatiotemporal(String model, String kernel, String backend, String head, Boolean saliency) {}

    record Kafka(String bootstrap, String group, @JsonProperty("startFrom") String startFrom, Map<String, String> properties) {}

    record Job(String name, Integer parallelism, @JsonProperty("checkpointInterval") String checkpointInterval, String delivery) {}

    record Detect(String model, String provider, Integer threads, @JsonProperty("scoreThreshold") Float scoreThreshold,
                  @JsonProperty("batchSize") Integer batchSize, @JsonProperty("batchTimeout") String batchTimeout,
                  @JsonProperty("maxPixels") Long maxPixels) {}

    record Track(@JsonProperty("maxSeqGap") Long maxSeqGap, @JsonProperty("maxTimeGap") String maxTimeGap) {}

    record Actions(String model, Integer votes, Float threshold) {}

    record Testing(@JsonProperty("failAfterFrames") List<Long> failAfterFrames) {}

    private VigilYaml() {}

    /** Reads {@code file} into the builder (values it does not set keep their defaults). */
    public static void load(Path file, JobConfig.Builder b) {
        File f;
        try {
            f = YAML.readValue(Files.readAllBytes(file), File.class);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(file + ": unknown key '" + path(e) + "' (known here: "
                    + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")");
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(file + ": bad value at '" + path(e) + "': " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        if (f == null) return;
        String w = file.toString();
        if (f.kafka() != null) {
            if (f.kafka().bootstrap() != null) b.bootstrap(f.kafka().bootstrap());
            if (f.kafka().group() != null) b.groupId(f.kafka().group());
            if (f.kafka().startFrom() != null) b.startFrom(enumValue(w, "kafka.startFrom", f.kafka().startFrom(), JobConfig.StartFrom.class));
            if (f.kafka().properties() != null) f.kafka().properties().forEach(b::kafkaProperty);
        }
        if (f.job() != null) {
            if (f.job().name() != null) b.jobName(f.job().name());
            if (f.job().parallelism() != null) b.parallelism(f.job().parallelism());
            if (f.job().checkpointInterval() != null) b.checkpointInterval(Durations.parse("job.checkpointInterval", f.job().checkpointInterval()));
            if (f.job().delivery() != null) b.delivery(enumValue(w, "job.delivery", f.job().delivery(), JobConfig.Delivery.class));
        }
        if (f.detect() != null) {
            Detect d = f.detect();
            if (d.model() != null) b.modelPath(d.model());
            if (d.provider() != null) b.provider(d.provider());
            if (d.threads() != null) b.inferenceThreads(d.threads());
            if (d.scoreThreshold() != null) b.scoreThreshold(d.scoreThreshold());
            if (d.batchSize() != null) b.batchSize(d.batchSize());
            if (d.batchTimeout() != null) b.batchTimeoutMs(Durations.parse("detect.batchTimeout", d.batchTimeout()).toMillis());
            if (d.maxPixels() != null) b.maxPixels(d.maxPixels());
        }
        if (f.track() != null) {
            if (f.track().maxSeqGap() != null) b.maxSeqGap(f.track().maxSeqGap());
            if (f.track().maxTimeGap() != null) b.maxTimeGapMs(Durations.parse("track.maxTimeGap", f.track().maxTimeGap()).toMillis());
        }
        if (f.actions() != null) {
            if (f.actions().model() != null) b.actionModel(f.actions().model());
            if (f.actions().votes() != null) b.actionVotes(f.actions().votes());
            if (f.actions().threshold() != null) b.actionThreshold(f.actions().threshold());
        }
        if (f.spatiotemporal() != null) {
            if (f.spatiotemporal().model() != null) b.spatiotemporalModel(f.spatiotemporal().model());
            if (f.spatiotemporal().kernel() != null) b.spatiotemporalKernel(f.spatiotemporal().kernel());
            if (f.spatiotemporal().backend() != null) b.spatiotemporalBackend(f.spatiotemporal().backend());
            if (f.spatiotemporal().head() != null) b.spatiotemporalHead(f.spatiotemporal().head());
            if (f.spatiotemporal().saliency() != null) b.saliency(f.spatiotemporal().saliency());
        }
        if (f.testing() != null && f.testing().failAfterFrames() != null) {
            b.failAfterFrames(f.testing().failAfterFrames().stream().mapToLong(Long::longValue).toArray());
        }
    }

    private static <E extends Enum<E>> E enumValue(String file, String key, String v, Class<E> type) {
        try {
            return Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + key + " must be one of "
                    + java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList()
                    + ", got '" + v + "'");
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
