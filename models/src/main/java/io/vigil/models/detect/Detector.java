package io.vigil.models.detect;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.bundle.ModelDescriptor;
import io.vigil.models.bundle.ModelDescriptors;
import io.vigil.models.bundle.ModelException;
import io.vigil.models.runtime.ExecutionProvider;
import io.vigil.models.runtime.OrtRuntime;
import io.vigil.models.runtime.SharedSessions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An object detector: one ONNX Runtime session plus the model's pre- and post-processing. Frames of several
 * cameras go through in ONE session run when the model's batch axis is dynamic (up to {@code maxBatch}); a
 * fixed-batch model is run frame by frame, transparently. Owns its session and its direct input buffer; not
 * thread-safe (one per operator instance).
 */
public final class Detector implements AutoCloseable {
    private final ModelBundle bundle;
    private final SharedSessions.Lease lease;
    private final OrtSession session;
    private final ExecutionProvider provider;
    private final String inputName;
    private final Preprocessor pre;
    private final DetectionDecoder decoder;
    private final float scoreThreshold;
    private final float nmsIou;
    private final String nms;
    private final int maxBatch;
    private final boolean dynamicBatch;
    private final int inW;
    private final int inH;
    private final FloatBuffer input;   // [maxBatch, 3, inH, inW], direct so ONNX Runtime reads it in place
    private final Letterbox[] letterboxes;
    private final Candidates candidates = new Candidates();
    private final RawOutputs outs = new RawOutputs(); // the decoder's view of the last run, its arrays reused
    private RunBuffers buffers;                        // per batch size: the input tensor and the bound outputs

