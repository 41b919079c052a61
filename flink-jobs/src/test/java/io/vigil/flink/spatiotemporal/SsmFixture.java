package io.vigil.flink.spatiotemporal;

import io.vigil.spatiotemporal.io.SafeTensors;
import io.vigil.spatiotemporal.model.SpatiotemporalConfig;
import io.vigil.spatiotemporal.model.SpatiotemporalModel;
import io.vigil.spatiotemporal.ssm.MambaWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A TEST FIXTURE, never an action model: the golden Mamba block of ../shared/golden/spatiotemporal.safetensors
 * over a 4 x 4 patch grid of 16 x 16 frames (patch 4), with a seeded patch embedding.
 */
public final class SsmFixture {
    private SsmFixture() {}

    public static final SpatiotemporalConfig CONFIG = new SpatiotemporalConfig(3, 16, 16, 4, 16, 8, 4, 2, 1, "spatiotemporal", 2, 2);

    public static Path write(Path dir) throws Exception {
        Path golden = Path.of(System.getProperty("vigil.shared", "../shared"), "golden", "spatiotemporal.safetensors");
        if (!Files.isRegularFile(golden)) throw new IllegalStateException("golden file missing: " + golden.toAbsolutePath());
        MambaWeights block = MambaWeights.from(SafeTensors.read(golden), "");
        Random r = new Random(7);
        float[] pw = new float[16 * 48];
        for (int i = 0; i < pw.length; i++) pw[i] = (float) (r.nextGaussian() * 0.3);
        float[] pb = new float[16];
        Path f = dir.resolve("ssm-fixture.safetensors");
        SpatiotemporalModel.withBlock(CONFIG, block, pw, pb, "scalar").save(f);
        return f;
    }

    /** Deterministic frame tensors [3][16][16] in 0..1. */
    public static float[] frame(long seed) {
        Random r = new Random(seed);
        float[] f = new float[3 * 16 * 16];
        for (int i = 0; i < f.length; i++) f[i] = r.nextFloat();
        return f;
    }
}
