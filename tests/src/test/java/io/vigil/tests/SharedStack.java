package io.vigil.tests;

import io.vigil.deploy.kafka.EmbeddedKafka;

/**
 * One embedded broker for all ITCases of this JVM (Failsafe runs them in one fork), started on first use and
 * stopped at JVM exit. Each test uses its own camera ids and consumer groups so they do not see each other.
 */
public final class SharedStack {
    private static EmbeddedKafka kafka;

    private SharedStack() {}

    public static synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            kafka = EmbeddedKafka.start(null, 0, true);
            kafka.createVigilTopics(2);
            EmbeddedKafka k = kafka;
            Runtime.getRuntime().addShutdownHook(new Thread(k::close));
        }
        return kafka;
    }
}
