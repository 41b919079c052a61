package io.vigil.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.deploy.cli.CliRun;
import io.vigil.deploy.cli.VigilCli;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command and subcommand, the lab's included, answers {@code --help}, {@code -h} and {@code --version} with exit code 0. */
class EveryCommandHelpTest {
    private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
        out.add(path);
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getValue().getCommandSpec().userObject() instanceof CommandLine.HelpCommand) continue;
            if (!e.getKey().equals(e.getValue().getCommandName())) continue; // an alias
            List<String> p = new ArrayList<>(path);
            p.add(e.getKey());
            collect(e.getValue(), p, out);
        }
    }

    @Test
    void everyCommandHasHelpAndVersion() {
        List<List<String>> commands = new ArrayList<>();
        collect(VigilCli.commandLine(), List.of(), commands);
        assertTrue(commands.stream().anyMatch(c -> c.equals(List.of("bench", "pipeline"))), "the lab's commands are found: " + commands);
        assertTrue(commands.stream().anyMatch(c -> c.equals(List.of("cluster", "add-taskmanager"))), "nested subcommands are walked: " + commands);
        List<String> failed = new ArrayList<>();
        for (List<String> c : commands) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(c);
                args.add(flag);
                CliRun r = CliRun.of(args.toArray(String[]::new));
                if (r.exitCode() != 0 || !r.out().contains("Usage:") || !r.err().isEmpty()) {
                    failed.add(String.join(" ", args) + " -> " + r.exitCode() + " " + r.err().strip());
                }
            }
            List<String> args = new ArrayList<>(c);
            args.add("--version");
            CliRun r = CliRun.of(args.toArray(String[]::new));
            if (r.exitCode() != 0 || !r.out().startsWith("vigil ")) failed.add(String.join(" ", args) + " -> " + r.exitCode() + " " + r.out());
        }
        assertEquals(List.of(), failed, "of " + commands.size() + " commands");
    }
}
