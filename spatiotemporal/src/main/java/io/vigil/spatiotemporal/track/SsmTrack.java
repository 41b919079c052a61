package io.vigil.spatiotemporal.track;

import io.vigil.spatiotemporal.stream.StreamState;

/**
 * One track's selective-scan motion state (see {@link SsmMotion}): the model's recurrent state and what the tracker
 * needs to turn its forecasts into a centre on every frame. Fixed size however long the track lives. Owned by its
 * {@link Track}.
 */
final class SsmTrack {
    final StreamState state;
    final float[] fed = new float[4];        // x1, y1, x2, y2: the box the model was stepped with last (the last seen)
    final float[] seenCentre = new float[2]; // cx, cy of the last box the detector saw
    final float[] seenAhead = new float[10]; // [5][2] the forecast made at that box: the centre's move 1..5 frames after it
    final float[] ahead = new float[10];     // [5][2] the latest step's forecast
    int sinceSeen;                           // frames since the last seen box
    final double[] centre = new double[2];   // cx, cy now: seen, or predicted for this frame

    SsmTrack(StreamState state) {
        this.state = state;
    }
}
