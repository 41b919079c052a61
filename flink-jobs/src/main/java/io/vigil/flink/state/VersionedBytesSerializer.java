package io.vigil.flink.state;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A Flink serializer for a state object that has its own versioned byte form: an int length, then those bytes. The
 * object lives as itself in the heap state backend (serialised at checkpoints, not on every access); the
 * serializer's snapshot carries a version so a later format can migrate old savepoints. Stateless: subclasses are
 * singletons.
 */
public abstract class VersionedBytesSerializer<T> extends TypeSerializer<T> {
    private static final long serialVersionUID = 1L;
    private static final int MAX_BYTES = 256 * 1024 * 1024;

    /** The object's own versioned bytes. */
    protected abstract byte[] toBytes(T value);

    /** Reads {@link #toBytes}' output; throws naming what is wrong. */
    protected abstract T fromBytes(byte[] bytes);

    /** What the state is, for messages. */
    protected abstract String what();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<T> duplicate() {
        return this;
    }

    /** A deep copy: Flink copies a state object that a running snapshot still reads. */
    @Override
    public T copy(T from) {
        return fromBytes(toBytes(from));
    }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(T record, DataOutputView target) throws IOException {
        byte[] b = toBytes(record);
        target.writeInt(b.length);
        target.write(b);
    }

    @Override
    public T deserialize(DataInputView source) throws IOException {
        return fromBytes(read(source));
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        byte[] b = read(source);
        target.writeInt(b.length);
        target.write(b);
    }

    private byte[] read(DataInputView source) throws IOException {
        int n = source.readInt();
        if (n < 0 || n > MAX_BYTES) throw new IOException(what() + " of " + n + " bytes is out of range");
        byte[] b = new byte[n];
        source.readFully(b);
        return b;
    }

    @Override
    public boolean equals(Object obj) {
        return obj != null && obj.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }

    /** Version 1 of a serializer without configuration: the bytes carry their own shapes. */
    public abstract static class Snapshot<T> implements TypeSerializerSnapshot<T> {
        public static final int VERSION = 1;

        @Override
        public int getCurrentVersion() {
            return VERSION;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {
            // nothing to configure
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader loader) throws IOException {
            if (readVersion != VERSION) {
                throw new IOException(restoreSerializer().getClass().getSimpleName() + " snapshot version " + readVersion
                        + " is unknown (this build reads " + VERSION + ")");
            }
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
            return old.getClass() == getClass() && old.getCurrentVersion() == VERSION
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs() : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
