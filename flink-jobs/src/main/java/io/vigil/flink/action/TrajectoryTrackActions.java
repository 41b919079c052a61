package io.vigil.flink.action;

import io.vigil.events.ActionEvent;
import io.vigil.events.DetectedObject;
import io.vigil.events.DetectionEvent;
import io.vigil.spatiotemporal.model.TrajectoryModel;
import io.vigil.spatiotemporal.stream.StreamState;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;

/**
 * Vigil's trained streaming trajectory model per confirmed track: every new centre point is one model step from the
 * track's recurrent state ({@link TrackTrajectories} in keyed state), no window kept; each step's label is smoothed by a
 * majority over the track's last {@code votes} predictions.
 */
final class TrajectoryTrackActions implements TrackActions {
    private static final long serialVersionUID = 1L;

    private final String weights;
    private final int votes;
    private final int forgetAfterFrames;
    private transient TrajectoryModel model;
    private transient StreamState shape;
    private transient float[] scores; // [classes]
    private transient String modelId;
    private transient ValueState<TrackTrajectories> state;

    TrajectoryTrackActions(String weights, int votes, int forgetAfterFrames) {
        this.weights = weights;
        this.votes = votes;
        this.forgetAfterFrames = forgetAfterFrames;
    }

    @Override
    public void open(RuntimeContext ctx, StateTtlConfig ttl) {
        model = TrajectoryModel.load(Path.of(weights), null);
        shape = model.newState();
        scores = new float[model.classes()];
        modelId = TrajectoryModels.modelId(Path.of(weights));
        ValueStateDescriptor<TrackTrajectories> d = new ValueStateDescriptor<>("trackTrajectories", TrackTrajectoriesSerializer.INSTANCE);
        d.enableTimeToLive(ttl);
        state = ctx.getState(d);
    }

    @Override
    public void reset() {
        state.clear();
    }

    @Override
    public void observe(DetectionEvent e, Consumer<ActionEvent> out) throws Exception {
        TrackTrajectories t = state.value();
        if (t == null) t = new TrackTrajectories(votes);
        t.checkShape(shape);
        for (DetectedObject o : e.objects) {
            if (o.track < 0 || !LABEL.equals(o.label)) continue;
            float x = (o.box[0] + o.box[2]) / 2 / e.width;
            float y = (o.box[1] + o.box[3]) / 2 / e.height;
            if (!t.observe(o.track, x, y, e.frame, model, scores)) continue;
            int best = 0;
            for (int c = 1; c < scores.length; c++) if (scores[c] > scores[best]) best = c;
            out.accept(TrackActions.label(e, o.track, t.vote(o.track, best), model.labels(), modelId));
        }
        t.forgetOlderThan(e.frame - forgetAfterFrames);
        state.update(t);
    }

    @Override
    public void close() {
        // the model is plain Java: nothing native to release
    }
}
