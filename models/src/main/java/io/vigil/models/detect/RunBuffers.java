package io.vigil.models.detect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run of n frames reads and writes, made once per batch size and reused by every later run of that size, so
 * a run allocates no tensor: the input tensor over the detector's direct input buffer (ONNX Runtime reads it in
 * place), and for each output whose shape is fixed apart from the batch axis a direct buffer bound as the run's
 * output (ONNX Runtime writes into it) with the float array the decoder reads, copied from it. An output with any
 * other dynamic dimension (e.g. a variable number of boxes) cannot be bound before the run; it is fetched as ONNX
 * Runtime allocates it.
 */
final class RunBuffers implements AutoCloseable {
    /** The tensors and arrays of one batch size. */
    static final class Bound {
        final Map<String, OnnxTensor> input;           // the input name -> [n, 3, H, W] over the input buffer
        final Map<String, OnnxTensor> pinned;          // output name -> its bound tensor
        final Map<String, FloatBuffer> pinnedData;     // output name -> the direct buffer the tensor writes
        final Map<String, float[]> arrays;             // output name -> [n * per-image values], what the decoder reads
        final Map<String, long[]> shapes;              // output name -> its shape at this batch size
        final Set<String> unpinned;                    // outputs ONNX Runtime allocates per run

        Bound(Map<String, OnnxTensor> input, Map<String, OnnxTensor> pinned, Map<String, FloatBuffer> pinnedData, Map<String, float[]> arrays,
              Map<String, long[]> shapes, Set<String> unpinned) {
            this.input = input;
            this.pinned = pinned;
            this.pinnedData = pinnedData;
            this.arrays = arrays;
            this.shapes = shapes;
            this.unpinned = unpinned;
        }
    }

    private final OrtEnvironment env;
    private final String inputName;
    private final FloatBuffer inputBuffer;        // [maxBatch, 3, H, W], direct
    private final long[] inputShape;              // [1, 3, H, W]: the batch axis set per size
    private final Map<String, long[]> outputShapes; // declared, batch axis first, -1 where dynamic
    private final List<String> outputs;
    private final Map<Integer, Bound> bySize = new HashMap<>();

    RunBuffers(OrtEnvironment env, String inputName, FloatBuffer inputBuffer, long[] inputShape, List<String> outputs, Map<String, long[]> outputShapes) {
        this.env = env;
        this.inputName = inputName;
        this.inputBuffer = inputBuffer;
        this.inputShape = inputShape.clone();
        this.outputs = List.copyOf(outputs);
        this.outputShapes = new HashMap<>(outputShapes);
    }

    /** The tensors for a run of {@code n} frames, made on the first run of that size. */
    Bound forBatch(int n) throws OrtException {
        Bound b = bySize.get(n);
        if (b == null) {
            b = make(n);
            bySize.put(n, b);
        }
        return b;
    }

    private Bound make(int n) throws OrtException {
        long[] inShape = inputShape.clone();
        inShape[0] = n;
        int per = (int) (inShape[1] * inShape[2] * inShape[3]);
        FloatBuffer view = inputBuffer.duplicate().position(0).limit(n * per).slice();
        Map<String, OnnxTensor> input = Map.of(inputName, OnnxTensor.createTensor(env, view, inShape));
        Map<String, OnnxTensor> pinned = new LinkedHashMap<>();
        Map<String, FloatBuffer> data = new HashMap<>();
        Map<String, float[]> arrays = new HashMap<>();
        Map<String, long[]> shapes = new HashMap<>();
        Set<String> unpinned = new LinkedHashSet<>();
        for (String name : outputs) {
            long[] s = outputShapes.get(name).clone();
            if (s.length > 0 && s[0] < 0) s[0] = n;
            long count = 1;
            boolean fixed = true;
            for (long d : s) {
                if (d < 0) fixed = false;
                count *= Math.max(d, 1);
            }
            if (!fixed || count > Integer.MAX_VALUE / Float.BYTES) {
                unpinned.add(name);
                continue;
            }
            FloatBuffer buf = ByteBuffer.allocateDirect((int) count * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            pinned.put(name, OnnxTensor.createTensor(env, buf, s));
            data.put(name, buf);
            arrays.put(name, new float[(int) count]);
            shapes.put(name, s);
        }
        return new Bound(input, pinned, data, arrays, shapes, unpinned);
    }

    @Override
    public void close() {
        for (Bound b : bySize.values()) {
            b.input.values().forEach(OnnxTensor::close);
            b.pinned.values().forEach(OnnxTensor::close);
        }
        bySize.clear();
    }
}
