package io.vigil.flink.state;

import java.io.IOException;
import java.util.function.Function;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * A keyed value held as an object with its own serializer, which also reads the {@code byte[]} state that earlier
 * versions of the job kept for the same value under another name: on a key's first access after a restore from such a
 * savepoint, the old bytes are decoded once, the old entry is dropped, and the caller's next {@link #update} stores the
 * object. (Flink cannot migrate the old entries in place: the heap backend restores them as {@code byte[]} objects before
 * the operator says what type it wants, so the typed state needs a name of its own.)
 */
public final class UpgradingValueState<T> {
    private final ValueState<T> typed;
    private final ValueState<byte[]> legacy;
    private final Function<byte[], T> fromLegacy;

    private UpgradingValueState(ValueState<T> typed, ValueState<byte[]> legacy, Function<byte[], T> fromLegacy) {
        this.typed = typed;
        this.legacy = legacy;
        this.fromLegacy = fromLegacy;
    }

    /**
     * @param name       the typed state's name
     * @param legacyName the name the same value had as {@code byte[]} state
     * @param fromLegacy decodes those bytes
     */
    public static <T> UpgradingValueState<T> register(RuntimeContext ctx, String name, TypeSerializer<T> serializer, String legacyName,
                                                      Function<byte[], T> fromLegacy, StateTtlConfig ttl) {
        ValueStateDescriptor<T> d = new ValueStateDescriptor<>(name, serializer);
        d.enableTimeToLive(ttl);
        ValueStateDescriptor<byte[]> l = new ValueStateDescriptor<>(legacyName, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        l.enableTimeToLive(ttl);
        return new UpgradingValueState<>(ctx.getState(d), ctx.getState(l), fromLegacy);
    }

    /** The current key's value, from the typed state or, once, from the legacy bytes; null when there is neither. */
    public T value() throws IOException {
        T v = typed.value();
        if (v != null) return v;
        byte[] old = legacy.value();
        if (old == null) return null;
        legacy.clear();
        return fromLegacy.apply(old);
    }

    public void update(T value) throws IOException {
        typed.update(value);
    }

    public void clear() {
        typed.clear();
        legacy.clear();
    }
}
