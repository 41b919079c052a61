package io.vigil.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.video.image.BgrImage;
import io.vigil.video.image.ImageFiles;
import io.vigil.video.source.SampleMedia;
import io.vigil.video.source.SourceSpec;
import io.vigil.video.source.VideoSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectCommandTest {
    @TempDir
    Path tmp;

    private static String model() {
        Path p = Path.of(System.getProperty("vigil.shared"), "models", "yolox-nano");
        if (!Files.isDirectory(p)) throw new IllegalStateException("model folder missing: " + p);
        return p.toString();
    }

    @Test
    void printsThePersonsOfVtestFrame100FromAPng() throws Exception {
        Path png = tmp.resolve("vtest-100.png");
        try (VideoSource src = VideoSource.open(SourceSpec.parse(SampleMedia.require(SampleMedia.VTEST).toString()), 5_000_000)) {
            for (int i = 0; i <= 100; i++) src.next();
            ImageFiles.write(src.copyBgr(), png);
        }
        Path annotated = tmp.resolve("out/annotated.png");
        CliRun r = CliRun.of("detect", "--json", "--model", model(), "--input", png.toString(), "--out", annotated.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode n = new ObjectMapper().readTree(r.out().trim());
        assertEquals("yolox-nano@sha256:695e750a5d57", n.path("model").asText());
        long persons = 0;
        for (JsonNode o : n.path("objects")) if (o.path("label").asText().equals("person")) persons++;
        assertEquals(7, persons, r.out());
        assertTrue(r.err().contains("inference"), r.err());
        BgrImage img = ImageFiles.read(annotated);
        assertEquals(768, img.width());
    }

    @Test
    void videoFrameOptionPicksThatFrame() throws Exception {
        CliRun r = CliRun.of("detect", "--json", "--model", model(), "--input", SampleMedia.require(SampleMedia.VTEST).toString(), "--frame", "100");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode n = new ObjectMapper().readTree(r.out().trim());
        assertEquals(100, n.path("frame").asLong());
        assertEquals(10, n.path("objects").size());
    }

    @Test
    void tableOutputByDefaultAndAnyBundle() {
        CliRun r = CliRun.of("detect", "--model", Path.of(System.getProperty("vigil.shared"), "models", "ultraface-rfb-320").toString(),
                "--input", SampleMedia.require("messi5.jpg").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("ultraface-rfb-320@sha256:34cd7e60aeff: 1 object(s)") && r.out().contains("face"), r.out());
        assertTrue(r.err().contains("preprocess") && r.err().contains("decode+NMS"), r.err());
    }

    @Test
    void missingModelDirectoryIsAClearError() {
        CliRun r = CliRun.of("detect", "--model", tmp.resolve("no-such-model").toString(), "--input", "x.png");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("model not found") && r.err().contains("no-such-model"), r.err());
    }

    @Test
    void nonOnnxFileIsAClearError() throws Exception {
        Path fake = Files.writeString(tmp.resolve("fake.onnx"), "<html>not a model</html>");
        CliRun r = CliRun.of("detect", "--model", fake.toString(), "--input", "x.png");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("not an ONNX model"), r.err());
    }

    @Test
    void unreadableVideoIsAClearError() {
        CliRun r = CliRun.of("detect", "--model", model(), "--input", tmp.resolve("missing.avi").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("video file not found") && r.err().contains("missing.avi"), r.err());
    }

    @Test
    void unreadableImageIsAClearError() throws Exception {
        Path junk = Files.write(tmp.resolve("junk.png"), new byte[] {1, 2, 3});
        CliRun r = CliRun.of("detect", "--model", model(), "--input", junk.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("not a readable image"), r.err());
    }

    @Test
    void demoWithAMissingModelSaysWhatToPassAndExitsNonZero() {
        CliRun r = CliRun.of("demo", "--model", tmp.resolve("nothing-here").toString(), "--duration", "1s");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("model not found"), r.err());
    }
}
