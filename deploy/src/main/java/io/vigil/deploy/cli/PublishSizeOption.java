package io.vigil.deploy.cli;

import io.vigil.video.gateway.PublishSize;
import picocli.CommandLine.Option;

/** The gateway's default publish size, shared by `vigil gateway` and `vigil demo`. */
final class PublishSizeOption {
    @Option(names = "--publish-size", paramLabel = "WxH|full",
            description = "downscale each camera to fit this box before publishing, unless its spec sets maxWidth/maxHeight "
                    + "(default: the default detector's input, 416x416; the demo: its model's input); full = the camera's own size")
    String size;

    /** The size given, or {@code fallback} when the flag is absent. */
    PublishSize orElse(PublishSize fallback) {
        if (size == null) return fallback;
        try {
            return PublishSize.parse(size);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--publish-size: " + e.getMessage());
        }
    }
}
