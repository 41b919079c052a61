package io.vigil.flink.action;

import io.vigil.events.ActionEvent;
import io.vigil.events.DetectedObject;
import io.vigil.events.DetectionEvent;
import io.vigil.flink.state.UpgradingValueState;
import io.vigil.models.action.WindowedActionModel;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.runtime.ExecutionProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.StateTtlConfig;

/**
 * A windowed ONNX action model per confirmed track: each track's last W centre points ({@link TrackWindows} in keyed
 * state) go through the model's windowed contract, every track with a full window in one run per frame; labels are
 * smoothed by a majority over the track's last {@code votes} predictions.
 */
final class WindowedTrackActions implements TrackActions {
    private static final long serialVersionUID = 1L;

    private final String modelPath;
    private final int votes;
    private final float threshold;
    private final int forgetAfterFrames;
    private transient WindowedActionModel model;
    private transient String modelId;
    private transient UpgradingValueState<TrackWindows> state;

    WindowedTrackActions(String modelPath, int votes, float threshold, int forgetAfterFrames) {
        this.modelPath = modelPath;
        this.votes = votes;
        this.threshold = threshold;
        this.forgetAfterFrames = forgetAfterFrames;
    }

    @Override
    public void open(RuntimeContext ctx, StateTtlConfig ttl) {
        ModelBundle b = ModelBundle.load(Path.of(modelPath));
        model = WindowedActionModel.open(b, ExecutionProvider.CPU, 1);
        modelId = b.modelId();
        // "trackWindows" held the same windows as byte[] up to the first typed-state release
        state = UpgradingValueState.register(ctx, "actionWindows", TrackWindowsSerializer.INSTANCE, "trackWindows", TrackWindows::fromBytes, ttl);
    }

    @Override
    public void reset() {
        state.clear();
    }

    @Override
    public void observe(DetectionEvent e, Consumer<ActionEvent> out) throws Exception {
        TrackWindows windows = state.value();
        if (windows == null) windows = new TrackWindows(model.bundle().descriptor().action().window(), votes);
        Set<Long> present = new HashSet<>();
        for (DetectedObject o : e.objects) {
            if (o.track < 0 || !LABEL.equals(o.label)) continue;
            present.add(o.track);
            windows.observe(o.track, (o.box[0] + o.box[2]) / 2 / e.width, (o.box[1] + o.box[3]) / 2 / e.height, e.frame);
        }
        List<Long> ready = new ArrayList<>();
        for (Long id : windows.ready()) if (present.contains(id)) ready.add(id);
        if (!ready.isEmpty()) {
            float[][] in = new float[ready.size()][];
            for (int i = 0; i < in.length; i++) in[i] = windows.window(ready.get(i));
            List<WindowedActionModel.Prediction> p = model.classify(in, threshold);
            List<String> labels = model.bundle().labels();
            for (int i = 0; i < ready.size(); i++) out.accept(TrackActions.label(e, ready.get(i), windows.vote(ready.get(i), p.get(i).classId()), labels, modelId));
        }
        windows.forgetOlderThan(e.frame - forgetAfterFrames);
        state.update(windows);
    }

    @Override
    public void close() {
        if (model != null) model.close();
    }
}
