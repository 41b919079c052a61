package io.vigil.video.kafka;

import java.util.Objects;

/**
 * One published frame: what a record on {@code vigil.frames} carries.
 *
 * @param camera      camera id (the record key)
 * @param seq         0-based frame number of this camera
 * @param tsMicros    capture time, epoch microseconds
 * @param width       pixels of the encoded image
 * @param height      pixels of the encoded image
 * @param codec       encoding of {@code payload}; only {@code jpeg} today
 * @param payload     the encoded image; not copied, callers hand over ownership
 */
public record FrameRecord(String camera, long seq, long tsMicros, int width, int height, String codec, byte[] payload) {
    public FrameRecord {
        Objects.requireNonNull(camera, "camera");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(payload, "payload");
        if (camera.isEmpty()) throw new IllegalArgumentException("camera id is empty");
        if (seq < 0) throw new IllegalArgumentException("seq < 0: " + seq);
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("bad size " + width + "x" + height);
    }

    @Override
    public String toString() {
        return "FrameRecord[" + camera + "#" + seq + " " + width + "x" + height + " " + codec + " " + payload.length + "B]";
    }
}
