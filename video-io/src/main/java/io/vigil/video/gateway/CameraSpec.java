package io.vigil.video.gateway;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.vigil.video.kafka.FrameHeaders;
import io.vigil.video.motion.MotionMask;
import io.vigil.video.source.Redaction;
import io.vigil.video.source.SourceSpec;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A camera subscription as written to the compacted {@code vigil.cameras} topic (key = id, value = this JSON;
 * a tombstone unsubscribes). Unknown fields and bad values are rejected naming the field.
 *
 * @param id          camera id, also the record key
 * @param url         rtsp://, rtsps://, http(s)://, rtmp://, udp://, tcp://, srt://, file:// or a file path, or testsrc
 * @param fps         frames per second to publish; null or absent = the source's own rate
 * @param maxWidth    downscale (keeping aspect) to fit; 0 = no limit; both null = the gateway's default publish size
 * @param maxHeight   downscale to fit; 0 = no limit; both null = the gateway's default publish size
 * @param jpegQuality 1..100, default 80
 * @param enabled     false keeps the subscription but stops streaming
 * @param loop        files: start again at the end (default true)
 * @param labels      free-form tags such as site or zone
 * @param detect      how the job's detector treats this camera: {@code every} (run it on every N-th frame), {@code weight}
 *                    (share of the detector under overload, default 1), {@code motionMask} (polygons in 0..1 whose
 *                    motion does not count); sent to the job as frame headers
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CameraSpec(String id, String url, Double fps, Integer maxWidth, Integer maxHeight, Integer jpegQuality,
                         Boolean enabled, Boolean loop, Map<String, String> labels, Detect detect) {
    /** Per-camera detection hints (all optional). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Detect(Integer every, Double weight, List<List<List<Double>>> motionMask) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Thrown for a spec that cannot be used; the message names the field and never holds a password. */
    public static final class InvalidException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public InvalidException(String message) {
            super(Redaction.redact(message));
        }
    }

    public static CameraSpec of(String id, String url) {
        return new CameraSpec(id, url, null, null, null, null, null, null, null, null);
    }

    public CameraSpec withFps(Double f) {
        return new CameraSpec(id, url, f, maxWidth, maxHeight, jpegQuality, enabled, loop, labels, detect);
    }

    public CameraSpec withMaxSize(Integer w, Integer h) {
        return new CameraSpec(id, url, fps, w, h, jpegQuality, enabled, loop, labels, detect);
    }

    public CameraSpec withEnabled(Boolean e) {
        return new CameraSpec(id, url, fps, maxWidth, maxHeight, jpegQuality, e, loop, labels, detect);
    }

    public CameraSpec withLabels(Map<String, String> l) {
        return new CameraSpec(id, url, fps, maxWidth, maxHeight, jpegQuality, enabled, loop, l == null ? null : new TreeMap<>(l), detect);
    }

    public CameraSpec withDetect(Detect d) {
        return new CameraSpec(id, url, fps, maxWidth, maxHeight, jpegQuality, enabled, loop, labels, d);
    }

    @JsonIgnore
    public boolean isEnabled() {
        return enabled == null || enabled;
    }

    /**
     * Parses and validates one record of {@code vigil.cameras}.
     *
     * @param key the record key: must equal the spec's id when the spec has one
     */
    public static CameraSpec parse(String key, byte[] json) {
        CameraSpec s;
        try {
            s = JSON.readValue(json, CameraSpec.class);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidException("camera " + key + ": unknown field '" + e.getPropertyName() + "' (known: "
                    + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")");
        } catch (JsonMappingException e) {
            String field = e.getPath().isEmpty() ? "?" : e.getPath().get(e.getPath().size() - 1).getFieldName();
            throw new InvalidException("camera " + key + ": bad value for '" + field + "': " + e.getOriginalMessage());
        } catch (IOException e) {
            // the original message: the location part would quote the record's text, password included
            throw new InvalidException("camera " + key + ": not valid JSON: " + (e instanceof JsonProcessingException j
                    ? j.getOriginalMessage() : e.getMessage()));
        }
        if (s == null) throw new InvalidException("camera " + key + ": empty spec");
        if (s.id() == null) s = new CameraSpec(key, s.url, s.fps, s.maxWidth, s.maxHeight, s.jpegQuality, s.enabled, s.loop, s.labels, s.detect);
        if (key != null && !key.equals(s.id())) throw new InvalidException("camera " + key + ": spec id '" + s.id() + "' differs from the record key");
        return s.validate();
    }

    public CameraSpec validate() {
        if (id == null || !id.matches("[A-Za-z0-9._:-]{1,128}")) {
            throw new InvalidException("camera id '" + id + "' must be 1-128 of A-Z a-z 0-9 . _ : -");
        }
        if (url == null || url.isBlank()) throw new InvalidException("camera " + id + ": url is missing");
        try {
            SourceSpec.parse(url);
        } catch (IllegalArgumentException e) {
            throw new InvalidException("camera " + id + ": bad url: " + e.getMessage());
        }
        if (fps != null && !(fps > 0 && fps <= 1000)) throw new InvalidException("camera " + id + ": fps must be > 0 (and <= 1000), got " + fps);
        if (maxWidth != null && maxWidth != 0 && maxWidth < 16) throw new InvalidException("camera " + id + ": maxWidth must be >= 16 (or 0 for no limit), got " + maxWidth);
        if (maxHeight != null && maxHeight != 0 && maxHeight < 16) throw new InvalidException("camera " + id + ": maxHeight must be >= 16 (or 0 for no limit), got " + maxHeight);
        if (jpegQuality != null && (jpegQuality < 1 || jpegQuality > 100)) {
            throw new InvalidException("camera " + id + ": jpegQuality must be 1..100, got " + jpegQuality);
        }
        if (detect != null) {
            if (detect.every() != null && (detect.every() < 1 || detect.every() > 1000)) {
                throw new InvalidException("camera " + id + ": detect.every must be 1..1000, got " + detect.every());
            }
            if (detect.weight() != null && !(detect.weight() > 0 && detect.weight() <= 1000)) {
                throw new InvalidException("camera " + id + ": detect.weight must be > 0 (and <= 1000), got " + detect.weight());
            }
            try {
                MotionMask.parse(maskText());
            } catch (IllegalArgumentException e) {
                throw new InvalidException("camera " + id + ": detect.motionMask: " + e.getMessage());
            }
        }
        return this;
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The motion mask in the vigil-motion-mask header's form, or null; checked as the job will read it. */
    private String maskText() {
        if (detect == null || detect.motionMask() == null || detect.motionMask().isEmpty()) return null;
        List<double[][]> polygons = new java.util.ArrayList<>();
        for (List<List<Double>> poly : detect.motionMask()) {
            double[][] p = new double[poly.size()][];
            for (int i = 0; i < poly.size(); i++) {
                List<Double> pt = poly.get(i);
                if (pt == null || pt.size() != 2 || pt.get(0) == null || pt.get(1) == null) throw new IllegalArgumentException("a point is not [x, y]: " + pt);
                p[i] = new double[] {pt.get(0), pt.get(1)};
            }
            polygons.add(p);
        }
        return MotionMask.format(polygons);
    }

    /** The gateway's view: paced files, looping unless told otherwise; the detection hints become frame headers. */
    @JsonIgnore
    public CameraConfig toConfig() {
        CameraConfig.Builder b = CameraConfig.builder().id(id).source(url).targetFps(fps == null ? 0 : fps)
                .jpegQuality(jpegQuality == null ? 80 : jpegQuality).loop(loop == null || loop).paced(true);
        // one side named: that side fits, the other is free; neither: the gateway's default box
        if (maxWidth != null || maxHeight != null) b.maxSize(maxWidth == null ? 0 : maxWidth, maxHeight == null ? 0 : maxHeight);
        if (detect != null) {
            if (detect.every() != null) b.frameHeader(FrameHeaders.DETECT_EVERY, Integer.toString(detect.every()));
            if (detect.weight() != null) b.frameHeader(FrameHeaders.DETECT_WEIGHT, Double.toString(detect.weight()));
            String mask = maskText();
            if (mask != null) b.frameHeader(FrameHeaders.MOTION_MASK, mask);
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "CameraSpec[" + id + " " + Redaction.redact(url) + (fps == null ? "" : " @" + fps + "fps") + "]";
    }
}
