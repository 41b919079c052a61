package io.vigil.flink.batch;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * An operator that works on micro-batches: records are collected until {@code batchSize} or {@code batchTimeoutMs}
 * and handed to {@link #process} together. The buffer is flushed before every checkpoint barrier, every
 * watermark and at the end of input, so a checkpoint never holds records in flight and nothing comes out behind
 * its watermark.
 */
public abstract class MicroBatchOperator<IN, OUT> extends AbstractStreamOperator<OUT>
        implements OneInputStreamOperator<IN, OUT>, ProcessingTimeCallback {
    private static final long serialVersionUID = 1L;

    private final int batchSize;
    private final long batchTimeoutMs;
    private transient List<StreamRecord<IN>> buffer;
    private transient boolean timerSet;

    protected MicroBatchOperator(int batchSize, long batchTimeoutMs) {
        this.batchSize = batchSize;
        this.batchTimeoutMs = batchTimeoutMs;
    }

    /** Handles one batch, in arrival order; the list is reused after the call. */
    protected abstract void process(List<StreamRecord<IN>> batch) throws Exception;

    @Override
    public void open() throws Exception {
        super.open();
        buffer = new ArrayList<>(batchSize);
    }

    @Override
    public void processElement(StreamRecord<IN> element) throws Exception {
        buffer.add(element);
        if (buffer.size() >= batchSize) {
            flush();
        } else if (!timerSet) {
            timerSet = true;
            getProcessingTimeService().registerTimer(getProcessingTimeService().getCurrentProcessingTime() + batchTimeoutMs, this);
        }
    }

    @Override
    public void onProcessingTime(long time) throws Exception {
        timerSet = false;
        flush();
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    private void flush() throws Exception {
        if (buffer.isEmpty()) return;
        process(buffer);
        buffer.clear();
    }
}
