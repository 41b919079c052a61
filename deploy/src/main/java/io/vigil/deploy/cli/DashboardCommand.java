package io.vigil.deploy.cli;

import io.vigil.deploy.dashboard.DashboardAuth;
import io.vigil.deploy.dashboard.DashboardServer;
import io.vigil.deploy.dashboard.DashboardUsers;
import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "dashboard", description = {"Serve the live dashboard: every camera's frames with boxes, tracks, actions, status, fps, latency and counts.",
        "On an address other than loopback it needs --users (logins, API tokens, admin/viewer roles)."},
        subcommands = {DashboardCommand.User.class, DashboardCommand.Token.class})
final class DashboardCommand implements Callable<Integer> {
    static final Path DEFAULT_USERS = Path.of(System.getProperty("user.home"), ".vigil", "dashboard-users.json");

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to serve on (default ${DEFAULT-VALUE}: this machine only)")
    String bind;

    @Option(names = "--port", defaultValue = "8090", description = "(default ${DEFAULT-VALUE}; 0 = any free port)")
    int port;

    @Option(names = "--users", description = "users and API tokens file (vigil dashboard user add): logins required for every request")
    Path users;


    @Mixin
    SourcePolicyOptions sources;

    @Override
    public Integer call() throws Exception {
        Properties client = kafka.clientProperties();
        DashboardAuth auth = users == null ? DashboardAuth.off() : DashboardAuth.watching(users);
        try (StopSignal stop = new StopSignal();
             DashboardServer server = DashboardServer.start(kafka.bootstrap(), client, bind, port, auth, sources.policy())) {
            System.out.println("dashboard on " + server.url() + " (Kafka " + kafka.bootstrap() + ")" + (auth.required() ? ", logins from " + users : "")
                    + "; Ctrl-C to stop");
            stop.await();
        }
        return 0;
    }

    @Command(name = "user", description = "Add, change or remove a dashboard user (the password is asked for, or read from stdin).")
    static final class User implements Callable<Integer> {
        @Parameters(index = "0", description = "add | remove | list")
        String action;

        @Parameters(index = "1", arity = "0..1", description = "user name")
        String name;

        @Option(names = "--role", defaultValue = "viewer", description = "viewer (reads) or admin (also subscribes and removes cameras); default ${DEFAULT-VALUE}")
        String role;

        @Option(names = "--users", description = "the users file (default ~/.vigil/dashboard-users.json)")
        Path users;

        @Option(names = "--password-stdin", description = "read the password from the first line of standard input")
        boolean passwordStdin;

        @Override
        public Integer call() throws Exception {
            Path file = users != null ? users : DEFAULT_USERS;
            DashboardUsers u = DashboardUsers.load(file);
            switch (action) {
                case "add" -> {
                    if (name == null) throw new IllegalArgumentException("vigil dashboard user add NAME");
                    char[] pw = password();
                    try {
                        u.putUser(name, DashboardUsers.Role.parse(role), pw);
                    } finally {
                        Arrays.fill(pw, '\0');
                    }
                    u.save(file);
                    System.out.println("user " + name + " (" + DashboardUsers.Role.parse(role).wire() + ") saved in " + file);
                }
                case "remove" -> {
                    if (name == null) throw new IllegalArgumentException("vigil dashboard user remove NAME");
                    if (!u.remove(name)) throw new IllegalArgumentException("no user or token '" + name + "' in " + file);
                    u.save(file);
                    System.out.println("removed " + name + " from " + file);
                }
                case "list" -> u.names().forEach(System.out::println);
                default -> throw new IllegalArgumentException("vigil dashboard user takes add, remove or list, got '" + action + "'");
            }
            return 0;
        }

        private char[] password() throws Exception {
            if (passwordStdin) {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null) throw new IllegalArgumentException("--password-stdin: nothing on standard input");
                return line.toCharArray();
            }
            Console c = System.console();
            if (c == null) throw new IllegalArgumentException("no terminal to ask for the password: use --password-stdin");
            char[] a = c.readPassword("password for %s: ", name);
            char[] b = c.readPassword("again: ");
            if (a == null || !Arrays.equals(a, b)) throw new IllegalArgumentException("the passwords differ");
            Arrays.fill(b, '\0');
            return a;
        }
    }

    @Command(name = "token", description = "Make an API token for scripts (Authorization: Bearer TOKEN); it is printed once, only its hash is kept.")
    static final class Token implements Callable<Integer> {
        @Parameters(index = "0", description = "add")
        String action;

        @Parameters(index = "1", description = "token name")
        String name;

        @Option(names = "--role", defaultValue = "viewer", description = "viewer or admin (default ${DEFAULT-VALUE})")
        String role;

        @Option(names = "--users", description = "the users file (default ~/.vigil/dashboard-users.json)")
        Path users;

        @Override
        public Integer call() {
            if (!action.equals("add")) throw new IllegalArgumentException("vigil dashboard token takes add (remove with: vigil dashboard user remove NAME)");
            Path file = users != null ? users : DEFAULT_USERS;
            DashboardUsers u = DashboardUsers.load(file);
            String token = u.addToken(name, DashboardUsers.Role.parse(role));
            u.save(file);
            System.out.println(token);
            System.err.println("token " + name + " (" + DashboardUsers.Role.parse(role).wire() + ") saved in " + file + "; this is the only time it is shown");
            return 0;
        }
    }
}
