package io.vigil.flink.action;

import io.vigil.flink.state.VersionedBytesSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/**
 * Flink serializer for a camera's {@link TrackWindows}: an int length, then their own versioned bytes ("VTW1", window,
 * votes, per track: id, counts, last frame, the x and y rings, the vote ring).
 */
public final class TrackWindowsSerializer extends VersionedBytesSerializer<TrackWindows> {
    private static final long serialVersionUID = 1L;
    public static final TrackWindowsSerializer INSTANCE = new TrackWindowsSerializer();

    @Override
    protected byte[] toBytes(TrackWindows value) {
        return value.toBytes();
    }

    @Override
    protected TrackWindows fromBytes(byte[] bytes) {
        return TrackWindows.fromBytes(bytes);
    }

    @Override
    protected String what() {
        return "track windows";
    }

    @Override
    public TrackWindows createInstance() {
        return new TrackWindows(1, 1);
    }

    @Override
    public TypeSerializerSnapshot<TrackWindows> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1: the format above. */
    public static final class Snapshot extends VersionedBytesSerializer.Snapshot<TrackWindows> {
        @Override
        public TypeSerializer<TrackWindows> restoreSerializer() {
            return INSTANCE;
        }
    }
}
