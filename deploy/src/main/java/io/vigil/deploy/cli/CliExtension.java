package io.vigil.deploy.cli;

import java.util.List;

/**
 * Commands that live outside the runtime (the lab module's {@code bench}, {@code soak} and {@code train}), found by
 * {@link java.util.ServiceLoader} on the CLI's classpath and added to {@code vigil} as subcommands. The runtime does
 * not depend on them: without the lab jar {@code vigil} runs everything else.
 */
public interface CliExtension {
    /** Picocli command objects (classes annotated with {@code @Command}), each becoming a subcommand under its name. */
    List<Object> commands();
}
