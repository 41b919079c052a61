package io.vigil.deploy.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/grafana/vigil.json is a dashboard Grafana imports: panels with Prometheus queries on the datasource variable,
 * the gateway's series exactly as {@link GatewayMetrics} names them. (That every query names a series a running Vigil
 * exports, Flink's included, is checked against a real scrape in OperationsITCase.)
 */
class GrafanaDashboardTest {
    @Test
    void everyPanelQueriesPrometheusAndTheGatewaySeriesExist() throws Exception {
        JsonNode d = new ObjectMapper().readTree(Path.of("grafana", "vigil.json").toFile());
        assertEquals("vigil-overview", d.path("uid").asText());
        assertTrue(d.path("panels").size() >= 10);
        Set<String> ids = new HashSet<>();
        Matcher gateway = Pattern.compile("\\b(vigil_[a-z0-9_]+)").matcher("");
        Set<String> used = new HashSet<>();
        for (JsonNode p : d.path("panels")) {
            assertTrue(ids.add(p.path("id").asText()), "panel ids are unique");
            assertEquals("${datasource}", p.path("datasource").path("uid").asText(), p.path("title").asText());
            assertFalse(p.path("targets").isEmpty(), p.path("title") + " has no query");
            for (JsonNode t : p.path("targets")) {
                String expr = t.path("expr").asText();
                assertFalse(expr.isBlank(), p.path("title").asText());
                assertEquals(count(expr, '('), count(expr, ')'), "balanced: " + expr);
                assertEquals(count(expr, '{'), count(expr, '}'), "balanced: " + expr);
                gateway.reset(expr);
                while (gateway.find()) {
                    assertTrue(GatewayMetrics.SERIES.contains(gateway.group(1)), gateway.group(1) + " is not a series the gateway exports");
                    used.add(gateway.group(1));
                }
            }
        }
        assertTrue(used.containsAll(Set.of("vigil_gateway_fps", "vigil_gateway_frames_dropped_total", "vigil_gateway_reconnects_total")), used.toString());
        JsonNode vars = d.path("templating").path("list");
        assertEquals("datasource", vars.get(0).path("name").asText());
        assertEquals("camera", vars.get(1).path("name").asText());
    }

    private static long count(String s, char c) {
        return s.chars().filter(x -> x == c).count();
    }
}
