package io.vigil.models.runtime;

import java.util.Locale;

/**
 * Where a session runs: {@code cpu}, or {@code cuda} / {@code cuda:N} for GPU N.
 *
 * @param device CUDA device index; ignored for CPU
 */
public record ExecutionProvider(Kind kind, int device) {
    public enum Kind { CPU, CUDA }

    public static final ExecutionProvider CPU = new ExecutionProvider(Kind.CPU, 0);

    public static ExecutionProvider parse(String text) {
        String t = text == null ? "cpu" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("cpu")) return CPU;
        if (t.equals("cuda")) return new ExecutionProvider(Kind.CUDA, 0);
        if (t.startsWith("cuda:")) {
            try {
                int d = Integer.parseInt(t.substring(5));
                if (d >= 0) return new ExecutionProvider(Kind.CUDA, d);
            } catch (NumberFormatException ignored) {
                // falls through to the error below
            }
        }
        throw new IllegalArgumentException("execution provider '" + text + "' is not one of cpu, cuda, cuda:N");
    }

    @Override
    public String toString() {
        return kind == Kind.CPU ? "cpu" : "cuda:" + device;
    }
}
