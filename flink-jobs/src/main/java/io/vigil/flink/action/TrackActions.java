package io.vigil.flink.action;

import io.vigil.flink.config.JobConfig;
import io.vigil.events.ActionEvent;
import io.vigil.events.DetectionEvent;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.StateTtlConfig;

/**
 * An action model run per confirmed track of a camera, called by the Track operator once per frame after tracking.
 * Its per-track history lives in the camera's keyed state; labels leave through the consumer. Two kinds: Vigil's
 * trained streaming trajectory model ({@link TrajectoryTrackActions}, one SSM step per new point) and a windowed ONNX
 * model ({@link WindowedTrackActions}, the last W points per run).
 */
public interface TrackActions extends Serializable {
    /** Only tracks of this detection label get action labels. */
    String LABEL = "person";

    /** The stage for the configured model, or null when none is configured; {@code actions.model} is an absolute path. */
    static TrackActions create(JobConfig.Actions actions, int forgetAfterFrames) {
        if (actions.model() == null) return null;
        return TrajectoryModels.weightsOf(Path.of(actions.model()))
                .<TrackActions>map(w -> new TrajectoryTrackActions(w.toString(), actions.votes(), forgetAfterFrames))
                .orElseGet(() -> new WindowedTrackActions(actions.model(), actions.votes(), actions.threshold(), forgetAfterFrames));
    }

    /** Opens the model and registers the stage's keyed state (called from the operator's open). */
    void open(RuntimeContext ctx, StateTtlConfig ttl) throws Exception;

    /** The current camera's tracks restarted: its per-track history is dropped. */
    void reset() throws Exception;

    /** One frame of the current camera, after tracking gave its objects their track ids. */
    void observe(DetectionEvent e, Consumer<ActionEvent> out) throws Exception;

    void close();

    /** A track's label: the majority {@code vote} = {class, agreeing, votes} of its last predictions. */
    static ActionEvent label(DetectionEvent e, long track, int[] vote, List<String> labels, String model) {
        ActionEvent a = new ActionEvent();
        a.camera = e.camera;
        a.frame = e.frame;
        a.tsMicros = e.tsMicros;
        a.track = track;
        a.labels = new String[] {vote[0] >= 0 && vote[0] < labels.size() ? labels.get(vote[0]) : "class" + vote[0]};
        a.scores = new float[] {(float) vote[1] / vote[2]}; // the share of the last K predictions that agree
        a.model = model;
        return a;
    }
}
