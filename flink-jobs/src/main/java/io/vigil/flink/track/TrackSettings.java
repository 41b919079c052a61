package io.vigil.flink.track;

import io.vigil.spatiotemporal.track.ByteTracker;
import java.io.Serializable;

/**
 * The Track operator's part of the job configuration.
 *
 * @param tracker          ByteTrack thresholds and ages
 * @param maxSeqGap        a jump of more frames than this in a camera's vigil-seq resets its tracks (said in the event)
 * @param maxTimeGapMs     a pause longer than this between a camera's frames resets its tracks too
 * @param stateTtlMs       a camera's state is dropped after this long without frames
 * @param actionModelPath  a windowed action model run per confirmed track, or null for none
 * @param actionLabel      only tracks of this detection label get action labels (e.g. person)
 * @param actionVotes      majority smoothing over this many predictions per track
 * @param actionThreshold  the model's own score threshold input (0 = plain argmax)
 */
public record TrackSettings(ByteTracker.Config tracker, long maxSeqGap, long maxTimeGapMs, long stateTtlMs, String actionModelPath,
                            String actionLabel, int actionVotes, float actionThreshold) implements Serializable {
    public static TrackSettings defaults() {
        return new TrackSettings(ByteTracker.Config.defaults(), 50, 10_000, 3_600_000, null, "person", 10, 0.5f);
    }

    public TrackSettings withAction(String modelPath) {
        return new TrackSettings(tracker, maxSeqGap, maxTimeGapMs, stateTtlMs, modelPath, actionLabel, actionVotes, actionThreshold);
    }
}
