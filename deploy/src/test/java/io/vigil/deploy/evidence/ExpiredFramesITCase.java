package io.vigil.deploy.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.deploy.cli.VigilCli;
import io.vigil.deploy.kafka.EmbeddedKafka;
import io.vigil.video.image.BgrImage;
import io.vigil.video.image.JpegCodec;
import io.vigil.video.kafka.FrameCodec;
import io.vigil.video.kafka.FrameHeaders;
import io.vigil.video.kafka.FrameRecord;
import io.vigil.video.kafka.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frames topic is the recorder, and retention ends the recording: once the broker has dropped a frame (here: the
 * log start moved past it, as retention does), a snapshot by seq or by frameRef and a clip of its time each say that it
 * expired and what the oldest frame still there is, and exit 3; a frame that still exists is read back.
 */
class ExpiredFramesITCase {
    @TempDir
    Path dir;

    @Test
    void snapshotAndClipOfAnExpiredFrameSaySo() throws Exception {
        try (EmbeddedKafka k = EmbeddedKafka.start(dir.resolve("kafka"), 0, true)) {
            k.createVigilTopics(1);
            String bs = k.bootstrap();
            long t0 = System.currentTimeMillis() - 60_000; // captured a minute ago
            try (JpegCodec jpeg = new JpegCodec();
                 KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", bs, "acks", "all"),
                         new ByteArraySerializer(), new ByteArraySerializer())) {
                byte[] img = jpeg.encode(new BgrImage(64, 48, new byte[64 * 48 * 3]), 80);
                for (int seq = 0; seq < 10; seq++) {
                    FrameRecord f = new FrameRecord("exp", seq, (t0 + seq * 100L) * 1000, 64, 48, FrameHeaders.CODEC_JPEG, img);
                    p.send(FrameCodec.toRecord(Topics.FRAMES, f)).get();
                }
            }
            // what retention does to the oldest segment: the log now starts at offset 5
            TopicPartition tp = new TopicPartition(Topics.FRAMES, 0);
            k.admin().deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(5))).all().get();

            try (FrameStore store = new FrameStore(bs, null)) {
                assertEquals(7, store.at(Topics.FRAMES, 0, 7).seq(), "a frame still there is read back");
                FrameStore.NotFound byRef = assertThrows(FrameStore.NotFound.class, () -> store.at(Topics.FRAMES, 0, 2));
                assertTrue(byRef.getMessage().contains("expired") && byRef.getMessage().contains("oldest there is 5"), byRef.getMessage());
                FrameStore.NotFound bySeq = assertThrows(FrameStore.NotFound.class, () -> store.frames("exp", 1, 3));
                assertTrue(bySeq.getMessage().contains("have expired") && bySeq.getMessage().contains("oldest there is seq 5"), bySeq.getMessage());
                FrameStore.NotFound byTime = assertThrows(FrameStore.NotFound.class, () -> store.framesBetween("exp", t0 * 1000, (t0 + 300) * 1000));
                assertTrue(byTime.getMessage().contains("have expired"), byTime.getMessage());
                List<FrameRecord> kept = store.framesBetween("exp", (t0 + 500) * 1000, (t0 + 900) * 1000);
                assertEquals(List.of(5L, 6L, 7L, 8L, 9L), kept.stream().map(FrameRecord::seq).toList());
                FrameStore.NotFound never = assertThrows(FrameStore.NotFound.class, () -> store.framesBetween("exp", (t0 + 5_000) * 1000, (t0 + 6_000) * 1000));
                assertTrue(!never.getMessage().contains("expired"), "frames never sent are not called expired: " + never.getMessage());
            }

            String err = cli("snapshot", "--bootstrap", bs, "--camera", "exp", "--frame", "2", "--out", dir.resolve("a.jpg").toString());
            assertTrue(err.startsWith("3:") && err.contains("have expired"), err);
            err = cli("snapshot", "--bootstrap", bs, "--camera", "exp", "--partition", "0", "--offset", "1", "--out", dir.resolve("b.jpg").toString());
            assertTrue(err.startsWith("3:") && err.contains("has expired"), err);
            err = cli("clip", "--bootstrap", bs, "--camera", "exp", "--from", Long.toString(t0), "--to", Long.toString(t0 + 300),
                    "--out", dir.resolve("c.mp4").toString());
            assertTrue(err.startsWith("3:") && err.contains("have expired"), err);
            assertEquals("0:", cli("snapshot", "--bootstrap", bs, "--camera", "exp", "--frame", "6", "--out", dir.resolve("d.jpg").toString()));
            assertTrue(Files.size(dir.resolve("d.jpg")) > 0);
        }
    }

    /** "exit code:" and what the command printed on stderr. */
    private static String cli(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int rc = VigilCli.commandLine().execute(args);
            return rc + ":" + buf.toString(StandardCharsets.UTF_8);
        } finally {
            System.setErr(old);
        }
    }
}
