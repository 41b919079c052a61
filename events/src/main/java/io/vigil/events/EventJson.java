package io.vigil.events;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON writer of the job's published events (detections, actions, dead letters), on Jackson's streaming
 * {@link JsonGenerator} over a reused buffer. Field names and order follow DESIGN.md and the schemas in docs/; numbers
 * are rounded to the decimals each field needs, and a whole number is written without ".0". One instance per sink
 * subtask (not thread-safe).
 */
public final class EventJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** U+2028 and U+2029 are valid JSON but end a line in JavaScript, and the dashboard hands event text to a page. */
    private static final CharacterEscapes LINE_SEPARATORS = new CharacterEscapes() {
        private static final long serialVersionUID = 1L;
        private final int[] ascii = standardAsciiEscapesForJSON();

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch == 0x2028 || ch == 0x2029 ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    };

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);

    /** The detection event's JSON, with {@code latencyMs} as given. */
    public byte[] detection(DetectionEvent e, long latencyMs) {
        return write("the detection event of", e.camera, e.frame, g -> {
            g.writeStringField("schema", DetectionEvent.SCHEMA);
            g.writeStringField("camera", e.camera);
            g.writeNumberField("frame", e.frame);
            g.writeNumberField("ts", e.tsMicros / 1000);
            g.writeNumberField("width", e.width);
            g.writeNumberField("height", e.height);
            g.writeStringField("model", e.model);
            g.writeStringField("inference", (e.inference == null ? Inference.FULL : e.inference).wire());
            g.writeArrayFieldStart("objects");
            if (e.objects != null) {
                for (DetectedObject o : e.objects) {
                    g.writeStartObject();
                    if (o.track >= 0) g.writeNumberField("track", o.track);
                    g.writeStringField("label", o.label);
                    g.writeNumberField("classId", o.classId);
                    g.writeFieldName("score");
                    number(g, o.score, 4);
                    array(g, "box", o.box, 1);
                    array(g, "boxNorm", o.boxNorm, 5);
                    if (o.velocity != null) array(g, "velocity", o.velocity, 1);
                    if (o.speedUnit != null && Float.isFinite(o.speed)) {
                        g.writeFieldName("speed");
                        number(g, o.speed, 2);
                        g.writeStringField("speedUnit", o.speedUnit);
                    }
                    if (o.zones != null) {
                        g.writeArrayFieldStart("zones");
                        for (String z : o.zones) g.writeString(z);
                        g.writeEndArray();
                    }
                    if (o.predicted) g.writeBooleanField("predicted", true);
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            if (e.embedding != null) array(g, "embedding", e.embedding, 5);
            if (e.saliency != null) {
                g.writeObjectFieldStart("saliency");
                g.writeNumberField("rows", e.saliency.rows);
                g.writeNumberField("cols", e.saliency.cols);
                array(g, "values", e.saliency.values, 3);
                g.writeEndObject();
            }
            if (e.reset != null) g.writeStringField("reset", e.reset);
            g.writeNumberField("latencyMs", latencyMs);
        });
    }

    /** The action event's JSON, with {@code latencyMs} as given. */
    public byte[] action(ActionEvent e, long latencyMs) {
        return write("the action event of", e.camera, e.frame, g -> {
            g.writeStringField("schema", ActionEvent.SCHEMA);
            g.writeStringField("camera", e.camera);
            g.writeNumberField("frame", e.frame);
            g.writeNumberField("ts", e.tsMicros / 1000);
            if (e.track >= 0) g.writeNumberField("track", e.track);
            g.writeArrayFieldStart("labels");
            for (int i = 0; i < e.labels.length; i++) {
                g.writeStartObject();
                g.writeStringField("label", e.labels[i]);
                g.writeFieldName("score");
                number(g, e.scores[i], 4);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("model", e.model);
            g.writeNumberField("latencyMs", latencyMs);
        });
    }

    /** The dead letter's JSON. */
    public byte[] deadLetter(DeadLetter d) {
        return write("a dead letter of", d.camera, d.frame, g -> {
            g.writeStringField("schema", DeadLetter.SCHEMA);
            g.writeStringField("camera", d.camera);
            g.writeNumberField("frame", d.frame);
            g.writeNumberField("ts", d.tsMicros / 1000);
            g.writeStringField("reason", d.reason);
            g.writeStringField("topic", d.topic);
            g.writeNumberField("partition", d.partition);
            g.writeNumberField("offset", d.offset);
        });
    }

    /** The analytics event's JSON (DESIGN.md's fields; the optional ones only where they apply). */
    public byte[] analytics(AnalyticsEvent a) {
        return write("the analytics event of", a.camera, a.frame, g -> {
            g.writeStringField("schema", AnalyticsEvent.SCHEMA);
            g.writeStringField("camera", a.camera);
            g.writeNumberField("frame", a.frame);
            g.writeNumberField("ts", a.tsMicros / 1000);
            g.writeStringField("rule", a.rule);
            g.writeStringField("ruleName", a.ruleName);
            g.writeStringField("type", a.type.wire());
            g.writeNumberField("track", a.track);
            if (a.label != null) g.writeStringField("label", a.label);
            if (a.box != null) array(g, "box", a.box, 1);
            if (a.direction != null) g.writeStringField("direction", a.direction);
            if (!Double.isNaN(a.dwellSeconds)) {
                g.writeFieldName("dwellSeconds");
                number(g, (float) a.dwellSeconds, 2);
            }
            if (!Double.isNaN(a.speed) && a.speedUnit != null) {
                g.writeFieldName("speed");
                number(g, (float) a.speed, 2);
                g.writeStringField("speedUnit", a.speedUnit);
            }
            if (a.reason != null) g.writeStringField("reason", a.reason);
            if (a.frameOffset >= 0) {
                g.writeObjectFieldStart("frameRef");
                g.writeStringField("topic", a.frameTopic);
                g.writeNumberField("partition", a.framePartition);
                g.writeNumberField("offset", a.frameOffset);
                g.writeEndObject();
            }
        });
    }

    /** The counts event's JSON: a line's in/out or a zone's entries, exits and occupancy. */
    public byte[] counts(CountsEvent c) {
        return write("the counts of", c.camera, c.windowStart, g -> {
            g.writeStringField("schema", CountsEvent.SCHEMA);
            g.writeStringField("camera", c.camera);
            g.writeStringField("rule", c.rule);
            g.writeStringField("kind", c.kind);
            g.writeStringField("label", c.label);
            g.writeNumberField("windowStart", c.windowStart);
            g.writeNumberField("windowEnd", c.windowEnd);
            if ("line".equals(c.kind)) {
                g.writeNumberField("in", c.in);
                g.writeNumberField("out", c.out);
            } else {
                g.writeNumberField("entries", c.entries);
                g.writeNumberField("exits", c.exits);
                g.writeNumberField("maxOccupancy", c.maxOccupancy);
                g.writeFieldName("meanOccupancy");
                number(g, (float) c.meanOccupancy, 3);
                if (!Double.isNaN(c.meanDwellSeconds)) {
                    g.writeFieldName("meanDwellSeconds");
                    number(g, (float) c.meanDwellSeconds, 2);
                }
            }
            if (c.update) g.writeBooleanField("update", true);
        });
    }

    /** One event's fields. */
    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /** {@code {fields}} as UTF-8 bytes; {@code what}, camera and frame only name the event if writing fails. */
    private byte[] write(String what, String camera, long frame, Fields fields) {
        try (JsonGenerator g = start()) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + what + " " + camera + "#" + frame, ex);
        }
        return buffer.toByteArray();
    }

    private JsonGenerator start() throws IOException {
        buffer.reset();
        return FACTORY.createGenerator(buffer, JsonEncoding.UTF8).setCharacterEscapes(LINE_SEPARATORS);
    }

    private static void array(JsonGenerator g, String field, float[] a, int decimals) throws IOException {
        g.writeArrayFieldStart(field);
        for (int i = 0; a != null && i < a.length; i++) number(g, a[i], decimals);
        g.writeEndArray();
    }

    /** Rounded to {@code decimals} places; a whole number without ".0"; NaN and infinities as null. */
    private static void number(JsonGenerator g, float v, int decimals) throws IOException {
        if (!Float.isFinite(v)) {
            g.writeNull();
            return;
        }
        double scale = Math.pow(10, decimals);
        double r = Math.round(v * scale) / scale;
        if (r == Math.rint(r) && Math.abs(r) < 1e15) g.writeNumber((long) r);
        else g.writeNumber(r);
    }
}
