package io.vigil.video.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CameraSpecTest {
    private static CameraSpec parse(String key, String json) {
        return CameraSpec.parse(key, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void roundTripsAndDefaults() {
        CameraSpec s = CameraSpec.of("lobby", "rtsp://u:p@cam/1").withFps(5.0).withMaxSize(1280, 720).withLabels(Map.of("site", "hq"));
        CameraSpec back = CameraSpec.parse("lobby", s.toJson());
        assertEquals(s, back);
        assertTrue(back.isEnabled());
        CameraConfig c = back.toConfig();
        assertEquals(5.0, c.targetFps());
        assertEquals(80, c.jpegQuality());
        assertTrue(c.loop());
        CameraSpec noId = parse("k1", "{\"url\":\"testsrc\"}");
        assertEquals("k1", noId.id());
    }

    @Test
    void detectionHintsTravelAsFrameHeaders() {
        CameraSpec s = CameraSpec.parse("yard", ("{\"url\":\"rtsp://cam/1\",\"detect\":{\"every\":3,\"weight\":2.5,"
                + "\"motionMask\":[[[0,0],[0.5,0],[0.5,0.4]]]}}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Map<String, String> h = s.toConfig().frameHeaders();
        assertEquals("3", h.get("vigil-detect-every"));
        assertEquals("2.5", h.get("vigil-detect-weight"));
        assertEquals("0.0,0.0 0.5,0.0 0.5,0.4", h.get("vigil-motion-mask"));
        assertEquals(s, CameraSpec.parse("yard", s.toJson()));
        assertEquals(Map.of(), CameraSpec.of("plain", "rtsp://cam/2").toConfig().frameHeaders(), "no hints, no headers");
        assertMessage("cam", "{\"url\":\"rtsp://h/x\",\"detect\":{\"every\":0}}", "detect.every must be 1..1000");
        assertMessage("cam", "{\"url\":\"rtsp://h/x\",\"detect\":{\"motionMask\":[[[0,0],[2,0],[1,1]]]}}", "detect.motionMask");
    }

    @Test
    void invalidSpecsNameTheFieldAndHideThePassword() {
        assertMessage("cam", "{\"url\":\"rtsp://u:secret@h/x\",\"fsp\":5}", "unknown field 'fsp'");
        assertMessage("cam", "{\"url\":\"rtsp://u:secret@h/x\",\"fps\":0}", "fps must be > 0");
        assertMessage("cam", "{\"url\":\"rtsp://u:secret@h/x\",\"fps\":-2}", "fps must be > 0");
        assertMessage("cam", "{\"url\":\"gopher://u:secret@h/x\"}", "unsupported source scheme 'gopher'");
        assertMessage("cam", "{\"url\":\"rtsp://u:secret@h/x\",\"jpegQuality\":101}", "jpegQuality must be 1..100");
        assertMessage("cam", "{\"url\":\"rtsp://u:secret@h/x\",\"fps\":\"fast\"}", "bad value for 'fps'");
        assertMessage("cam", "{\"id\":\"other\",\"url\":\"testsrc\"}", "differs from the record key");
        assertMessage("cam", "not json", "not valid JSON");
        assertMessage("bad id!", "{\"url\":\"testsrc\"}", "must be 1-128");
    }

    private static void assertMessage(String key, String json, String part) {
        CameraSpec.InvalidException e = assertThrows(CameraSpec.InvalidException.class, () -> parse(key, json));
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void latestQueueDropsTheOldest() throws Exception {
        LatestQueue<Integer> q = new LatestQueue<>(2);
        q.offer(1);
        q.offer(2);
        assertEquals(1, q.offer(3));
        assertEquals(1, q.dropped());
        assertEquals(2, q.poll(1, java.util.concurrent.TimeUnit.MILLISECONDS));
        assertEquals(3, q.poll(1, java.util.concurrent.TimeUnit.MILLISECONDS));
        assertEquals(null, q.poll(1, java.util.concurrent.TimeUnit.MILLISECONDS));
    }

    @Test
    void backoffGrowsWithJitterAndIsCapped() {
        Backoff b = new Backoff(500, 10_000);
        for (int i = 0; i < 50; i++) {
            long d0 = b.delayMs(0);
            assertTrue(d0 >= 400 && d0 <= 600, "first " + d0);
            long d3 = b.delayMs(3);
            assertTrue(d3 >= 3200 && d3 <= 4800, "fourth " + d3);
            long d20 = b.delayMs(20);
            assertTrue(d20 >= 8000 && d20 <= 12000, "capped " + d20);
        }
    }

    @Test
    void seqStoreNeverRepeatsAcrossRestarts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        SeqStore s1 = new SeqStore(dir);
        assertEquals(0, s1.start("cam"));
        for (long i = 0; i < 1500; i++) s1.use("cam", i);
        SeqStore s2 = new SeqStore(dir);
        long next = s2.start("cam");
        assertTrue(next >= 1500, "a restart continues past every seq used: " + next);
        assertEquals(0, new SeqStore(null).start("cam"));
    }
}
