package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.deploy.demo.LocalJob;
import io.vigil.events.rules.RuleRegistry;
import io.vigil.flink.config.JobConfig;
import io.vigil.video.gateway.CameraConfig;
import io.vigil.video.gateway.CameraGateway;
import io.vigil.video.gateway.KafkaFramePublisher;
import io.vigil.video.kafka.Topics;
import io.vigil.video.source.SampleMedia;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The job as shipped (the gate's defaults: adaptive, maxFrameAge 1 s; no {@code --max-frame-age 0}) on two composed
 * clips whose answers are scripted, each with a line "door" across x 0.05..0.30:
 * <ul>
 *   <li>"short" (line at y = 0.69): a person walks fast (7.9 px a frame) up to 10 px short of the line and stands
 *       there; the camera asks for every 5th frame detected ({@code vigil-detect-every: 5}), so the tracker's Kalman
 *       prediction carries the box on over the line for the skipped frames (measured: 3 frames in a row past it after
 *       the stop, and 3 more after the next detection). Before only detected frames confirmed, this clip gave "in" and
 *       then "out" 8 frames later (in@24, out@32: run against the old CameraAnalytics on 2026-12-07); now no crossing.</li>
 *   <li>"hidden" (line at y = 0.70, 403 px): a person walks down across the line while hidden for 6 frames (cut out of
 *       the clip, as behind a post), every frame detected: exactly one crossing, in.</li>
 * </ul>
 */
class PredictionsConfirmNothingITCase {
    static final double FPS = 20;
    static final int H = 576;
    /** The "short" clip's line: y = 0.69, 397 px; the person stops with the box's bottom at 387 px (measured: 386.6). */
    static final double SHORT_LINE_Y = 0.69 * H;

    @Test
    void aPredictionOverTheLineIsNoCrossingAndAHiddenCrossingIsOne() throws Exception {
        String bs = SharedStack.kafka().bootstrap();
        Path dir = Files.createTempDirectory("predictions-clip");
        Path shortClip = dir.resolve("short.avi"), hiddenClip = dir.resolve("hidden.avi");
        // bottom-centre 230 -> 388 px in frames 0-20 (7.9 px a frame), then still until frame 120
        ComposedClip.write(SampleMedia.require(SampleMedia.VTEST), 0, List.of(
                new ComposedClip.Walker(0, new double[][] {{0, 130, 230}, {20, 130, 388}, {120, 130, 388}})), 121, FPS, shortClip);
        // 2 px a frame down from 330; seen up to frame 30 (390 px), hidden 31-36 (the line, 403, is passed at ~36.6),
        // seen again from frame 37 (404 px) to 90 (510 px)
        ComposedClip.write(SampleMedia.require(SampleMedia.VTEST), 0, List.of(
                new ComposedClip.Walker(1, new double[][] {{0, 100, 330}, {30, 100, 390}}),
                new ComposedClip.Walker(1, new double[][] {{37, 100, 404}, {90, 100, 510}})), 121, FPS, hiddenClip);
        long start = System.currentTimeMillis();
        String shortCam = "short-" + start, hiddenCam = "hidden-" + start;
        for (String cam : List.of(shortCam, hiddenCam)) {
            String y = cam.equals(shortCam) ? "0.69" : "0.70";
            RuleRegistry.put(bs, null, ("{\"id\":\"" + cam + "-door\",\"camera\":\"" + cam + "\",\"kind\":\"line\",\"name\":\"door\","
                    + "\"points\":[[0.05," + y + "],[0.30," + y + "]]}").getBytes(StandardCharsets.UTF_8));
        }
        // the shipped gate: no --max-frame-age, no --detect-every
        JobConfig config = JobConfig.fromArgs(new String[] {"--bootstrap", bs, "--model", TestPaths.model("yolox-nano").toString(),
                "--group", "predictions-" + start, "--checkpoint-interval", "1s", "--start-from", "timestamp", "--start-timestamp", Long.toString(start)});
        assertEquals(1000, config.gate().maxFrameAge().toMillis(), "the shipped frame-age limit");
        List<JsonNode> detections;
        List<JsonNode> crossings;
        try (LocalJob job = LocalJob.start(config);
             CameraGateway gw = new CameraGateway(new KafkaFramePublisher(bs));
             EventReader det = new EventReader(bs, Topics.DETECTIONS);
             EventReader an = new EventReader(bs, Topics.ANALYTICS)) {
            Thread.sleep(3000); // the rules source has read the compacted topic
            gw.start(CameraConfig.builder().id(shortCam).source(shortClip.toString()).paced(true).paceFps(FPS).frameHeader("vigil-detect-every", "5").build());
            gw.start(CameraConfig.builder().id(hiddenCam).source(hiddenClip.toString()).paced(true).paceFps(FPS).build());
            assertTrue(gw.awaitFinished(Duration.ofSeconds(60)));
            detections = det.collect(e -> e.path("camera").asText().equals(shortCam) || e.path("camera").asText().equals(hiddenCam),
                    got -> got.size() >= 2 * 121, Duration.ofSeconds(120));
            crossings = an.collect(e -> e.path("type").asText().equals("line-cross")
                    && (e.path("camera").asText().equals(shortCam) || e.path("camera").asText().equals(hiddenCam)), got -> false, Duration.ofSeconds(5));
            job.checkAlive();
        }
        assertEquals(2 * 121, detections.size(), "one event per frame");

        // "short": the prediction did carry the standing person over the line (else the test shows nothing) ...
        int predictedPast = 0, detectedPast = 0;
        List<Long> shortFull = new ArrayList<>();
        for (JsonNode e : detections) {
            if (!e.path("camera").asText().equals(shortCam)) continue;
            if (e.path("inference").asText().equals("full")) shortFull.add(e.path("frame").asLong());
            for (JsonNode o : e.path("objects")) {
                if (!o.path("label").asText().equals("person") || o.path("track").asLong(-1) < 0) continue;
                boolean past = o.path("boxNorm").get(3).asDouble() * H > SHORT_LINE_Y;
                if (past && o.path("predicted").asBoolean(false)) predictedPast++;
                if (past && !o.path("predicted").asBoolean(false)) detectedPast++;
            }
        }
        System.out.printf("short: %d frames detected, %d predicted boxes past the line, %d detected ones%n", shortFull.size(), predictedPast, detectedPast);
        assertTrue(shortFull.size() >= 20 && shortFull.size() <= 30, "every 5th of 121 frames detected: " + shortFull.size());
        assertTrue(predictedPast >= 3, "the Kalman prediction carried the box over the line on 3 or more frames: " + predictedPast);
        assertEquals(0, detectedPast, "the detector never saw the person past the line");
        // ... and nothing was counted
        List<String> got = crossings.stream().map(c -> c.path("camera").asText().replaceAll("-\\d+$", "") + " " + c.path("direction").asText()
                + "@" + c.path("frame").asLong()).toList();
        System.out.println("crossings: " + got);
        assertEquals(List.of(), got.stream().filter(c -> c.startsWith("short")).toList(), "guesses alone confirm nothing");

        // "hidden": one crossing, in, confirmed on the third detected frame past the line (frame 39) or a little later
        List<JsonNode> hidden = crossings.stream().filter(c -> c.path("camera").asText().equals(hiddenCam)).toList();
        assertEquals(1, hidden.size(), "exactly one crossing: " + got);
        assertEquals("in", hidden.get(0).path("direction").asText());
        long first = detections.stream().filter(e -> e.path("camera").asText().equals(hiddenCam)).mapToLong(e -> e.path("frame").asLong()).min().orElseThrow();
        long at = hidden.get(0).path("frame").asLong() - first;
        assertTrue(at >= 39 && at <= 44, "confirmed by the 3rd detected frame past the line (clip frame 39): " + at);
    }
}
