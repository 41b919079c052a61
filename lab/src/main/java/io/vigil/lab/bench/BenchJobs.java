package io.vigil.lab.bench;

import io.vigil.deploy.demo.LocalJob;
import io.vigil.video.kafka.Topics;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What the live benchmarks share: a consumer of the detections from their current end, and a job that is running. */
final class BenchJobs {
    private BenchJobs() {}

    static KafkaConsumer<byte[], byte[]> consumer(String bs, String group, String isolation) {
        return consumer(bs, group, isolation, false);
    }

    /** @param batched fetch at least 256 KB or wait 200 ms (for counting, not for latency) */
    static KafkaConsumer<byte[], byte[]> consumer(String bs, String group, String isolation, boolean batched) {
        return new KafkaConsumer<>(Map.of("bootstrap.servers", bs, "group.id", group, "enable.auto.commit", "false", "isolation.level", isolation,
                "fetch.min.bytes", batched ? "262144" : "1", "fetch.max.wait.ms", batched ? "200" : "500"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Assigns every partition of vigil.detections and resolves "their end" now, not at the first poll. */
    static void fromEnd(KafkaConsumer<byte[], byte[]> c) {
        List<TopicPartition> parts = c.partitionsFor(Topics.DETECTIONS).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        c.assign(parts);
        c.seekToEnd(parts);
        for (TopicPartition tp : parts) c.position(tp);
    }

    /** Waits (up to a minute) for the job to run, then 3 s more for its source to have its splits. */
    static void awaitRunning(LocalJob job) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (job.client().getJobStatus().get() != JobStatus.RUNNING && System.currentTimeMillis() < deadline) Thread.sleep(200);
        Thread.sleep(3000);
    }

    /** {@code cameras} cameras named tag0, tag1, ... replaying vtest.avi in a loop, paced at {@code fps}. */
    static void startVtestCameras(io.vigil.video.gateway.CameraGateway gw, String tag, int cameras, int fps) {
        String vtest = io.vigil.video.source.SampleMedia.require(io.vigil.video.source.SampleMedia.VTEST).toString();
        for (int i = 0; i < cameras; i++) {
            gw.start(io.vigil.video.gateway.CameraConfig.builder().id(tag + i).source(vtest).loop(true).paced(true).paceFps(fps).build());
        }
    }
}
