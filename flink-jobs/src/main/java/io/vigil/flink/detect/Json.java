package io.vigil.flink.detect;

/** The few JSON writing helpers the event serializers need. */
public final class Json {
    private Json() {}

    public static void string(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    /** Rounds to {@code decimals} places; drops a trailing ".0". */
    public static void number(StringBuilder sb, float v, int decimals) {
        if (!Float.isFinite(v)) {
            sb.append("null");
            return;
        }
        double scale = Math.pow(10, decimals);
        double r = Math.round(v * scale) / scale;
        if (r == Math.rint(r) && Math.abs(r) < 1e15) sb.append((long) r);
        else sb.append(r);
    }

    public static void array(StringBuilder sb, float[] a, int decimals) {
        sb.append('[');
        for (int i = 0; a != null && i < a.length; i++) {
            if (i > 0) sb.append(',');
            number(sb, a[i], decimals);
        }
        sb.append(']');
    }
}
