package io.vigil.deploy.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.events.rules.InvalidRuleException;
import io.vigil.events.rules.Rule;
import io.vigil.events.rules.RuleRegistry;
import io.vigil.video.gateway.CameraRegistry;
import io.vigil.video.gateway.CameraSpec;
import io.vigil.video.source.SourcePolicy;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes: cameras subscribed and removed on vigil.cameras, rules added, changed and deleted on vigil.rules. A
 * subscription whose source the {@link SourcePolicy} refuses is answered 400 with the rule and never written (the
 * gateway applies the same policy; refusing here tells the user at once).
 */
final class RegistryResource {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryResource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 64 * 1024;
    private final String bootstrap;
    private final Properties client;
    private final SourcePolicy sources;

    RegistryResource(String bootstrap, Properties client, SourcePolicy sources) {
        this.bootstrap = bootstrap;
        this.client = client;
        this.sources = sources;
    }

    List<Route> routes() {
        return List.of(
                Route.post("/api/cameras", (ex, who) -> {
                    CameraSpec spec = CameraSpec.parse(null, ex.getRequestBody().readNBytes(MAX_BODY));
                    String refused = sources.refusal(spec.url());
                    if (refused != null) throw new IllegalArgumentException("camera " + spec.id() + ": " + refused);
                    CameraRegistry.put(bootstrap, client, spec);
                    Http.send(ex, 200, "application/json", JSON.writeValueAsBytes(Map.of("subscribed", spec.id())));
                }),
                Route.delete("/api/cameras/", (ex, who) -> {
                    String id = Http.idAfter(ex, "/api/cameras/", "camera");
                    CameraRegistry.remove(bootstrap, client, id);
                    Http.send(ex, 200, "application/json", JSON.writeValueAsBytes(Map.of("removed", id)));
                }),
                Route.post("/api/rules", (ex, who) -> {
                    try {
                        Rule r = RuleRegistry.put(bootstrap, client, ex.getRequestBody().readNBytes(MAX_BODY));
                        LOG.info("dashboard: {} wrote rule {} ({} on camera {})", who.name(), r.id(), r.kind().json, r.camera());
                        Http.send(ex, 200, "application/json", JSON.writeValueAsBytes(Map.of("rule", r.id())));
                    } catch (InvalidRuleException e) {
                        throw new IllegalArgumentException(e.getMessage());
                    }
                }),
                Route.delete("/api/rules/", (ex, who) -> {
                    String id = Http.idAfter(ex, "/api/rules/", "rule");
                    RuleRegistry.remove(bootstrap, client, id);
                    LOG.info("dashboard: {} deleted rule {}", who.name(), id);
                    Http.send(ex, 200, "application/json", JSON.writeValueAsBytes(Map.of("removed", id)));
                }));
    }
}
