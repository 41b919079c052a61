package io.vigil.spatiotemporal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SafeTensorsTest {
    private static byte[] sample() {
        return SafeTensors.toBytes(List.of(
                Tensor.f32("w", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
                Tensor.i64("idx", new long[] {2}, new long[] {7, -8})), Map.of("case", "demo"));
    }

    @Test
    void roundTrip() {
        byte[] b = sample();
        long headerLen = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8, "header padded to 8");
        SafeTensors st = SafeTensors.parse(b, "mem");
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, st.get("w").floats());
        assertArrayEquals(new long[] {2, 3}, st.get("w").shape());
        assertArrayEquals(new long[] {7, -8}, st.get("idx").longs());
        assertEquals("demo", st.metadata().get("case"));
    }

    @Test
    void truncatedFilesAreNamed() {
        byte[] b = sample();
        assertMessage(java.util.Arrays.copyOf(b, 5), "truncated");
        assertMessage(java.util.Arrays.copyOf(b, 20), "truncated");
        assertMessage(java.util.Arrays.copyOf(b, b.length - 4), "data_offsets");
    }

    @Test
    void badHeadersAreNamed() {
        assertMessage(withHeader("{\"w\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2), "unsupported dtype F16");
        assertMessage(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4), "needs 8 bytes");
        assertMessage(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 4), "outside the data section");
        assertMessage(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "overlap");
        assertMessage(withHeader("{\"w\": [1, 2", 0), "not valid JSON");
        byte[] huge = new byte[16];
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40);
        assertMessage(huge, "header length");
    }

    private static byte[] withHeader(String json, int dataBytes) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    private static void assertMessage(byte[] bytes, String part) {
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.parse(bytes, "f.safetensors"));
        assertTrue(e.getMessage().contains(part) && e.getMessage().contains("f.safetensors"), e.getMessage());
    }
}
