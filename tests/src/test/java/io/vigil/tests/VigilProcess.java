package io.vigil.tests;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code vigil} run as its own JVM on this build's classpath, its output captured and watched for lines that matter. */
final class VigilProcess {
    private VigilProcess() {}

    /** The java command: Vigil's JVM options, the shared/media/home properties, this JVM's classpath, then {@code args}. */
    static List<String> command(Path home, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(io.vigil.deploy.cluster.FlinkConf.JVM_OPTIONS);
        cmd.addAll(List.of("-Dvigil.shared=" + System.getProperty("vigil.shared"), "-Dvigil.media=" + System.getProperty("vigil.media"),
                "-Dvigil.home=" + home.toAbsolutePath().normalize(), "-cp", System.getProperty("java.class.path"), "io.vigil.deploy.cli.VigilCli"));
        cmd.addAll(args);
        return cmd;
    }

    static Process start(Path home, List<String> args) throws java.io.IOException {
        return new ProcessBuilder(command(home, args)).redirectErrorStream(true).start();
    }

    /** Copies the process's output into {@code out} and completes each future with its pattern's first group (null at exit). */
    static void follow(Process p, StringBuilder out, Map<Pattern, CompletableFuture<String>> wanted) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                    for (Map.Entry<Pattern, CompletableFuture<String>> w : wanted.entrySet()) {
                        Matcher m = w.getKey().matcher(line);
                        if (m.find()) w.getValue().complete(m.group(1));
                    }
                }
            } catch (java.io.IOException ignored) {
                // the process exited
            }
            wanted.values().forEach(f -> f.complete(null));
        }, "process-output");
        t.setDaemon(true);
        t.start();
    }
}
