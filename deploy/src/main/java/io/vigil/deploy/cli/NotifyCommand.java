package io.vigil.deploy.cli;

import io.vigil.deploy.notify.EventFilter;
import io.vigil.deploy.notify.Notifier;
import io.vigil.deploy.notify.Webhook;
import io.vigil.flink.config.Durations;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import io.vigil.events.AnalyticsType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "notify", description = {"Deliver Vigil's events to webhooks: follows vigil.analytics (or --topic) and POSTs each event that",
        "passes the filter as JSON, signed with HMAC-SHA256 when VIGIL_NOTIFY_SECRET (or --secret-env) is set, retried with",
        "backoff, dead-lettered to vigil.deadletter after --max-attempts; offsets are committed only after delivery, so nothing",
        "is lost and a redelivery carries the same Idempotency-Key. Ctrl-C stops it. docs/operations.md: Slack, Home Assistant."})
final class NotifyCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--webhook", required = true, description = "a URL to POST each event to (repeatable: every one gets every event)")
    List<URI> webhooks;

    @Option(names = "--topic", split = ",", defaultValue = "analytics", description = "topic(s) to follow, short names accepted (default ${DEFAULT-VALUE})")
    List<String> topics;

    @Option(names = "--rule", split = ",", description = "only events of these rule ids")
    Set<String> rules = Set.of();

    @Option(names = "--type", split = ",", description = "only these event types (zone-enter, zone-exit, loitering, line-cross, speeding)")
    Set<String> types = Set.of();

    @Option(names = "--label", split = ",", description = "only events about these labels (person, car, ...)")
    Set<String> labels = Set.of();

    @Option(names = "--camera", split = ",", description = "only these cameras")
    Set<String> cameras = Set.of();

    @Option(names = "--format", defaultValue = "raw", description = "raw (the event's JSON) or slack ({\"text\": ...} for a Slack incoming webhook) (default ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--secret-env", defaultValue = "VIGIL_NOTIFY_SECRET", description = "environment variable holding the HMAC secret (default ${DEFAULT-VALUE}; unset = unsigned)")
    String secretEnv;

    @Option(names = "--max-attempts", defaultValue = "8", description = "attempts per webhook before the event is dead-lettered (default ${DEFAULT-VALUE})")
    int maxAttempts;

    @Option(names = "--backoff", defaultValue = "500ms", description = "wait after the first failure, doubled each time (default ${DEFAULT-VALUE})")
    String backoff;

    @Option(names = "--max-backoff", defaultValue = "30s", description = "longest wait between attempts (default ${DEFAULT-VALUE})")
    String maxBackoff;

    @Option(names = "--timeout", defaultValue = "10s", description = "a webhook that does not answer within this is retried (default ${DEFAULT-VALUE})")
    String timeout;

    @Option(names = "--group", defaultValue = "vigil-notify", description = "consumer group: its committed offsets are where a restart resumes (default ${DEFAULT-VALUE})")
    String group;


    /** The notifier these flags describe (validated: names the bad flag). */
    Notifier.Settings settings() {
        Notifier.Format f = switch (format) {
            case "raw" -> Notifier.Format.RAW;
            case "slack" -> Notifier.Format.SLACK;
            default -> throw new IllegalArgumentException("--format " + format + ": raw or slack");
        };
        String secret = System.getenv(secretEnv);
        List<Webhook> hooks = new ArrayList<>();
        for (URI u : webhooks) hooks.add(new Webhook(u, secret, Durations.parse("timeout", timeout)));
        Properties client = kafka.clientProperties();
        for (String t : types) AnalyticsType.fromWire(t); // a typo would filter out every event, silently
        return new Notifier.Settings(kafka.bootstrap(), client, topics, group, new EventFilter(rules, types, labels, cameras), hooks, f, maxAttempts,
                Durations.parse("backoff", backoff), Durations.parse("max-backoff", maxBackoff));
    }

    @Override
    public Integer call() throws Exception {
        Notifier.Settings s = settings();
        try (StopSignal stop = new StopSignal();
             Notifier n = new Notifier(s)) {
            Thread t = new Thread(n, "vigil-notify");
            t.start();
            System.out.println("vigil notify: " + s.topics() + " -> " + s.webhooks().stream().map(io.vigil.deploy.notify.Webhook::display).toList() + (System.getenv(secretEnv) == null ? " (unsigned)" : " (signed)")
                    + "; Ctrl-C to stop");
            while (!stop.await(30, java.util.concurrent.TimeUnit.SECONDS) && t.isAlive()) {
                System.out.printf("delivered %d, retries %d, dead-lettered %d, filtered out %d%n", n.delivered(), n.retries(), n.deadLettered(), n.filteredOut());
            }
        }
        return 0;
    }
}
