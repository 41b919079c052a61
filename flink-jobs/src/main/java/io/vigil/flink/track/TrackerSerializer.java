package io.vigil.flink.track;

import io.vigil.flink.state.VersionedBytesSerializer;
import io.vigil.spatiotemporal.track.ByteTracker;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/**
 * Flink serializer for a camera's {@link ByteTracker}: an int length, then the tracker's own versioned bytes ("VTR1",
 * version, next id, frame count, per track id, class, state, Kalman mean and covariance). The bytes hold the tracks, not
 * the thresholds: a restored tracker has the default configuration until its operator
 * {@linkplain ByteTracker#reconfigure reconfigures} it. Kept as an object in the heap backend, so it is serialised at
 * checkpoints only (it was {@code byte[]} state, serialised on every frame, before).
 */
public final class TrackerSerializer extends VersionedBytesSerializer<ByteTracker> {
    private static final long serialVersionUID = 1L;
    public static final TrackerSerializer INSTANCE = new TrackerSerializer();

    @Override
    protected byte[] toBytes(ByteTracker value) {
        return value.toBytes();
    }

    @Override
    protected ByteTracker fromBytes(byte[] bytes) {
        return ByteTracker.fromBytes(bytes, ByteTracker.Config.defaults());
    }

    @Override
    protected String what() {
        return "tracker";
    }

    @Override
    public ByteTracker createInstance() {
        return new ByteTracker(ByteTracker.Config.defaults());
    }

    @Override
    public TypeSerializerSnapshot<ByteTracker> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1: the format above. */
    public static final class Snapshot extends VersionedBytesSerializer.Snapshot<ByteTracker> {
        @Override
        public TypeSerializer<ByteTracker> restoreSerializer() {
            return INSTANCE;
        }
    }
}
