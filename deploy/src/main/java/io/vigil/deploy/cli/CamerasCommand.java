package io.vigil.deploy.cli;

import io.vigil.video.gateway.CameraRegistry;
import io.vigil.video.gateway.CameraSpec;
import io.vigil.video.source.Redaction;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "cameras", description = "Subscribe, change, unsubscribe and list cameras on the vigil.cameras topic.",
        subcommands = {CamerasCommand.Add.class, CamerasCommand.Remove.class, CamerasCommand.ListCameras.class})
final class CamerasCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "add", description = "Subscribe a camera, or replace its spec (a running gateway applies it within seconds).")
    static final class Add implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Option(names = "--id", required = true, description = "camera id")
        String id;

        @Option(names = "--url", required = true, description = "rtsp://user:pass@host/path, http(s)://..., a file, or testsrc")
        String url;

        @Option(names = "--fps", description = "frames per second to publish (default: the source's rate)")
        Double fps;

        @Option(names = "--max-size", description = "WxH to downscale to, keeping aspect (e.g. 1280x720), or full for the camera's own size (default: the gateway's --publish-size)")
        String maxSize;

        @Option(names = "--jpeg-quality", description = "1..100 (default 80)")
        Integer quality;

        @Option(names = "--disabled", description = "keep the subscription but do not stream")
        boolean disabled;

        @Option(names = "--detect-every", description = "run the job's detector on every N-th frame of this camera (default: the job's)")
        Integer detectEvery;

        @Option(names = "--detect-weight", description = "this camera's share of the detector under overload, relative to others (default 1)")
        Double detectWeight;

        @Option(names = "--label", description = "key=value tag, repeatable (e.g. --label site=hq)")
        Map<String, String> labels = new LinkedHashMap<>();

        @Override
        public Integer call() {
            Integer w = null, h = null;
            if (maxSize != null && maxSize.trim().equalsIgnoreCase("full")) {
                w = 0;
                h = 0;
            } else if (maxSize != null) {
                Matcher m = Pattern.compile("(\\d+)x(\\d+)").matcher(maxSize.trim());
                if (!m.matches()) throw new IllegalArgumentException("--max-size must be WxH, e.g. 1280x720, or full; got '" + maxSize + "'");
                w = Integer.parseInt(m.group(1));
                h = Integer.parseInt(m.group(2));
            }
            CameraSpec s = new CameraSpec(id, url, fps, w, h, quality, disabled ? Boolean.FALSE : null, null, labels.isEmpty() ? null : labels,
                    detectEvery == null && detectWeight == null ? null : new CameraSpec.Detect(detectEvery, detectWeight, null));
            CameraRegistry.put(kafka.bootstrap(), kafka.clientProperties(), s.validate());
            System.out.println("subscribed " + s);
            return 0;
        }
    }

    @Command(name = "remove", description = "Unsubscribe a camera (writes a tombstone).")
    static final class Remove implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Option(names = "--id", required = true, description = "camera id")
        String id;

        @Override
        public Integer call() {
            CameraRegistry.remove(kafka.bootstrap(), kafka.clientProperties(), id);
            System.out.println("unsubscribed " + id);
            return 0;
        }
    }

    @Command(name = "list", description = "List the subscribed cameras (passwords shown as ***).")
    static final class ListCameras implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Override
        public Integer call() {
            Map<String, Object> all = CameraRegistry.list(kafka.bootstrap(), kafka.clientProperties());
            System.out.printf("%-24s %-8s %-7s %s%n", "CAMERA", "FPS", "ENABLED", "URL");
            for (Map.Entry<String, Object> e : all.entrySet()) {
                if (e.getValue() instanceof CameraSpec s) {
                    System.out.printf("%-24s %-8s %-7s %s%n", s.id(), s.fps() == null ? "source" : s.fps(), s.isEnabled(), Redaction.redact(s.url()));
                } else {
                    System.out.printf("%-24s INVALID: %s%n", e.getKey(), e.getValue());
                }
            }
            return 0;
        }
    }
}
