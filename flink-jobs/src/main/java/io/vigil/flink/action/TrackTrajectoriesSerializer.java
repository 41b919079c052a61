package io.vigil.flink.action;

import io.vigil.flink.state.VersionedBytesSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/**
 * Flink serializer for a camera's {@link TrackTrajectories}: an int length, then their own versioned bytes ("VTT1",
 * votes, per track: id, last point, last frame, vote ring, the model's "VSS1" state). The shapes are checked against
 * the running model by TrackOperator.
 */
public final class TrackTrajectoriesSerializer extends VersionedBytesSerializer<TrackTrajectories> {
    private static final long serialVersionUID = 1L;
    public static final TrackTrajectoriesSerializer INSTANCE = new TrackTrajectoriesSerializer();

    @Override
    protected byte[] toBytes(TrackTrajectories value) {
        return value.toBytes();
    }

    @Override
    protected TrackTrajectories fromBytes(byte[] bytes) {
        return TrackTrajectories.fromBytes(bytes, null);
    }

    @Override
    protected String what() {
        return "track trajectories";
    }

    @Override
    public TrackTrajectories createInstance() {
        return new TrackTrajectories(1);
    }

    @Override
    public TypeSerializerSnapshot<TrackTrajectories> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1: the format above. */
    public static final class Snapshot extends VersionedBytesSerializer.Snapshot<TrackTrajectories> {
        @Override
        public TypeSerializer<TrackTrajectories> restoreSerializer() {
            return INSTANCE;
        }
    }
}
