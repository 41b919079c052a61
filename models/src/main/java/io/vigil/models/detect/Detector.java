package io.vigil.models.detect;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.bundle.ModelDescriptor;
import io.vigil.models.bundle.ModelException;
import io.vigil.models.runtime.ExecutionProvider;
import io.vigil.models.runtime.OrtRuntime;
import io.vigil.models.runtime.Sessions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An object detector: one ONNX Runtime session plus the model's pre- and post-processing. Owns its session
 * and buffers; not thread-safe (one per operator instance).
 */
public final class Detector implements AutoCloseable {
    private final ModelBundle bundle;
    private final OrtSession session;
    private final ExecutionProvider provider;
    private final String inputName;
    private final String outputName;
    private final Preprocessor pre;
    private final DetectionDecoder decoder;
    private final float scoreThreshold;
    private final float nmsIou;
    private final boolean classAware;
    private final long[] inputShape;
    private final FloatBuffer input;   // [1, 3, inH, inW], direct so ONNX Runtime reads it in place
    private final Candidates candidates = new Candidates();

    private Detector(ModelBundle bundle, OrtSession session, ExecutionProvider provider, DetectorOptions opts) {
        this.bundle = bundle;
        this.session = session;
        this.provider = provider;
        ModelDescriptor d = bundle.descriptor();
        ModelDescriptor.Input in = d.input();
        this.inputName = in.name();
        this.outputName = d.decoder().output();
        this.pre = new Preprocessor(in.width(), in.height(), ResizeMode.parse(in.resize()), "RGB".equals(in.channels()),
                in.pad() == null ? 114 : in.pad(), in.scale() == null ? 1f : in.scale(), floats(in.mean()), floats(in.std()));
        this.decoder = new YoloxDecoder(d.decoder().strides().stream().mapToInt(Integer::intValue).toArray(), in.width(), in.height());
        this.scoreThreshold = opts.scoreThreshold() != null ? opts.scoreThreshold() : d.scoreThreshold() != null ? d.scoreThreshold() : 0.3f;
        this.nmsIou = opts.nmsIou() != null ? opts.nmsIou() : d.nmsIou() != null ? d.nmsIou() : 0.45f;
        boolean agnostic = opts.classAgnostic() != null ? opts.classAgnostic() : "class-agnostic".equals(d.nms());
        this.classAware = !agnostic;
        this.inputShape = new long[] {1, 3, in.height(), in.width()};
        this.input = ByteBuffer.allocateDirect(3 * in.width() * in.height() * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * Opens the model and checks its graph against the descriptor.
     *
     * @throws ModelException naming the tensor that does not fit, or why ONNX Runtime refused the file
     */
    public static Detector open(ModelBundle bundle, DetectorOptions opts) {
        Sessions.Opened opened;
        try {
            opened = Sessions.open(bundle.onnxFile(), opts.provider(), opts.intraOpThreads());
        } catch (OrtException e) {
            throw new ModelException("ONNX Runtime cannot load " + bundle.onnxFile() + ": " + e.getMessage(), e);
        }
        Detector det = new Detector(bundle, opened.session(), opened.provider(), opts);
        try {
            det.checkGraph();
        } catch (RuntimeException e) {
            det.close();
            throw e;
        }
        return det;
    }

    private void checkGraph() {
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            NodeInfo in = inputs.get(inputName);
            if (in == null) throw new ModelException(bundle.onnxFile() + ": no input '" + inputName + "' (the graph has " + inputs.keySet() + ")");
            long[] shape = ((TensorInfo) in.getInfo()).getShape();
            if (shape.length != 4 || !dimFits(shape[1], 3) || !dimFits(shape[2], inputShape[2]) || !dimFits(shape[3], inputShape[3])) {
                throw new ModelException(bundle.onnxFile() + ": input '" + inputName + "' has shape " + Arrays.toString(shape)
                        + ", model.yaml says [N, 3, " + inputShape[2] + ", " + inputShape[3] + "]");
            }
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            NodeInfo out = outputs.get(outputName);
            if (out == null) throw new ModelException(bundle.onnxFile() + ": no output '" + outputName + "' (the graph has " + outputs.keySet() + ")");
            decoder.checkShape(outputName, ((TensorInfo) out.getInfo()).getShape(), bundle.labels().size());
        } catch (OrtException e) {
            throw new ModelException("cannot read the graph of " + bundle.onnxFile() + ": " + e.getMessage(), e);
        }
    }

    private static boolean dimFits(long dim, long want) {
        return dim == want || dim < 0;
    }

    /**
     * Detects objects in one frame.
     *
     * @param bgr [height][width][3] packed BGR pixels
     */
    public DetectionResult detect(byte[] bgr, int width, int height) {
        long t0 = System.nanoTime();
        input.clear();
        Letterbox lb = pre.apply(bgr, width, height, input);
        input.rewind();
        long t1 = System.nanoTime();
        float[] out;
        long[] outShape;
        try (OnnxTensor tensor = OnnxTensor.createTensor(OrtRuntime.env(), input, inputShape);
             OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            OnnxTensor o = (OnnxTensor) result.get(outputName).orElseThrow();
            outShape = o.getInfo().getShape();
            FloatBuffer fb = o.getFloatBuffer();
            out = new float[fb.remaining()];
            fb.get(out);
        } catch (OrtException e) {
            throw new ModelException("inference failed on " + bundle.modelId() + ": " + e.getMessage(), e);
        }
        long t2 = System.nanoTime();
        candidates.clear();
        decoder.decode(out, 0, Arrays.copyOfRange(outShape, 1, outShape.length), lb, scoreThreshold, candidates);
        List<Detection> dets = Nms.apply(candidates, nmsIou, classAware, bundle.labels());
        long t3 = System.nanoTime();
        return new DetectionResult(dets, t1 - t0, t2 - t1, t3 - t2);
    }

    public ModelBundle bundle() { return bundle; }

    /** The provider the session really runs on (CPU after a CUDA fallback). */
    public ExecutionProvider provider() { return provider; }

    public float scoreThreshold() { return scoreThreshold; }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new ModelException("closing session of " + bundle.modelId() + " failed: " + e.getMessage(), e);
        }
    }

    private static float[] floats(List<Float> l) {
        if (l == null) return null;
        float[] f = new float[l.size()];
        for (int i = 0; i < f.length; i++) f[i] = l.get(i);
        return f;
    }
}
