package io.vigil.events.rules;

import io.vigil.video.kafka.CompactedTopic;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The rules on the compacted {@code vigil.rules} topic: key = rule id, value = rule JSON, a tombstone deletes. What
 * {@code vigil rules add|remove|list} and the dashboard do; a running job applies each record within seconds.
 */
public final class RuleRegistry {
    public static final String TOPIC = io.vigil.video.kafka.Topics.RULES;

    private RuleRegistry() {}

    /** Validates the rule (as the job will) and writes it; an invalid rule is refused here with the job's message. */
    public static Rule put(String bootstrap, Properties client, byte[] json) throws InvalidRuleException {
        Rule r = RuleJson.parse(null, json);
        send(bootstrap, client, r.id(), RuleJson.write(r));
        return r;
    }

    public static void remove(String bootstrap, Properties client, String id) {
        send(bootstrap, client, id, null);
    }

    private static void send(String bootstrap, Properties client, String key, byte[] value) {
        CompactedTopic.write(bootstrap, client, TOPIC, key, value, "rule");
    }

    /** The current rules, the topic read to its end: id -> the rule, or the reason it is invalid. */
    public static Map<String, Object> list(String bootstrap, Properties client) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : CompactedTopic.readToEnd(bootstrap, client, TOPIC).entrySet()) {
            try {
                out.put(e.getKey(), RuleJson.parse(e.getKey(), e.getValue()));
            } catch (InvalidRuleException ex) {
                out.put(e.getKey(), ex.getMessage());
            }
        }
        return out;
    }
}
