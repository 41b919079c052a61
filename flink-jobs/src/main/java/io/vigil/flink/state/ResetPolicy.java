package io.vigil.flink.state;

import io.vigil.events.DetectionEvent;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.state.StateTtlConfig;

/**
 * When a camera's temporal state (its tracks, trajectory states, SSM state) must restart, for every keyed stage of the
 * job: each stage keeps the camera's last seq and capture time and asks this one policy about each new frame, so they
 * all agree on where a camera's history breaks and why.
 *
 * <ul>
 *   <li>a frame whose seq is not above the last one (a duplicate, an out-of-order arrival) is a {@link #isReplay replay}:
 *       it changes no state (the Track stage dead-letters it, so no frame gets two events), unless it is a restart;</li>
 *   <li>a seq below the last one with a capture time after the last frame's is a <em>restart</em> (the camera's gateway
 *       lost its count: a container without a volume, a camera moved to another gateway), not a replay, since a replay
 *       carries the time it was first captured at: the state starts from zero at once, the event says so in
 *       {@code reset}, and the lower seqs are the camera's from then on;</li>
 *   <li>a seq jump of more than {@code maxSeqGap} frames, or a pause in capture time over {@code maxTimeGap}, is a
 *       reset: the state starts from zero and the event says why in {@code reset} (written once, by the first stage
 *       that sees it);</li>
 *   <li>a camera's state is dropped after {@code stateTtl} without frames.</li>
 * </ul>
 *
 * @param maxSeqGap  most frames that may be missing between two frames without a reset
 * @param maxTimeGap longest pause in capture time without a reset
 * @param stateTtl   a camera's keyed state is dropped after this long without frames
 */
public record ResetPolicy(long maxSeqGap, Duration maxTimeGap, Duration stateTtl) implements Serializable {
    /** 50 frames, 10 s, 1 h. */
    public static final ResetPolicy DEFAULTS = new ResetPolicy(50, Duration.ofSeconds(10), Duration.ofHours(1));

    public ResetPolicy {
        if (maxSeqGap < 1) throw new IllegalArgumentException("maxSeqGap must be >= 1, got " + maxSeqGap);
        if (maxTimeGap == null || maxTimeGap.isNegative() || maxTimeGap.isZero()) throw new IllegalArgumentException("maxTimeGap must be > 0, got " + maxTimeGap);
        if (stateTtl == null || stateTtl.compareTo(maxTimeGap) < 0) throw new IllegalArgumentException("stateTtl must be >= maxTimeGap, got " + stateTtl);
    }

    /**
     * True when a frame with {@code seq} is not newer than the camera's last one ({@code prevSeq}, null = none yet) and is
     * not a {@link #isRestart restart}: a duplicate, or a frame older than one already processed.
     */
    public boolean isReplay(Long prevSeq, Long prevTsMicros, long seq, long tsMicros) {
        return prevSeq != null && seq <= prevSeq && !isRestart(prevSeq, prevTsMicros, seq, tsMicros);
    }

    /** True when the seq went down while the capture time went on: the camera's count started again. */
    public boolean isRestart(Long prevSeq, Long prevTsMicros, long seq, long tsMicros) {
        return prevSeq != null && prevTsMicros != null && seq < prevSeq && tsMicros > prevTsMicros;
    }

    /** Why the camera's state must restart at this frame, or null when it continues. */
    public String resetReason(Long prevSeq, Long prevTsMicros, long seq, long tsMicros) {
        if (prevSeq == null) return null;
        if (isRestart(prevSeq, prevTsMicros, seq, tsMicros)) return "seq restarted: " + seq + " after " + prevSeq + " (the camera's count began again)";
        long seqGap = seq - prevSeq;
        if (seqGap > maxSeqGap) return "frame gap: " + (seqGap - 1) + " frames missing";
        long pauseMs = prevTsMicros == null ? 0 : (tsMicros - prevTsMicros) / 1000;
        if (pauseMs > maxTimeGap.toMillis()) return "camera paused for " + pauseMs + " ms";
        return null;
    }

    /** Says on the event why the state restarted, unless an earlier stage already said it. */
    public static void mark(DetectionEvent e, String reason) {
        if (e.reset == null) e.reset = reason;
    }

    /** The time-to-live every keyed state of a camera gets. */
    public StateTtlConfig ttl() {
        return StateTtlConfig.newBuilder(stateTtl).build();
    }
}
