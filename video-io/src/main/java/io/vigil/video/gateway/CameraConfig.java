package io.vigil.video.gateway;

import io.vigil.video.source.SourceSpec;
import java.util.Objects;

/**
 * How the gateway reads and publishes one camera. Built with {@link #builder()}; {@code build()} checks every
 * value and names the one that is wrong.
 */
public final class CameraConfig {
    /** maxWidth and maxHeight when the camera names no size: the gateway's default applies. */
    public static final int GATEWAY_DEFAULT = -1;
    private final String id;
    private final SourceSpec source;
    private final double targetFps;
    private final int maxWidth;
    private final int maxHeight;
    private final int jpegQuality;
    private final boolean loop;
    private final boolean paced;
    private final long maxFrames;
    private final double paceFps;
    private final java.util.Map<String, String> frameHeaders;

    private CameraConfig(Builder b) {
        this.id = b.id;
        this.source = b.source;
        this.targetFps = b.targetFps;
        this.maxWidth = b.maxWidth;
        this.maxHeight = b.maxHeight;
        this.jpegQuality = b.jpegQuality;
        this.loop = b.loop;
        this.paced = b.paced;
        this.maxFrames = b.maxFrames;
        this.paceFps = b.paceFps;
        this.frameHeaders = java.util.Map.copyOf(b.frameHeaders);
    }

    public static Builder builder() { return new Builder(); }

    public String id() { return id; }
    public SourceSpec source() { return source; }
    /** Frames per second to publish; 0 keeps every source frame. */
    public double targetFps() { return targetFps; }
    /** The box to fit; {@link #GATEWAY_DEFAULT} (both sides) = the gateway's {@link GatewayOptions#publishSize}, 0 = no limit. */
    public int maxWidth() { return maxWidth; }
    public int maxHeight() { return maxHeight; }

    /** Whether this camera leaves its size to the gateway's default. */
    public boolean usesGatewaySize() { return maxWidth == GATEWAY_DEFAULT && maxHeight == GATEWAY_DEFAULT; }

    /** The box this camera's frames fit, with the gateway's default where it names none. */
    public PublishSize publishSize(PublishSize gatewayDefault) {
        return usesGatewaySize() ? gatewayDefault : new PublishSize(Math.max(0, maxWidth), Math.max(0, maxHeight));
    }
    public int jpegQuality() { return jpegQuality; }
    /** Files only: start again at the end (seq keeps increasing). */
    public boolean loop() { return loop; }
    /** Files only: release frames at the native rate instead of as fast as they decode. */
    public boolean paced() { return paced; }
    /** Stop after publishing this many frames; 0 = no limit. */
    public long maxFrames() { return maxFrames; }
    /** Files only: pace at this rate instead of the file's own (benchmarks replaying at 25 fps); 0 = native. */
    public double paceFps() { return paceFps; }

    /** Extra headers on every frame of this camera (its detection hints for the job: vigil-detect-every, ...). */
    public java.util.Map<String, String> frameHeaders() { return frameHeaders; }

    @Override
    public String toString() {
        return "camera " + id + " <- " + source.display();
    }

    public static final class Builder {
        private String id;
        private SourceSpec source;
        private double targetFps = 0;
        private int maxWidth = GATEWAY_DEFAULT;
        private int maxHeight = GATEWAY_DEFAULT;
        private int jpegQuality = 80;
        private boolean loop = false;
        private boolean paced = true;
        private long maxFrames = 0;
        private double paceFps = 0;
        private final java.util.Map<String, String> frameHeaders = new java.util.TreeMap<>();

        public Builder id(String id) { this.id = id; return this; }
        public Builder source(SourceSpec source) { this.source = source; return this; }
        public Builder source(String source) { this.source = SourceSpec.parse(source); return this; }
        public Builder targetFps(double fps) { this.targetFps = fps; return this; }
        /** Fit width x height (0 = no limit on that side); not called: the gateway's default. */
        public Builder maxSize(int width, int height) { this.maxWidth = width; this.maxHeight = height; return this; }
        /** The camera's own size, whatever the gateway's default. */
        public Builder fullSize() { return maxSize(0, 0); }
        public Builder jpegQuality(int q) { this.jpegQuality = q; return this; }
        public Builder loop(boolean loop) { this.loop = loop; return this; }
        public Builder paced(boolean paced) { this.paced = paced; return this; }
        public Builder maxFrames(long n) { this.maxFrames = n; return this; }
        public Builder paceFps(double fps) { this.paceFps = fps; return this; }
        public Builder frameHeader(String name, String value) { this.frameHeaders.put(name, value); return this; }

        public CameraConfig build() {
            if (id == null || id.isBlank()) throw new IllegalArgumentException("camera.id is missing");
            if (!id.matches("[A-Za-z0-9._:-]{1,128}")) {
                throw new IllegalArgumentException("camera.id '" + id + "' must be 1-128 of A-Z a-z 0-9 . _ : -");
            }
            Objects.requireNonNull(source, "camera.source is missing for camera " + id);
            if (targetFps < 0 || Double.isNaN(targetFps)) throw new IllegalArgumentException("camera.targetFps must be >= 0 (0 = every frame): " + targetFps);
            boolean inherit = maxWidth == GATEWAY_DEFAULT && maxHeight == GATEWAY_DEFAULT;
            if (!inherit && (maxWidth < 0 || maxHeight < 0)) {
                throw new IllegalArgumentException("camera.maxWidth/maxHeight must be >= 0 (0 = no limit), got " + maxWidth + "x" + maxHeight);
            }
            if (jpegQuality < 1 || jpegQuality > 100) throw new IllegalArgumentException("camera.jpegQuality must be 1..100: " + jpegQuality);
            if (maxFrames < 0) throw new IllegalArgumentException("camera.maxFrames must be >= 0: " + maxFrames);
            return new CameraConfig(this);
        }
    }
}
