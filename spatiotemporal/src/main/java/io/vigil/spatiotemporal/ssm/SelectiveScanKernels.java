package io.vigil.spatiotemporal.ssm;

import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the selective-scan kernel: the Vector API one when {@code jdk.incubator.vector} is in the boot layer
 * (the launcher, tests and cluster configs add it), else the scalar reference. The system property
 * {@code vigil.scan.kernel=scalar|vector} forces one. The choice is logged once per JVM.
 */
public final class SelectiveScanKernels {
    private static final Logger LOG = LoggerFactory.getLogger(SelectiveScanKernels.class);
    public static final String PROPERTY = "vigil.scan.kernel";
    private static volatile Supplier<SelectiveScanKernel> chosen;

    private SelectiveScanKernels() {}

    public static boolean vectorAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** A new kernel instance of the configured kind (kernels hold workspaces: one per thread). */
    public static SelectiveScanKernel create() {
        Supplier<SelectiveScanKernel> s = chosen;
        if (s == null) {
            synchronized (SelectiveScanKernels.class) {
                if (chosen == null) chosen = choose();
                s = chosen;
            }
        }
        return s.get();
    }

    public static SelectiveScanKernel create(String kind) {
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "scalar" -> new ScalarSelectiveScan();
            case "scalar-poly" -> new PolyExpScalarSelectiveScan();
            case "vector" -> {
                if (!vectorAvailable()) throw new IllegalStateException("the vector kernel needs --add-modules jdk.incubator.vector");
                yield new VectorSelectiveScan();
            }
            default -> throw new IllegalArgumentException(PROPERTY + " must be scalar, scalar-poly or vector, got '" + kind + "'");
        };
    }

    private static Supplier<SelectiveScanKernel> choose() {
        String forced = System.getProperty(PROPERTY);
        if (forced != null && !forced.isBlank()) {
            create(forced); // validates now, with the message
            LOG.info("selective scan: {} kernel ({}={})", forced, PROPERTY, forced);
            return () -> create(forced);
        }
        if (vectorAvailable()) {
            LOG.info("selective scan: vector kernel ({} lanes)", VectorMath.F.length());
            return VectorSelectiveScan::new;
        }
        LOG.info("selective scan: scalar kernel (jdk.incubator.vector is not enabled: add --add-modules jdk.incubator.vector for the fast one)");
        return ScalarSelectiveScan::new;
    }
}
