package io.vigil.flink.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The shared flush policy through its simplest user: a batch leaves when full, on its timeout, before a watermark, a barrier and the end. */
class MicroBatchOperatorTest {
    /** Emits each batch as its size, so the test sees where the batches were cut. */
    static final class Sizes extends MicroBatchOperator<Integer, Integer> {
        Sizes() {
            super(3, 100);
        }

        @Override
        protected void process(List<StreamRecord<Integer>> batch) {
            output.collect(new StreamRecord<>(batch.size()));
        }
    }

    private static List<Object> values(OneInputStreamOperatorTestHarness<Integer, Integer> h) {
        List<Object> out = new ArrayList<>();
        for (Object o : h.getOutput()) out.add(o instanceof StreamRecord<?> r ? r.getValue() : o);
        return out;
    }

    @Test
    void batchesAreCutWhenFullOnTheTimeoutBeforeWatermarksBarriersAndTheEnd() throws Exception {
        try (var h = new OneInputStreamOperatorTestHarness<>(new Sizes())) {
            h.open();
            h.setProcessingTime(0);
            for (int i = 0; i < 4; i++) h.processElement(new StreamRecord<>(i));
            assertEquals(List.of(3), values(h), "full at 3");
            h.setProcessingTime(99);
            assertEquals(List.of(3), values(h));
            h.setProcessingTime(100);
            assertEquals(List.of(3, 1), values(h), "the timeout takes the rest");
            h.processElement(new StreamRecord<>(5));
            h.processWatermark(new Watermark(7));
            assertEquals(List.of(3, 1, 1, new Watermark(7)), values(h), "the batch leaves before the watermark");
            h.processElement(new StreamRecord<>(6));
            h.prepareSnapshotPreBarrier(1);
            assertEquals(List.of(3, 1, 1, new Watermark(7), 1), values(h), "nothing is held across a checkpoint barrier");
            h.processElement(new StreamRecord<>(7));
            h.processElement(new StreamRecord<>(8));
            h.getOperator().finish();
            assertEquals(2, values(h).get(values(h).size() - 1), "the end of input flushes");
        }
    }
}
