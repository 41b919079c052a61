package io.vigil.flink.batch;

import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * The one flush policy of Vigil's buffering operators: what an operator holds back leaves when its timeout passes
 * ({@link #flushWithin}), before every watermark (nothing comes out behind its watermark), before every checkpoint
 * barrier (a checkpoint never holds records in flight) and at the end of input. Subclasses say what a flush does.
 */
public abstract class FlushingOperator<IN, OUT> extends AbstractStreamOperator<OUT>
        implements OneInputStreamOperator<IN, OUT>, ProcessingTimeCallback {
    private static final long serialVersionUID = 1L;

    private transient boolean timerSet;

    /** Emits everything held back. */
    protected abstract void flush() throws Exception;

    /** Asks for a flush at most {@code timeoutMs} from now (one timer at a time; an earlier flush does not cancel it). */
    protected final void flushWithin(long timeoutMs) {
        if (timerSet) return;
        timerSet = true;
        getProcessingTimeService().registerTimer(getProcessingTimeService().getCurrentProcessingTime() + timeoutMs, this);
    }

    @Override
    public final void onProcessingTime(long time) throws Exception {
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
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }
}
