package io.vigil.models.detect;

import io.vigil.models.bundle.ModelDescriptor;

/**
 * The extension point for detector output layouts Vigil does not know: a plugin names its family ({@link #type()},
 * what a model.yaml puts in {@code decoder.type}) and builds a {@link DetectionDecoder} for a model. Found with
 * {@link java.util.ServiceLoader} (a {@code META-INF/services/io.vigil.models.detect.DecoderFactory} entry) in the jars
 * of the plugins directory ({@code --plugins DIR}, {@code VIGIL_PLUGINS}) and on the classpath (a cluster job's).
 *
 * <p>What a decoder gets and gives ({@link DetectionDecoder}):
 * <ul>
 *   <li>{@code outputs()}: the graph outputs it reads; Vigil fetches exactly these, as float32, flattened row-major.
 *   <li>{@code checkShapes(shapes, numLabels)}: once, when the detector opens, the declared shapes (batch axis first,
 *       -1 for a dynamic dimension); throw {@link io.vigil.models.bundle.ModelException} naming the tensor and what
 *       was expected, so a wrong model fails at start, not on the first frame.
 *   <li>{@code decode(out, image, letterbox, scoreThreshold, candidates)}: per image of a batch, read image
 *       {@code image}'s values at {@link RawOutputs#offset}, map input pixels to frame pixels with
 *       {@link Letterbox#frameX}/{@link Letterbox#frameY}, and {@link Candidates#add} every box at or above the
 *       threshold (class id, score, x1, y1, x2, y2). Vigil runs NMS afterwards, as model.yaml's {@code nms} says.
 * </ul>
 *
 * <p>Threading: each {@code Detector} creates its own decoder and calls it from one thread at a time, but several
 * detectors (cameras' worker threads) run at once: no mutable static state. Allocation: {@code decode} runs per frame;
 * it must not allocate per frame or per box (preallocate in the constructor; {@code Candidates} grows by doubling).
 */
public interface DecoderFactory {
    /** The {@code decoder.type} this factory serves; must not be one of the built-in families. */
    String type();

    /**
     * @param settings    the model.yaml {@code decoder} section: the common keys and the plugin's own under {@code options}
     * @param inputWidth  the network input's width in pixels (model.yaml {@code input.width})
     * @param inputHeight its height
     * @throws io.vigil.models.bundle.ModelException naming the setting that is missing or wrong
     */
    DetectionDecoder create(ModelDescriptor.Decoder settings, int inputWidth, int inputHeight);
}
