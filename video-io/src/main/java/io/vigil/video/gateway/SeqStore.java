package io.vigil.video.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps {@code vigil-seq} from repeating across gateway restarts: a camera reserves seq numbers in blocks and
 * writes the end of its block to disk before using it; after a restart it continues at the stored end (a gap,
 * never a repeat). Without a directory it keeps nothing (tests, one-shot runs).
 */
final class SeqStore implements SeqSource {
    static final long BLOCK = 1000;
    private final Path dir;
    private final Map<String, Long> reservedUntil = new HashMap<>();

    SeqStore(Path dir) {
        this.dir = dir;
    }

    /** What this gateway published since it started, so a camera restarted in it continues without a gap. */
    private final Map<String, Long> next = new HashMap<>();

    /** The first seq this camera may use now. */
    @Override
    public synchronized long start(String camera) {
        Long known = next.get(camera);
        if (known != null) return known;
        if (dir == null) return 0;
        Path f = file(camera);
        try {
            return Files.exists(f) ? Long.parseLong(Files.readString(f).trim()) : 0;
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read the seq store " + f + ": " + e.getMessage(), e);
        }
    }

    /** Call before publishing {@code seq}: persists a new block end when seq reaches the reserved one. */
    @Override
    public synchronized void use(String camera, long seq) {
        next.put(camera, seq + 1);
        if (dir == null) return;
        Long until = reservedUntil.get(camera);
        if (until != null && seq < until) return;
        long end = seq + BLOCK;
        Path f = file(camera);
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(f.getFileName() + ".tmp");
            Files.writeString(tmp, Long.toString(end));
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the seq store " + f, e);
        }
        reservedUntil.put(camera, end);
    }

    private Path file(String camera) {
        return dir.resolve(camera + ".seq");
    }
}
