package io.vigil.video.gateway.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class SeqRecordTest {
    @Test
    void aRecordReadsBackAsWritten() {
        SeqRecord r = new SeqRecord("lobby", 4512, "gw-1", true, 1795891868575L);
        assertEquals(r, SeqRecord.parse("lobby", r.toJson()));
    }

    @Test
    void aBadRecordIsRefusedNamingWhatIsWrong() {
        IllegalArgumentException schema = assertThrows(IllegalArgumentException.class,
                () -> SeqRecord.parse("c", "{\"schema\":\"vigil.gateway-seq/9\",\"next\":1}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(schema.getMessage().contains("schema"), schema.getMessage());
        IllegalArgumentException next = assertThrows(IllegalArgumentException.class,
                () -> SeqRecord.parse("c", "{\"schema\":\"vigil.gateway-seq/1\",\"next\":-3}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(next.getMessage().startsWith("next"), next.getMessage());
        IllegalArgumentException json = assertThrows(IllegalArgumentException.class,
                () -> SeqRecord.parse("c", "{not json".getBytes(StandardCharsets.UTF_8)));
        assertTrue(json.getMessage().contains("not JSON"), json.getMessage());
    }

    @Test
    void aCamerasSlotIsThePartitionKafkaGivesItsIdOnTheSeqTopic() {
        // the seq records of a camera (keyed by its id) must land in the slot that owns it
        for (String camera : new String[] {"lobby", "dock-3", "cam-0017", "x"}) {
            int kafka = BuiltInPartitioner.partitionForKey(camera.getBytes(StandardCharsets.UTF_8), 32);
            assertEquals(kafka, Slots.of(camera, 32), camera);
        }
    }
}
