package io.vigil.events.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The valid rules the job knows, by id and by camera, with each camera's calibration fitted once. */
public final class RuleSet {
    private final Map<String, Rule> byId = new HashMap<>();
    private final Map<String, List<Rule>> byCamera = new HashMap<>();
    private final Map<String, Homography> calibrations = new HashMap<>();

    public static RuleSet of(Collection<Rule> rules) {
        RuleSet s = new RuleSet();
        for (Rule r : rules) s.byId.put(r.id(), r);
        List<Rule> sorted = new ArrayList<>(s.byId.values());
        sorted.sort((a, b) -> a.id().compareTo(b.id()));
        for (Rule r : sorted) {
            s.byCamera.computeIfAbsent(r.camera(), k -> new ArrayList<>()).add(r);
            // one calibration per camera: the smallest id wins, so the choice does not depend on arrival order
            if (r.kind() == Rule.Kind.CALIBRATION) s.calibrations.putIfAbsent(r.camera(), Homography.fit(r.points(), r.ground()));
        }
        return s;
    }

    public List<Rule> forCamera(String camera) {
        return byCamera.getOrDefault(camera, List.of());
    }

    public Homography calibration(String camera) {
        return calibrations.get(camera);
    }

    public Rule byId(String id) {
        return byId.get(id);
    }

    public java.util.Set<String> ids() {
        return byId.keySet();
    }
}
