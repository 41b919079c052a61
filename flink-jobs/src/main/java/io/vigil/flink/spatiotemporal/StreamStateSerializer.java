package io.vigil.flink.spatiotemporal;

import io.vigil.flink.state.VersionedBytesSerializer;
import io.vigil.spatiotemporal.stream.StreamState;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/**
 * Flink serializer for a camera's {@link StreamState}: an int length, then the state's own versioned bytes
 * ("VSS1", version, layers, conv and ssm floats, frame count). The serializer snapshot carries a version too, so a
 * later format can migrate old savepoints; {@code StreamStateSerializerTest} restores a committed v1 file.
 */
public final class StreamStateSerializer extends VersionedBytesSerializer<StreamState> {
    private static final long serialVersionUID = 1L;
    public static final StreamStateSerializer INSTANCE = new StreamStateSerializer();

    @Override
    protected byte[] toBytes(StreamState value) {
        return value.toBytes();
    }

    @Override
    protected StreamState fromBytes(byte[] bytes) {
        return StreamState.fromBytes(bytes, null);
    }

    @Override
    protected String what() {
        return "stream state";
    }

    @Override
    public StreamState createInstance() {
        return new StreamState(List.of());
    }

    @Override
    public StreamState copy(StreamState from) {
        return from.copy();
    }

    @Override
    public TypeSerializerSnapshot<StreamState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1: the format above. */
    public static final class Snapshot extends VersionedBytesSerializer.Snapshot<StreamState> {
        @Override
        public TypeSerializer<StreamState> restoreSerializer() {
            return INSTANCE;
        }
    }
}
