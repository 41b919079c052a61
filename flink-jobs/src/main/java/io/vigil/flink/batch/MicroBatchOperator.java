package io.vigil.flink.batch;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * An operator that works on micro-batches: records are collected until {@code batchSize} or {@code batchTimeoutMs}
 * and handed to {@link #process} together, flushed as every {@link FlushingOperator} is (before barriers, watermarks
 * and the end of input).
 */
public abstract class MicroBatchOperator<IN, OUT> extends FlushingOperator<IN, OUT> {
    private static final long serialVersionUID = 1L;

    private final int batchSize;
    private final long batchTimeoutMs;
    private transient List<StreamRecord<IN>> buffer;

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
        if (buffer.size() >= batchSize) flush();
        else flushWithin(batchTimeoutMs);
    }

    @Override
    protected final void flush() throws Exception {
        if (buffer.isEmpty()) return;
        process(buffer);
        buffer.clear();
    }
}
