package io.vigil.models.detect;

import java.util.List;

/** What the decoders of one-output heads share: the output's name, the model's input size, and how a bad shape is named. */
abstract class SingleOutputDecoder implements DetectionDecoder {
    /** The graph output this decoder reads. */
    protected final String output;
    /** The model's input width and height in pixels (0 when the head's boxes do not need them). */
    protected final int inW;
    protected final int inH;

    SingleOutputDecoder(String output, int inputWidth, int inputHeight) {
        this.output = output;
        this.inW = inputWidth;
        this.inH = inputHeight;
    }

    @Override
    public final List<String> outputs() {
        return List.of(output);
    }
}
