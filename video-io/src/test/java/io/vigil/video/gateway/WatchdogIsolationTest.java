package io.vigil.video.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.video.source.SampleMedia;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** One camera whose watchdog check throws does not stop the checks (heartbeats, stall detection) of the others. */
class WatchdogIsolationTest {
    @Test
    void aCameraWhoseCheckThrowsDoesNotSkipTheOthers() throws Exception {
        String bad = "a-bad", good = "z-good";
        ConcurrentHashMap<String, Integer> order = new ConcurrentHashMap<>();
        order.put(good, 1);
        order.put(bad, 2);
        assertEquals(List.of(bad, good), List.copyOf(order.keySet()), "precondition: the gateway's map visits the bad camera first");
        GatewayStatusTest.Statuses seen = new GatewayStatusTest.Statuses();
        StatusSink throwing = s -> {
            // the bad camera's heartbeat fails on the watchdog's thread (its status sink, say, is broken for it)
            if (s.camera().equals(bad) && Thread.currentThread().getName().equals("vigil-gateway-watchdog")) {
                throw new IllegalStateException("status sink broken for " + bad);
            }
            seen.publish(s);
        };
        String vtest = SampleMedia.require(SampleMedia.VTEST).toString();
        try (CameraGateway gw = new CameraGateway(new CameraGatewayTest.ListPublisher(), throwing,
                GatewayStatusTest.MEDIA.withHeartbeat(Duration.ofMillis(200)))) {
            gw.apply(CameraSpec.of(bad, vtest).withFps(5.0));
            gw.apply(CameraSpec.of(good, vtest).withFps(5.0));
            long deadline = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < deadline && (heartbeats(seen, good) < 3 || gw.watchdogErrors() < 3)) Thread.sleep(100);
            assertTrue(gw.watchdogErrors() >= 3, "the bad camera's checks threw: " + gw.watchdogErrors());
            assertTrue(heartbeats(seen, good) >= 3, "the good camera's heartbeats went on: " + heartbeats(seen, good));
        }
    }

    private static long heartbeats(GatewayStatusTest.Statuses s, String camera) {
        synchronized (s.events) {
            return s.events.stream().filter(e -> e.camera().equals(camera) && e.state() == CameraState.STREAMING && e.reason() == null).count();
        }
    }
}
