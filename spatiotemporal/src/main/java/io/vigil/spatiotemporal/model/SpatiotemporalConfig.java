package io.vigil.spatiotemporal.model;

/**
 * Shape of a spatiotemporal model: frames of {@code channels x height x width} are cut into
 * {@code patch x patch} patches (a {@code height/patch x width/patch} grid of tokens), embedded to
 * {@code dModel}, and run through {@code layers} residual Mamba layers over the scan plan {@code path}.
 */
public record SpatiotemporalConfig(int channels, int height, int width, int patch, int dModel, int dState, int dConv,
                                   int expand, int layers, String path, int window, int step) {
    public SpatiotemporalConfig {
        req(channels > 0, "channels", channels);
        req(height > 0, "height", height);
        req(width > 0, "width", width);
        req(patch > 0, "patch", patch);
        if (height % patch != 0 || width % patch != 0) {
            throw new IllegalArgumentException("frame " + height + "x" + width + " is not a whole number of " + patch + "x" + patch + " patches");
        }
        req(dModel > 0, "dModel", dModel);
        req(dState > 0, "dState", dState);
        req(dConv > 0, "dConv", dConv);
        req(expand > 0, "expand", expand);
        req(layers > 0, "layers", layers);
        req(window > 0, "window", window);
        req(step > 0, "step", step);
    }

    public int rows() {
        return height / patch;
    }

    public int cols() {
        return width / patch;
    }

    public int tokens() {
        return rows() * cols();
    }

    private static void req(boolean ok, String key, int v) {
        if (!ok) throw new IllegalArgumentException("spatiotemporal model: " + key + " must be > 0, got " + v);
    }
}
