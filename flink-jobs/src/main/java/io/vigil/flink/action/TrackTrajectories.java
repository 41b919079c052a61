package io.vigil.flink.action;

import io.vigil.spatiotemporal.model.TrajectoryModel;
import io.vigil.spatiotemporal.stream.StreamState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per track of one camera, for the streaming trajectory model: the model's recurrent state, the last centre point
 * (normalised by the frame size) and the last K predictions for majority smoothing. No window of points: one model
 * step per new point, O(1) in the track's length. Plain data with a versioned byte form; in Flink it is kept as an
 * object ({@link TrackTrajectoriesSerializer}), so the heap state backend serialises it at checkpoints only, not on
 * every frame.
 */
public final class TrackTrajectories {
    private static final int MAGIC = 0x56545431; // "VTT1"

    private final int votes;
    private final Map<Long, Entry> tracks = new LinkedHashMap<>();

    private static final class Entry {
        StreamState state;
        float x, y;
        long lastFrame;
        final int[] recent;  // ring [votes] of class ids, -1 = empty
        int voteCount;

        Entry(int votes) {
            recent = new int[votes];
            Arrays.fill(recent, -1);
        }
    }

    public TrackTrajectories(int votes) {
        this.votes = votes;
    }

    public int size() {
        return tracks.size();
    }

    /**
     * A track's new centre point: steps the model with the displacement since its previous point. Returns false for a
     * track's first point (nothing to step yet), true with {@code scores} written otherwise.
     */
    public boolean observe(long track, float x, float y, long frame, TrajectoryModel model, float[] scores) {
        Entry e = tracks.get(track);
        if (e == null) {
            e = new Entry(votes);
            e.state = model.newState();
            e.x = x;
            e.y = y;
            e.lastFrame = frame;
            tracks.put(track, e);
            return false;
        }
        model.step(x - e.x, y - e.y, e.state, scores);
        e.x = x;
        e.y = y;
        e.lastFrame = frame;
        return true;
    }

    /** Records a prediction and returns the majority over the last K: {class, agreeing votes, votes}. */
    public int[] vote(long track, int classId) {
        Entry e = tracks.get(track);
        e.recent[e.voteCount % votes] = classId;
        e.voteCount++;
        return Votes.majority(e.recent, Math.min(e.voteCount, votes), classId);
    }

    /** Drops tracks not seen since {@code frame}. */
    public void forgetOlderThan(long frame) {
        for (Iterator<Entry> it = tracks.values().iterator(); it.hasNext(); ) if (it.next().lastFrame < frame) it.remove();
    }

    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            DataOutputStream o = new DataOutputStream(bo);
            o.writeInt(MAGIC);
            o.writeInt(votes);
            o.writeInt(tracks.size());
            for (Map.Entry<Long, Entry> t : tracks.entrySet()) {
                Entry e = t.getValue();
                o.writeLong(t.getKey());
                o.writeFloat(e.x);
                o.writeFloat(e.y);
                o.writeLong(e.lastFrame);
                o.writeInt(e.voteCount);
                for (int v : e.recent) o.writeInt(v);
                byte[] s = e.state.toBytes();
                o.writeInt(s.length);
                o.write(s);
            }
            o.flush();
            return bo.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Refuses states of another model (restored from a savepoint taken with other weights), naming both shapes. */
    public void checkShape(StreamState expected) {
        for (Map.Entry<Long, Entry> t : tracks.entrySet()) {
            StreamState s = t.getValue().state;
            if (s.layers() != expected.layers()) {
                throw new IllegalStateException("track " + t.getKey() + ": trajectory state has " + s.layers() + " layers, the model " + expected.layers());
            }
            for (int l = 0; l < s.layers(); l++) {
                if (s.layer(l).dInner != expected.layer(l).dInner || s.layer(l).dConv != expected.layer(l).dConv
                        || s.layer(l).dState != expected.layer(l).dState) {
                    throw new IllegalStateException("track " + t.getKey() + ": trajectory state layer " + l + " does not fit the model's shape");
                }
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrackTrajectories t && Arrays.equals(toBytes(), t.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }

    /** @param shape the model's state shape, or null to take the shapes as written */
    public static TrackTrajectories fromBytes(byte[] bytes, StreamState shape) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int magic = in.readInt();
            if (magic != MAGIC) throw new IllegalStateException("track trajectories: bad magic " + Integer.toHexString(magic));
            TrackTrajectories t = new TrackTrajectories(in.readInt());
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                long id = in.readLong();
                Entry e = new Entry(t.votes);
                e.x = in.readFloat();
                e.y = in.readFloat();
                e.lastFrame = in.readLong();
                e.voteCount = in.readInt();
                for (int k = 0; k < t.votes; k++) e.recent[k] = in.readInt();
                byte[] s = new byte[in.readInt()];
                in.readFully(s);
                e.state = StreamState.fromBytes(s, shape);
                t.tracks.put(id, e);
            }
            return t;
        } catch (IOException ex) {
            throw new UncheckedIOException("track trajectories: truncated state", ex);
        }
    }
}