    private Detector(ModelBundle bundle, SharedSessions.Lease lease, DetectorOptions opts, boolean dynamicBatch) {
        this.bundle = bundle;
        this.lease = lease;
        this.session = lease.session();
        this.provider = lease.provider();
        ModelDescriptor d = bundle.descriptor();
        ModelDescriptor.Input in = d.input();
        this.inputName = in.name();
        this.inW = in.width();
        this.inH = in.height();
        this.pre = new Preprocessor(inW, inH, ResizeMode.parse(in.resize()), "RGB".equals(in.channels()),
                in.pad() == null ? 114 : in.pad(), in.scale() == null ? 1f : in.scale(), floats(in.mean()), floats(in.std()));
        this.decoder = Decoders.create(d, bundle.descriptorSource());
        this.scoreThreshold = opts.scoreThreshold() != null ? opts.scoreThreshold() : d.scoreThreshold() != null ? d.scoreThreshold() : 0.3f;
        this.nmsIou = opts.nmsIou() != null ? opts.nmsIou() : d.nmsIou() != null ? d.nmsIou() : 0.45f;
        String mode = opts.nms() != null ? opts.nms() : d.nms() != null ? d.nms() : "e2e".equals(d.decoder().type()) ? "none" : "class-aware";
        this.nms = mode;
        this.dynamicBatch = dynamicBatch;
        this.maxBatch = dynamicBatch ? opts.maxBatch() : 1;
        this.input = ByteBuffer.allocateDirect(maxBatch * 3 * inW * inH * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        this.letterboxes = new Letterbox[maxBatch];
    }

    /**
     * Opens the model and checks its graph against the descriptor.
     *
     * @throws ModelException naming the tensor that does not fit, or why ONNX Runtime refused the file
     */
    public static Detector open(ModelBundle bundle, DetectorOptions opts) {
        if (!"detector".equals(bundle.descriptor().kind())) {
            throw new ModelException(bundle.modelId() + " is a " + bundle.descriptor().kind() + " model, not a detector");
        }
        SharedSessions.Lease lease;
        try {
            // detectors of the same model in one JVM share one session (run is thread-safe); buffers stay per detector
            lease = SharedSessions.acquire(bundle.onnxFile(), opts.provider(), opts.intraOpThreads(), opts.requireProvider());
        } catch (OrtException e) {
            throw new ModelException("ONNX Runtime cannot load " + bundle.onnxFile() + ": " + e.getMessage(), e);
        }
        boolean dynamic;
        try {
            dynamic = checkInput(bundle, lease.session());
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
        Detector det = new Detector(bundle, lease, opts, dynamic);
        try {
            Map<String, long[]> shapes = det.checkOutputs();
            det.buffers = new RunBuffers(OrtRuntime.env(), det.inputName, det.input, new long[] {1, 3, det.inH, det.inW}, det.decoder.outputs(), shapes);
        } catch (RuntimeException e) {
            det.close();
            throw e;
        }
        return det;
    }

    /** @return whether the batch axis is dynamic */
    private static boolean checkInput(ModelBundle bundle, OrtSession session) {
        ModelDescriptor.Input want = bundle.descriptor().input();
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            NodeInfo in = inputs.get(want.name());
            if (in == null) throw new ModelException(bundle.onnxFile() + ": no input '" + want.name() + "' (the graph has " + inputs.keySet() + ")");
            long[] shape = ((TensorInfo) in.getInfo()).getShape();
            if (shape.length != 4 || !dimFits(shape[1], 3) || !dimFits(shape[2], want.height()) || !dimFits(shape[3], want.width())) {
                throw new ModelException(bundle.onnxFile() + ": input '" + want.name() + "' has shape " + Arrays.toString(shape)
                        + ", model.yaml says [N, 3, " + want.height() + ", " + want.width() + "]");
            }
            return shape[0] < 0;
        } catch (OrtException e) {
            throw new ModelException("cannot read the graph of " + bundle.onnxFile() + ": " + e.getMessage(), e);
        }
    }

    /** @return the declared shapes of the outputs the decoder reads */
    private Map<String, long[]> checkOutputs() {
        try {
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            Map<String, long[]> shapes = new HashMap<>();
            for (String name : decoder.outputs()) {
                NodeInfo out = outputs.get(name);
                if (out == null) throw new ModelException(bundle.onnxFile() + ": no output '" + name + "' (the graph has " + outputs.keySet() + ")");
                shapes.put(name, ((TensorInfo) out.getInfo()).getShape());
            }
            try {
                decoder.checkShapes(shapes, bundle.labels().size());
            } catch (RuntimeException e) {
                if (ModelDescriptors.BUILT_IN_DECODERS.contains(bundle.descriptor().decoder().type())) throw e;
                throw Decoders.fromPlugin(bundle.descriptorSource(), bundle.descriptor().decoder().type(), decoder, e);
            }
            return shapes;
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
        return detectBatch(List.of(new FrameInput(bgr, width, height))).get(0);
    }

    /**
     * Detects objects in several frames (of any cameras and sizes): one session run per {@code maxBatch} frames
     * when the batch axis is dynamic. Each result carries its share of the batch's time.
     */
    public List<DetectionResult> detectBatch(List<FrameInput> frames) {
        List<DetectionResult> results = new ArrayList<>(frames.size());
        for (int from = 0; from < frames.size(); from += maxBatch) {
            runChunk(frames.subList(from, Math.min(frames.size(), from + maxBatch)), results);
        }
        return results;
    }

    private void runChunk(List<FrameInput> chunk, List<DetectionResult> results) {
        int n = chunk.size();
        int per = 3 * inW * inH;
        long t0 = System.nanoTime();
        input.clear();
        for (int i = 0; i < n; i++) {
            FrameInput f = chunk.get(i);
            letterboxes[i] = pre.apply(f, input);
        }
        input.clear();
        long t1 = System.nanoTime();
        try {
            RunBuffers.Bound b = buffers.forBatch(n);
            try (OrtSession.Result result = b.unpinned.isEmpty() ? session.run(b.input, b.pinned) : session.run(b.input, b.unpinned, b.pinned)) {
                for (String name : decoder.outputs()) {
                    float[] data = b.arrays.get(name);
                    if (data != null) {
                        FloatBuffer fb = b.pinnedData.get(name);
                        fb.rewind();
                        fb.get(data);
                        outs.put(name, data, b.shapes.get(name));
                    } else {
                        // a dimension besides the batch is dynamic: ONNX Runtime allocates it, read it as it comes
                        OnnxTensor o = (OnnxTensor) result.get(name).orElseThrow();
                        FloatBuffer fb = o.getFloatBuffer();
                        float[] copy = new float[fb.remaining()];
                        fb.get(copy);
                        outs.put(name, copy, o.getInfo().getShape());
                    }
                }
            }
        } catch (OrtException e) {
            throw new ModelException("inference failed on " + bundle.modelId() + ": " + e.getMessage(), e);
        }
        long t2 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long d0 = System.nanoTime();
            candidates.clear();
            decoder.decode(outs, i, letterboxes[i], scoreThreshold, candidates);
            List<Detection> dets = "none".equals(nms) ? Nms.all(candidates, bundle.labels())
                    : Nms.apply(candidates, nmsIou, "class-aware".equals(nms), bundle.labels());
            results.add(new DetectionResult(dets, (t1 - t0) / n, (t2 - t1) / n, System.nanoTime() - d0));
        }
    }

    public ModelBundle bundle() { return bundle; }

    /** The provider the session really runs on (CPU after a CUDA fallback). */
    public ExecutionProvider provider() { return provider; }

    /** Why the detector does not run on the provider asked for (a CUDA fallback), null when it does. */
    public String fallbackReason() { return lease.fallbackReason(); }

    public float scoreThreshold() { return scoreThreshold; }

    /**
     * [2]: the size a frame of {@code frameWidth} x {@code frameHeight} takes inside this model's input, what a caller
     * that decodes and resizes the frame itself passes as {@link FrameInput#resized}.
     */
    public int[] resizedSize(int frameWidth, int frameHeight) {
        return pre.resizedSize(frameWidth, frameHeight);
    }

    /** [2]: the model's input width and height (the letterbox every frame is fitted into). */
    public int[] inputSize() {
        return new int[] {pre.inputWidth(), pre.inputHeight()};
    }

    /** Frames per session run: maxBatch for a dynamic batch axis, else 1. */
    public int batchCapacity() { return maxBatch; }

    public boolean dynamicBatch() { return dynamicBatch; }

    @Override
    public void close() {
        if (buffers != null) buffers.close();
        lease.close();
    }

    private static float[] floats(List<Float> l) {
        if (l == null) return null;
        float[] f = new float[l.size()];
        for (int i = 0; i < f.length; i++) f[i] = l.get(i);
        return f;
    }
}
