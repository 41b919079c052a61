package io.vigil.flink.action;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per track of one camera: the last W centre points (normalised by the frame size) for a windowed action model,
 * and the last K predictions for majority smoothing. Plain data with a versioned byte form for Flink state.
 */
public final class TrackWindows {
    private static final int MAGIC = 0x56545731; // "VTW1"

    private final int window;
    private final int votes;
    private final Map<Long, Entry> tracks = new LinkedHashMap<>();

    static final class Entry {
        final float[] xs;   // ring [window]
        final float[] ys;   // ring [window]
        final int[] recent; // ring [votes] of class ids, -1 = empty
        int count;
        int voteCount;
        long lastFrame;

        Entry(int window, int votes) {
            xs = new float[window];
            ys = new float[window];
            recent = new int[votes];
            Arrays.fill(recent, -1);
        }
    }

    public TrackWindows(int window, int votes) {
        this.window = window;
        this.votes = votes;
    }

    public void observe(long track, float x, float y, long frame) {
        Entry e = tracks.computeIfAbsent(track, k -> new Entry(window, votes));
        e.xs[e.count % window] = x;
        e.ys[e.count % window] = y;
        e.count++;
        e.lastFrame = frame;
    }

    /** Tracks with a full window, oldest track first. */
    public List<Long> ready() {
        List<Long> out = new ArrayList<>();
        for (Map.Entry<Long, Entry> e : tracks.entrySet()) if (e.getValue().count >= window) out.add(e.getKey());
        return out;
    }

    /** The window of a track as the gesture contract wants it: points relative to the oldest, x0,y0,...,x15,y15. */
    public float[] window(long track) {
        Entry e = tracks.get(track);
        float[] out = new float[2 * window];
        int start = e.count - window;
        float x0 = e.xs[start % window];
        float y0 = e.ys[start % window];
        for (int i = 0; i < window; i++) {
            int k = (start + i) % window;
            out[2 * i] = e.xs[k] - x0;
            out[2 * i + 1] = e.ys[k] - y0;
        }
        return out;
    }

    /** Records a prediction and returns the majority over the last K: {class, agreeing votes, votes}. */
    public int[] vote(long track, int classId) {
        Entry e = tracks.get(track);
        e.recent[e.voteCount % votes] = classId;
        e.voteCount++;
        return Votes.majority(e.recent, Math.min(e.voteCount, votes), classId);
    }

    /** Forgets tracks not seen since {@code beforeFrame}. */
    public void forgetOlderThan(long beforeFrame) {
        Iterator<Map.Entry<Long, Entry>> it = tracks.entrySet().iterator();
        while (it.hasNext()) if (it.next().getValue().lastFrame < beforeFrame) it.remove();
    }

    public int size() {
        return tracks.size();
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.writeInt(MAGIC);
            out.writeInt(window);
            out.writeInt(votes);
            out.writeInt(tracks.size());
            for (Map.Entry<Long, Entry> me : tracks.entrySet()) {
                Entry e = me.getValue();
                out.writeLong(me.getKey());
                out.writeInt(e.count);
                out.writeInt(e.voteCount);
                out.writeLong(e.lastFrame);
                for (float v : e.xs) out.writeFloat(v);
                for (float v : e.ys) out.writeFloat(v);
                for (int v : e.recent) out.writeInt(v);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bos.toByteArray();
    }

    public static TrackWindows fromBytes(byte[] b) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
            if (in.readInt() != MAGIC) throw new IllegalArgumentException("track windows state: bad magic");
            TrackWindows w = new TrackWindows(in.readInt(), in.readInt());
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                long id = in.readLong();
                Entry e = new Entry(w.window, w.votes);
                e.count = in.readInt();
                e.voteCount = in.readInt();
                e.lastFrame = in.readLong();
                for (int k = 0; k < w.window; k++) e.xs[k] = in.readFloat();
                for (int k = 0; k < w.window; k++) e.ys[k] = in.readFloat();
                for (int k = 0; k < w.votes; k++) e.recent[k] = in.readInt();
                w.tracks.put(id, e);
            }
            return w;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
