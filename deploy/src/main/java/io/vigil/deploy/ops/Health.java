package io.vigil.deploy.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Named readiness checks of one service: each says null when it is fine, else why not. {@code /readyz} is 200 only when
 * every check is fine, 503 with the reasons otherwise. A check that throws is failing, with the exception as its reason.
 */
public final class Health {
    private final Map<String, Supplier<String>> checks = new LinkedHashMap<>();

    /** @param check null when ready, else a short reason ("kafka unreachable: ...") */
    public Health check(String name, Supplier<String> check) {
        checks.put(name, check);
        return this;
    }

    /** The failing checks as "name: reason", in the order they were added; empty when ready. */
    public List<String> failing() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Supplier<String>> c : checks.entrySet()) {
            String why;
            try {
                why = c.getValue().get();
            } catch (RuntimeException e) {
                why = e.toString();
            }
            if (why != null) out.add(c.getKey() + ": " + why);
        }
        return out;
    }
}
