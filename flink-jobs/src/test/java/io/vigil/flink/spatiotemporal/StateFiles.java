package io.vigil.flink.spatiotemporal;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tool, not a test: writes the committed golden state file {@code state/stream-state-v1.bin} again, for when the v1
 * format is deliberately changed (then bump the version and keep the old file's test). Run from the project root after
 * {@code mvn -pl flink-jobs -am test-compile}:
 *
 * <pre>
 * java -cp flink-jobs/target/test-classes:flink-jobs/target/classes:$(mvn -q -pl flink-jobs dependency:build-classpath \
 *     -Dmdep.outputFile=/dev/stdout) io.vigil.flink.spatiotemporal.StateFiles flink-jobs/src/test/resources/state
 * </pre>
 */
public final class StateFiles {
    private StateFiles() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) throw new IllegalArgumentException("usage: StateFiles DIR");
        Path dir = Path.of(args[0]);
        Path out = dir.resolve("stream-state-v1.bin");
        Files.write(out, StreamStateSerializerTest.serialize(StreamStateSerializerTest.fixtureState(Files.createTempDirectory("ssm"))));
        System.out.println("wrote " + out);
    }
}
