package io.vigil.flink.action;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer for a camera's {@link TrackTrajectories}: an int length, then their own versioned bytes ("VTT1",
 * votes, per track: id, last point, last frame, vote ring, the model's "VSS1" state). The serializer snapshot carries
 * a version too, so a later format can migrate old savepoints.
 */
public final class TrackTrajectoriesSerializer extends TypeSerializer<TrackTrajectories> {
    private static final long serialVersionUID = 1L;
    public static final TrackTrajectoriesSerializer INSTANCE = new TrackTrajectoriesSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<TrackTrajectories> duplicate() {
        return this; // stateless
    }

    @Override
    public TrackTrajectories createInstance() {
        return new TrackTrajectories(1);
    }

    @Override
    public TrackTrajectories copy(TrackTrajectories from) {
        return from.copy();
    }

    @Override
    public TrackTrajectories copy(TrackTrajectories from, TrackTrajectories reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(TrackTrajectories record, DataOutputView target) throws IOException {
        byte[] b = record.toBytes();
        target.writeInt(b.length);
        target.write(b);
    }

    @Override
    public TrackTrajectories deserialize(DataInputView source) throws IOException {
        int n = source.readInt();
        if (n < 0 || n > 256 * 1024 * 1024) throw new IOException("track trajectories of " + n + " bytes is out of range");
        byte[] b = new byte[n];
        source.readFully(b);
        return TrackTrajectories.fromBytes(b, null);
    }

    @Override
    public TrackTrajectories deserialize(TrackTrajectories reuse, DataInputView source) throws IOException {
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
        return obj instanceof TrackTrajectoriesSerializer;
    }

    @Override
    public int hashCode() {
        return TrackTrajectoriesSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<TrackTrajectories> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1: the format above. */
    public static final class Snapshot implements TypeSerializerSnapshot<TrackTrajectories> {
        public static final int VERSION = 1;

        @Override
        public int getCurrentVersion() {
            return VERSION;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {
            // nothing to configure: the bytes carry their shapes; TrackOperator checks them against its model
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader loader) throws IOException {
            if (readVersion != VERSION) throw new IOException("track trajectories serializer snapshot version " + readVersion + " is unknown (this build reads " + VERSION + ")");
        }

        @Override
        public TypeSerializer<TrackTrajectories> restoreSerializer() {
            return INSTANCE;
        }

        @Override
        public TypeSerializerSchemaCompatibility<TrackTrajectories> resolveSchemaCompatibility(TypeSerializerSnapshot<TrackTrajectories> old) {
            return old instanceof Snapshot && old.getCurrentVersion() == VERSION
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs() : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
