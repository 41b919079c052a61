package io.vigil.flink.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.spatiotemporal.model.TrajectoryModel;
import io.vigil.spatiotemporal.ssm.MambaState;
import io.vigil.spatiotemporal.stream.StreamState;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class TrackTrajectoriesSerializerTest {
    private static TrajectoryModel model() {
        return TrajectoryModel.load(Path.of("..", "models", "trained", "trajectory-mamba", "model.safetensors"), "scalar");
    }

    private static TrackTrajectories some(TrajectoryModel m) {
        TrackTrajectories t = new TrackTrajectories(10);
        float[] s = new float[4];
        for (long f = 0; f < 12; f++) {
            for (long id = 1; id <= 3; id++) {
                if (t.observe(id, 0.1f * id + 0.01f * f, 0.2f, f, m, s)) t.vote(id, 3);
            }
        }
        return t;
    }

    @Test
    void roundTripsAndCopiesDeeply() throws Exception {
        TrajectoryModel m = model();
        TrackTrajectories t = some(m);
        DataOutputSerializer out = new DataOutputSerializer(256);
        TrackTrajectoriesSerializer.INSTANCE.serialize(t, out);
        TrackTrajectories back = TrackTrajectoriesSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertEquals(t, back);
        assertEquals(3, back.size());
        back.checkShape(m.newState());

        TrackTrajectories copy = TrackTrajectoriesSerializer.INSTANCE.copy(t);
        assertEquals(t, copy);
        t.observe(1, 0.9f, 0.9f, 12, m, new float[4]); // the original moves on; the copy a snapshot reads must not
        assertNotEquals(t, copy);
        assertEquals(1, TrackTrajectoriesSerializer.INSTANCE.snapshotConfiguration().getCurrentVersion());
    }

    @Test
    void aStateOfAnotherModelIsRefused() {
        TrackTrajectories t = some(model());
        StreamState other = new StreamState(List.of(new MambaState(8, 4, 4)));
        assertTrue(assertThrows(IllegalStateException.class, () -> t.checkShape(other)).getMessage().contains("layers"));
    }
}
