package io.vigil.models.runtime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import io.vigil.models.bundle.ModelException;
import io.vigil.models.onnx.InitializerInputs;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens ONNX Runtime sessions on the configured provider. Asking for CUDA where it cannot load (no GPU, the
 * CPU build of ONNX Runtime, missing CUDA/cuDNN libraries) falls back to CPU with a WARN for every session that does
 * (a "GPU" deployment must not run on CPU unnoticed), or, when the provider is required, fails naming why.
 */
public final class Sessions {
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

    private Sessions() {}

    /**
     * A session, the provider it actually runs on, and why that is not the one asked for (null when it is).
     */
    public record Opened(OrtSession session, ExecutionProvider provider, String fallbackReason) {
        public Opened(OrtSession session, ExecutionProvider provider) {
            this(session, provider, null);
        }
    }

    public static Opened open(Path model, ExecutionProvider wanted, int intraOpThreads) throws OrtException {
        return open(model, wanted, intraOpThreads, false);
    }

    /** @param require fail instead of falling back to CPU when {@code wanted} cannot be used */
    public static Opened open(Path model, ExecutionProvider wanted, int intraOpThreads, boolean require) throws OrtException {
        String reason = null;
        if (wanted.kind() == ExecutionProvider.Kind.CUDA) {
            try {
                OrtSession.SessionOptions opts = options(model, intraOpThreads);
                opts.addCUDA(wanted.device());
                return new Opened(OrtRuntime.env().createSession(model.toString(), opts), wanted);
            } catch (OrtException | RuntimeException | LinkageError e) {
                reason = wanted + " is not available (" + firstLine(e.getMessage()) + ")";
                if (require) {
                    throw new ModelException("execution provider " + wanted + " is required (--require-provider / detect.requireProvider) but "
                            + reason + ": not falling back to CPU", e);
                }
                LOG.warn("{}: {} runs on CPU", reason, model.getFileName());
            }
        }
        return new Opened(OrtRuntime.env().createSession(model.toString(), options(model, intraOpThreads)), ExecutionProvider.CPU, reason);
    }

    private static final Set<Path> SAID = ConcurrentHashMap.newKeySet();

    private static OrtSession.SessionOptions options(Path model, int intraOpThreads) throws OrtException {
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        int overridable = InitializerInputs.count(model);
        if (overridable > 0) {
            // ONNX Runtime prints one multi-line warning per such initializer (113 for UltraFace): one line per model says it
            opts.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            if (SAID.add(model.toAbsolutePath().normalize())) {
                LOG.warn("{}: {} initializers are also graph inputs, so ONNX Runtime does not constant-fold them (re-export the model "
                        + "without them to fix it); its {} load warnings about this are folded into this line", model.getFileName(), overridable, overridable);
            }
        }
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
