package io.vigil.deploy.cli;

import io.vigil.models.bundle.ModelException;
import io.vigil.video.image.ImageCodecException;
import io.vigil.video.source.VideoSourceException;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vigil} command line. The launcher script runs this after building. */
@Command(name = "vigil", mixinStandardHelpOptions = true, version = "vigil 0.1.0",
        description = "Streaming video analytics on Kafka + Flink with selective state space models.",
        subcommands = {DemoCommand.class, EventsCommand.class, DetectCommand.class, KafkaCommand.class, ScanCommand.class, ModelsCommand.class, CamerasCommand.class, RulesCommand.class, SnapshotCommand.class, ClipCommand.class, GatewayCommand.class, NotifyCommand.class, ClusterCommand.class, DashboardCommand.class,
                CommandLine.HelpCommand.class})
public final class VigilCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new VigilCli());
        for (CliExtension ext : ServiceLoader.load(CliExtension.class)) {
            for (Object command : ext.commands()) cl.addSubcommand(command);
        }
        withStandardHelp(cl, cl.getCommandSpec().version());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            // Expected failures (bad model, missing file, bad flag value) are one clear line, not a stack trace.
            if (ex instanceof IllegalArgumentException || ex instanceof IllegalStateException
                    || ex instanceof ModelException
                    || ex instanceof VideoSourceException
                    || ex instanceof ImageCodecException) {
                cmd.getErr().println("vigil " + cmd.getCommandName() + ": " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl;
    }

    /** {@code -h/--help} and {@code -V/--version} on every command and subcommand, declared once here. */
    private static void withStandardHelp(CommandLine cl, String[] version) {
        CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        if (spec.optionsMap().get("--help") == null) spec.mixinStandardHelpOptions(true);
        if (spec.version().length == 0) spec.version(version);
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandSpec().userObject() instanceof CommandLine.HelpCommand) continue;
            withStandardHelp(sub, version);
        }
    }

    public static void main(String[] args) {
        int rc = commandLine().execute(args);
        System.exit(rc);
    }
}
