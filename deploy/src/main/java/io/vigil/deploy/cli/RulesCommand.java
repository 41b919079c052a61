package io.vigil.deploy.cli;

import io.vigil.events.rules.InvalidRuleException;
import io.vigil.events.rules.Rule;
import io.vigil.events.rules.RuleJson;
import io.vigil.events.rules.RuleRegistry;
import io.vigil.flink.config.Durations;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rules", description = "Add, change, remove and list the analytics rules on the vigil.rules topic (a running job applies them within seconds).",
        subcommands = {RulesCommand.Add.class, RulesCommand.Remove.class, RulesCommand.ListRules.class})
final class RulesCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "add", description = {"Add a rule, or replace the rule with the same id. Points are x,y in 0..1 of the frame (y down).",
            "  vigil rules add --camera cam-1 --line door --from 0.2,0.6 --to 0.8,0.6",
            "  vigil rules add --camera cam-1 --zone bay --points 0.1,0.5 0.4,0.5 0.4,0.9 0.1,0.9 --loiter 120s",
            "  vigil rules add --camera cam-1 --calibration cal --points 0.2,0.5 0.8,0.5 0.9,0.9 0.1,0.9 --ground 0,10 6,10 6,0 0,0"})
    static final class Add implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Option(names = "--camera", required = true, description = "camera id")
        String camera;

        @CommandLine.ArgGroup(multiplicity = "1")
        Kind kind;

        static final class Kind {
            @Option(names = "--line", description = "a line rule with this id (--from, --to)")
            String line;

            @Option(names = "--zone", description = "a zone rule with this id (--points, 3 or more)")
            String zone;

            @Option(names = "--calibration", description = "a calibration with this id (--points: 4 image points, --ground: where they are, metres)")
            String calibration;
        }

        @Option(names = "--from", description = "line start A, x,y")
        String from;

        @Option(names = "--to", description = "line end B, x,y (crossing from the left of A->B to its right is 'in')")
        String to;

        @Option(names = "--points", arity = "1..*", description = "x,y points")
        List<String> points;

        @Option(names = "--ground", arity = "4", description = "calibration: the 4 points on the ground, metres, x,y")
        List<String> ground;

        @Option(names = "--name", description = "a display name (default: the id)")
        String name;

        @Option(names = "--classes", split = ",", description = "labels it applies to (default person)")
        List<String> classes;

        @Option(names = "--min-frames", description = "frames on the new side / inside before an event (default 3)")
        Integer minFrames;

        @Option(names = "--loiter", description = "zone: loitering after this dwell, e.g. 120s or 2m")
        String loiter;

        @Option(names = "--max-speed", description = "speeding above this (m/s with the camera's calibration, else px/s)")
        Double maxSpeed;

        @Option(names = "--anchor", description = "bottom-centre (default) or centre")
        String anchor;

        @Override
        public Integer call() throws Exception {
            String id;
            String kindName;
            List<String> pts = new ArrayList<>();
            if (kind.line != null) {
                id = kind.line;
                kindName = "line";
                if (from == null || to == null) throw new CommandLine.ParameterException(new CommandLine(this), "a line needs --from and --to");
                pts.add(from);
                pts.add(to);
            } else {
                id = kind.zone != null ? kind.zone : kind.calibration;
                kindName = kind.zone != null ? "zone" : "calibration";
                if (points == null) throw new CommandLine.ParameterException(new CommandLine(this), "a " + kindName + " needs --points");
                pts.addAll(points);
            }
            StringBuilder j = new StringBuilder("{\"schema\":\"").append(Rule.SCHEMA).append("\",\"id\":").append(quote(id))
                    .append(",\"camera\":").append(quote(camera)).append(",\"kind\":\"").append(kindName).append("\",\"points\":").append(pointList(pts));
            if (ground != null) j.append(",\"ground\":").append(pointList(ground));
            if (name != null) j.append(",\"name\":").append(quote(name));
            if (classes != null) j.append(",\"classes\":[").append(String.join(",", classes.stream().map(RulesCommand::quote).toList())).append(']');
            if (minFrames != null) j.append(",\"minFrames\":").append(minFrames);
            if (loiter != null) j.append(",\"loiterSeconds\":").append(Durations.parse("--loiter", loiter).toMillis() / 1000.0);
            if (maxSpeed != null) j.append(",\"maxSpeed\":").append(maxSpeed);
            if (anchor != null) j.append(",\"anchor\":").append(quote(anchor));
            j.append('}');
            try {
                Rule r = RuleRegistry.put(kafka.bootstrap(), kafka.clientProperties(), j.toString().getBytes(StandardCharsets.UTF_8));
                System.out.println("rule " + r.id() + " (" + r.kind().json + ", camera " + r.camera() + ") written to " + RuleRegistry.TOPIC);
                return 0;
            } catch (InvalidRuleException e) {
                System.err.println(e.getMessage());
                return 2;
            }
        }

        private static String pointList(List<String> pts) {
            StringBuilder s = new StringBuilder("[");
            for (int i = 0; i < pts.size(); i++) {
                String[] xy = pts.get(i).split(",");
                if (xy.length != 2) throw new IllegalArgumentException("a point is x,y; got '" + pts.get(i) + "'");
                double x, y;
                try {
                    x = Double.parseDouble(xy[0].strip());
                    y = Double.parseDouble(xy[1].strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("a point is two numbers x,y; got '" + pts.get(i) + "'");
                }
                if (i > 0) s.append(',');
                s.append(String.format(Locale.ROOT, "[%s,%s]", x, y));
            }
            return s.append(']').toString();
        }
    }

    @Command(name = "remove", description = "Delete a rule (writes a tombstone).")
    static final class Remove implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @CommandLine.Parameters(index = "0", description = "rule id")
        String id;

        @Override
        public Integer call() {
            RuleRegistry.remove(kafka.bootstrap(), kafka.clientProperties(), id);
            System.out.println("rule " + id + " removed");
            return 0;
        }
    }

    @Command(name = "list", description = "The current rules (the compacted topic read to its end).")
    static final class ListRules implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Option(names = "--camera", description = "only this camera's")
        String camera;

        @Override
        public Integer call() {
            for (Map.Entry<String, Object> e : RuleRegistry.list(kafka.bootstrap(), kafka.clientProperties()).entrySet()) {
                if (e.getValue() instanceof Rule r) {
                    if (camera != null && !camera.equals(r.camera())) continue;
                    System.out.println(e.getKey() + "  " + new String(RuleJson.write(r), StandardCharsets.UTF_8));
                } else if (camera == null) {
                    System.out.println(e.getKey() + "  INVALID: " + e.getValue());
                }
            }
            return 0;
        }
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
