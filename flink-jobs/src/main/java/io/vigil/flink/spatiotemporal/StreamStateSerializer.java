package io.vigil.flink.spatiotemporal;

import io.vigil.spatiotemporal.stream.StreamState;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer for a camera's {@link StreamState}: an int length, then the state's own versioned bytes
 * ("VSS1", version, layers, conv and ssm floats, frame count). The serializer snapshot carries a version too, so a
 * later format can migrate old savepoints; {@code StreamStateSerializerTest} restores a committed v1 file.
 */
public final class StreamStateSerializer extends TypeSerializer<StreamState> {
    private static final long serialVersionUID = 1L;
    public static final StreamStateSerializer INSTANCE = new StreamStateSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<StreamState> duplicate() {
        return this; // stateless
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
    public StreamState copy(StreamState from, StreamState reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(StreamState record, DataOutputView target) throws IOException {
        byte[] b = record.toBytes();
        target.writeInt(b.length);
        target.write(b);
    }

    @Override
    public StreamState deserialize(DataInputView source) throws IOException {
        int n = source.readInt();
        if (n < 0 || n > 256 * 1024 * 1024) throw new IOException("stream state of " + n + " bytes is out of range");
        byte[] b = new byte[n];
        source.readFully(b);
        return StreamState.fromBytes(b, null);
    }

    @Override
    public StreamState deserialize(StreamState reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int n = source.readInt();
        byte[] b = new byte[n];
        source.readFully(b);
        target.writeInt(n);
        target.write(b);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof StreamStateSerializer;
    }

    @Override
    public int hashCode() {
        return StreamStateSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<StreamState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1: the format above. */
    public static final class Snapshot implements TypeSerializerSnapshot<StreamState> {
        public static final int VERSION = 1;

        @Override
        public int getCurrentVersion() {
            return VERSION;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {
            // nothing to configure: the state carries its own shape
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader loader) throws IOException {
            if (readVersion != VERSION) throw new IOException("stream state serializer snapshot version " + readVersion + " is unknown (this build reads " + VERSION + ")");
        }

        @Override
        public TypeSerializer<StreamState> restoreSerializer() {
            return INSTANCE;
        }

        @Override
        public TypeSerializerSchemaCompatibility<StreamState> resolveSchemaCompatibility(TypeSerializerSnapshot<StreamState> old) {
            return old instanceof Snapshot && old.getCurrentVersion() == VERSION
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs() : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
