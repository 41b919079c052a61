package io.vigil.models.runtime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens ONNX Runtime sessions on the configured provider. Asking for CUDA where it cannot load (no GPU, the
 * CPU build of ONNX Runtime, missing CUDA/cuDNN libraries) falls back to CPU with one log line per JVM.
 */
public final class Sessions {
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

    private Sessions() {}

    /** A session and the provider it actually runs on. */
    public record Opened(OrtSession session, ExecutionProvider provider) {}

    public static Opened open(Path model, ExecutionProvider wanted, int intraOpThreads) throws OrtException {
        if (wanted.kind() == ExecutionProvider.Kind.CUDA) {
            try {
                OrtSession.SessionOptions opts = options(intraOpThreads);
                opts.addCUDA(wanted.device());
                return new Opened(OrtRuntime.env().createSession(model.toString(), opts), wanted);
            } catch (OrtException | RuntimeException | LinkageError e) {
                if (FALLBACK_LOGGED.compareAndSet(false, true)) {
                    LOG.warn("CUDA execution provider {} is not available ({}); running ONNX models on CPU", wanted,
                            firstLine(e.getMessage()));
                }
            }
        }
        return new Opened(OrtRuntime.env().createSession(model.toString(), options(intraOpThreads)), ExecutionProvider.CPU);
    }

    private static OrtSession.SessionOptions options(int intraOpThreads) throws OrtException {
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (intraOpThreads > 0) opts.setIntraOpNumThreads(intraOpThreads);
        opts.setInterOpNumThreads(1);
        // ONNX Runtime's workers spin between runs by default: in a pipeline that burns a core the decoder, Kafka
        // and Flink need (measured with vigil bench pipeline). They sleep instead.
        opts.addConfigEntry("session.intra_op.allow_spinning", "0");
        return opts;
    }

    private static String firstLine(String s) {
        if (s == null) return "no message";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
