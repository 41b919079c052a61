package io.vigil.deploy.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class GatewayGroupMetricsTest {
    private static String scrape(PrometheusRegistry r) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, r.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aMembersSlotsCamerasRebalancesAndLostSlotsByGroupAndMember() throws Exception {
        AtomicReference<GatewayGroupMetrics.Member> m = new AtomicReference<>();
        PrometheusRegistry r = new PrometheusRegistry();
        r.register(new GatewayGroupMetrics(m::get));
        assertTrue(!scrape(r).contains("vigil_gateway_group"), "nothing before the member joined");

        m.set(new GatewayGroupMetrics.Member("vigil-gateways", "gw-1", 11, 20, 3, 1));
        String text = scrape(r);
        for (String s : GatewayGroupMetrics.SERIES) assertTrue(text.contains(s + "{"), s + " in\n" + text);
        assertTrue(text.contains("vigil_gateway_group_slots{group=\"vigil-gateways\",member=\"gw-1\"} 11"), text);
        assertTrue(text.contains("vigil_gateway_group_cameras{group=\"vigil-gateways\",member=\"gw-1\"} 20"), text);
        assertTrue(text.contains("vigil_gateway_group_slots_lost_total{group=\"vigil-gateways\",member=\"gw-1\"} 1"), text);
        assertEquals(1, text.lines().filter(l -> l.startsWith("vigil_gateway_group_rebalances_total{")).count());
    }
}
