package io.vigil.flink.spatiotemporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.spatiotemporal.model.SpatiotemporalModel;
import io.vigil.spatiotemporal.ssm.MambaState;
import io.vigil.spatiotemporal.stream.StreamState;
import java.io.InputStream;
import java.nio.file.Path;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamStateSerializerTest {
    static final String GOLDEN_V1 = "/state/stream-state-v1.bin";

    @TempDir
    Path tmp;

    private StreamState fixtureState() throws Exception {
        return fixtureState(tmp);
    }

    /** The state the golden file was written from (by {@link StateFiles}): the fixture model stepped over 3 fixture frames. */
    static StreamState fixtureState(Path dir) throws Exception {
        SpatiotemporalModel m = SpatiotemporalModel.load(SsmFixture.write(dir), "scalar");
        StreamState s = m.newState();
        float[] out = new float[16];
        for (int i = 0; i < 3; i++) m.step(SsmFixture.frame(i), s, out);
        return s;
    }

    static byte[] serialize(StreamState s) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        StreamStateSerializer.INSTANCE.serialize(s, out);
        return out.getCopyOfBuffer();
    }

    @Test
    void roundTripAndCopy() throws Exception {
        StreamState s = fixtureState();
        byte[] b = serialize(s);
        StreamState back = StreamStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(b));
        assertEquals(s, back);
        StreamState c = StreamStateSerializer.INSTANCE.copy(s);
        assertEquals(s, c);
        c.layer(0).ssm[0] += 1;
        assertTrue(!s.equals(c), "copy is deep");
        DataOutputSerializer target = new DataOutputSerializer(16);
        StreamStateSerializer.INSTANCE.copy(new DataInputDeserializer(b), target);
        assertEquals(b.length, target.length());
    }

    @Test
    void restoresTheCommittedVersion1File() throws Exception {
        byte[] golden;
        try (InputStream in = StreamStateSerializerTest.class.getResourceAsStream(GOLDEN_V1)) {
            if (in == null) throw new IllegalStateException(GOLDEN_V1 + " is missing from the test resources");
            golden = in.readAllBytes();
        }
        StreamState restored = StreamStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(golden));
        StreamState expected = fixtureState();
        assertEquals(3, restored.frames());
        assertEquals(expected.layers(), restored.layers());
        for (int l = 0; l < expected.layers(); l++) {
            MambaState e = expected.layer(l);
            MambaState r = restored.layer(l);
            assertEquals(e.conv.length, r.conv.length);
            for (int i = 0; i < e.conv.length; i++) assertEquals(e.conv[i], r.conv[i], 1e-5, "conv " + i);
            for (int i = 0; i < e.ssm.length; i++) assertEquals(e.ssm[i], r.ssm[i], 1e-5, "ssm " + i);
        }
    }

    @Test
    void snapshotIsVersionedAndCompatibleWithItself() throws Exception {
        var snap = StreamStateSerializer.INSTANCE.snapshotConfiguration();
        assertEquals(1, snap.getCurrentVersion());
        DataOutputSerializer out = new DataOutputSerializer(64);
        org.apache.flink.api.common.typeutils.TypeSerializerSnapshot.writeVersionedSnapshot(out, snap);
        var back = org.apache.flink.api.common.typeutils.TypeSerializerSnapshot.<StreamState>readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertSame(StreamStateSerializer.INSTANCE, back.restoreSerializer());
        TypeSerializerSchemaCompatibility<StreamState> c = snap.resolveSchemaCompatibility(back);
        assertTrue(c.isCompatibleAsIs());
        assertThrows(java.io.IOException.class, () -> new StreamStateSerializer.Snapshot().readSnapshot(2, new DataInputDeserializer(new byte[0]), null));
    }
}
