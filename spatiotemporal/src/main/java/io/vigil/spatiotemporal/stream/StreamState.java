package io.vigil.spatiotemporal.stream;

import io.vigil.spatiotemporal.ssm.MambaState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a stream (one camera) carries from frame to frame: per layer, the carried direction's conv window
 * and SSM state, and the number of frames seen. Its size is fixed by the model, however long the stream runs.
 *
 * <p>Serialised form (big-endian), version 1: magic {@code "VSS1"}, short version, int layers, then per layer
 * int d_inner, int d_conv, int d_state, the conv floats [E][K], the ssm floats [E][N]; then long frames.
 */
public final class StreamState {
    public static final int MAGIC = 0x56535331; // "VSS1"
    public static final short VERSION = 1;

    private final List<MambaState> layers;
    private long frames;

    public StreamState(List<MambaState> layers) {
        this.layers = List.copyOf(layers);
    }

    public MambaState layer(int i) {
        return layers.get(i);
    }

    public int layers() {
        return layers.size();
    }

    public long frames() {
        return frames;
    }

    public void advance() {
        frames++;
    }

    /** Back to the state of a stream that has seen nothing (a deliberate reset, e.g. after a frame gap). */
    public void reset() {
        for (MambaState s : layers) s.reset();
        frames = 0;
    }

    public StreamState copy() {
        List<MambaState> c = new ArrayList<>();
        for (MambaState s : layers) c.add(s.copy());
        StreamState out = new StreamState(c);
        out.frames = frames;
        return out;
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(sizeInBytes());
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.writeInt(MAGIC);
            out.writeShort(VERSION);
            out.writeInt(layers.size());
            for (MambaState s : layers) {
                out.writeInt(s.dInner);
                out.writeInt(s.dConv);
                out.writeInt(s.dState);
                for (float f : s.conv) out.writeFloat(f);
                for (float f : s.ssm) out.writeFloat(f);
            }
            out.writeLong(frames);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    public int sizeInBytes() {
        int n = 4 + 2 + 4 + 8;
        for (MambaState s : layers) n += 12 + 4 * (s.conv.length + s.ssm.length);
        return n;
    }

    /**
     * @throws IllegalArgumentException naming what is wrong: bad magic, unknown version, truncated data, or a
     *     layer shape that does not match {@code expected} (when given)
     */
    public static StreamState fromBytes(byte[] bytes, StreamState expectedShape) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int magic = in.readInt();
            if (magic != MAGIC) throw new IllegalArgumentException(String.format("stream state: bad magic 0x%08x (expected VSS1)", magic));
            short version = in.readShort();
            if (version != VERSION) throw new IllegalArgumentException("stream state: version " + version + " is not supported (this build reads " + VERSION + ")");
            int n = in.readInt();
            if (n < 0 || n > 1024) throw new IllegalArgumentException("stream state: " + n + " layers is out of range");
            if (expectedShape != null && n != expectedShape.layers()) {
                throw new IllegalArgumentException("stream state has " + n + " layers, the model has " + expectedShape.layers());
            }
            List<MambaState> layers = new ArrayList<>();
            for (int l = 0; l < n; l++) {
                int e = in.readInt();
                int k = in.readInt();
                int ns = in.readInt();
                if (e <= 0 || k <= 0 || ns <= 0 || (long) e * (k + ns) * 4 > bytes.length) {
                    throw new IllegalArgumentException("stream state: layer " + l + " has impossible shape E=" + e + " K=" + k + " N=" + ns);
                }
                if (expectedShape != null) {
                    MambaState x = expectedShape.layer(l);
                    if (x.dInner != e || x.dConv != k || x.dState != ns) {
                        throw new IllegalArgumentException("stream state: layer " + l + " is E=" + e + " K=" + k + " N=" + ns
                                + ", the model's is E=" + x.dInner + " K=" + x.dConv + " N=" + x.dState);
                    }
                }
                MambaState s = new MambaState(e, k, ns);
                for (int i = 0; i < s.conv.length; i++) s.conv[i] = in.readFloat();
                for (int i = 0; i < s.ssm.length; i++) s.ssm[i] = in.readFloat();
                layers.add(s);
            }
            StreamState st = new StreamState(layers);
            st.frames = in.readLong();
            if (in.available() > 0) throw new IllegalArgumentException("stream state: " + in.available() + " unexpected trailing bytes");
            return st;
        } catch (EOFException e) {
            throw new IllegalArgumentException("stream state: truncated (" + bytes.length + " bytes)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamState s && s.frames == frames && s.layers.equals(layers);
    }

    @Override
    public int hashCode() {
        return layers.hashCode() * 31 + Long.hashCode(frames);
    }
}
