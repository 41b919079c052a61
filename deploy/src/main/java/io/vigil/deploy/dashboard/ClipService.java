package io.vigil.deploy.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.deploy.evidence.ClipWriter;
import io.vigil.deploy.evidence.FrameStore;
import io.vigil.events.rules.Rule;
import io.vigil.video.kafka.FrameRecord;
import io.vigil.video.kafka.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The dashboard's evidence: the exact frame an analytics event names (by frameRef, the newest 128 kept) and short clips
 * around an event, both read back from {@code vigil.frames}. One Kafka consumer, so one request at a time.
 */
final class ClipService implements AutoCloseable {
    static final long MAX_SPAN_MS = 60_000;
    private static final int FRAMES_KEPT = 128;

    private final FrameStore store;
    private final Map<Long, byte[]> recent = new LinkedHashMap<>(FRAMES_KEPT * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > FRAMES_KEPT;
        }
    };

    ClipService(String bootstrap, Properties client) {
        this.store = new FrameStore(bootstrap, client);
    }

    /** The JPEG at vigil.frames partition/offset. */
    synchronized byte[] frame(int partition, long offset) throws FrameStore.NotFound {
        long key = ((long) partition << 48) ^ offset;
        byte[] jpeg = recent.get(key);
        if (jpeg == null) {
            jpeg = store.at(Topics.FRAMES, partition, offset).payload();
            recent.put(key, jpeg);
        }
        return jpeg;
    }

    /** An MP4 of the camera's frames captured in [fromMs, toMs] with their detections and {@code rules} drawn. */
    synchronized byte[] clip(String camera, long fromMs, long toMs, List<Rule> rules) throws FrameStore.NotFound, IOException {
        List<FrameRecord> frames = store.framesBetween(camera, fromMs * 1000, toMs * 1000);
        Map<Long, JsonNode> detections = store.detections(camera, frames.get(0).seq(), frames.get(frames.size() - 1).seq(), fromMs);
        Path tmp = Files.createTempFile("vigil-clip-", ".mp4");
        try {
            try {
                ClipWriter.write(frames, detections, rules, true, tmp);
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("writing the clip of camera " + camera + " failed: " + e.getMessage(), e);
            }
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public synchronized void close() {
        store.close();
    }
}
