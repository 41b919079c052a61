package io.vigil.video.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.vigil.video.image.BgrImage;
import io.vigil.video.image.JpegCodec;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sources that are already JPEG and fit the box are read as packets and handed out as the camera encoded them. */
class MjpegPassThroughTest {
    @TempDir
    Path dir;

    @Test
    void anMjpegFileThatFitsGivesItsOwnJpegsByteForByte() throws Exception {
        Path clip = MjpegClips.write(dir.resolve("small.avi"), 12, 416, 312);
        List<byte[]> truth = MjpegClips.packets(clip);
        assertEquals(12, truth.size());
        try (VideoSource src = VideoSource.openForJpeg(SourceSpec.parse(clip.toString()), 5_000_000, 416, 416)) {
            assertTrue(src.passesJpegThrough());
            int n = 0;
            while (src.next()) {
                EncodedImage img = src.encodeJpeg(80, 416, 416);
                assertTrue(img.asCaptured());
                assertEquals(416, img.width());
                assertEquals(312, img.height());
                assertArrayEquals(truth.get(n), img.bytes(), "frame " + n + " is the file's own JPEG, not a re-encode");
                n++;
            }
            assertEquals(12, n);
            assertEquals(11, src.index());
            assertEquals(0, src.skippedPackets());
        }
    }

    @Test
    void packetModePixelsMatchFfmpegsDecode() throws Exception {
        Path clip = MjpegClips.write(dir.resolve("px.avi"), 3, 416, 312);
        try (VideoSource packets = VideoSource.openForJpeg(SourceSpec.parse(clip.toString()), 5_000_000, 0, 0);
             VideoSource decoded = VideoSource.open(SourceSpec.parse(clip.toString()), 5_000_000)) {
            assertTrue(packets.passesJpegThrough());
            assertFalse(decoded.passesJpegThrough(), "open() without a box decodes as before");
            assertTrue(packets.next());
            assertTrue(decoded.next());
            BgrImage a = packets.copyBgr(), b = decoded.copyBgr();
            assertEquals(b.width(), a.width());
            assertEquals(b.height(), a.height());
            long diff = 0;
            for (int i = 0; i < a.pixels().length; i++) diff += Math.abs((a.pixels()[i] & 0xff) - (b.pixels()[i] & 0xff));
            double mean = (double) diff / a.pixels().length;
            assertTrue(mean < 2.0, "libjpeg's decode of the packet against FFmpeg's: mean |diff| " + mean);
            assertEquals(208 * 156 * 3, packets.copyBgrResized(208, 156).pixels().length);
        }
    }

    @Test
    void anMjpegFileLargerThanTheBoxIsDecodedAndFitted() throws Exception {
        Path clip = MjpegClips.write(dir.resolve("big.avi"), 3, 416, 312);
        List<byte[]> truth = MjpegClips.packets(clip);
        try (VideoSource src = VideoSource.openForJpeg(SourceSpec.parse(clip.toString()), 5_000_000, 320, 320)) {
            assertFalse(src.passesJpegThrough(), "416x312 does not fit 320x320");
            assertTrue(src.next());
            EncodedImage img = src.encodeJpeg(80, 320, 320);
            assertFalse(img.asCaptured());
            assertEquals(320, img.width());
            assertEquals(240, img.height());
            assertFalse(java.util.Arrays.equals(truth.get(0), img.bytes()));
        }
    }

    @Test
    void aNonJpegSourceIsDecodedAsBefore() {
        try (VideoSource src = VideoSource.openForJpeg(SourceSpec.parse(SampleMedia.require(SampleMedia.VTEST).toString()), 5_000_000, 0, 0)) {
            assertFalse(src.passesJpegThrough(), "vtest.avi is MPEG-4, not MJPEG");
            assertTrue(src.next());
            assertFalse(src.encodeJpeg(80, 416, 416).asCaptured());
        }
    }

    @Test
    void anMjpegStreamOverHttpPassesThroughByteForByte() throws Exception {
        List<byte[]> served = vtestJpegs(8, 320, 240);
        HttpServer server = serve(served);
        try (VideoSource src = VideoSource.openForJpeg(SourceSpec.parse("http://127.0.0.1:" + server.getAddress().getPort() + "/video"),
                5_000_000, 416, 416)) {
            assertTrue(src.passesJpegThrough(), "an MJPEG camera over HTTP");
            List<byte[]> got = new ArrayList<>();
            while (src.next()) got.add(src.encodeJpeg(80, 416, 416).bytes());
            assertEquals(served.size(), got.size());
            for (int i = 0; i < served.size(); i++) assertArrayEquals(served.get(i), got.get(i), "part " + i + " as the camera sent it");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void partsNoDecoderCouldReadAreSkippedAndCountedAndABiggerPartIsFitted() throws Exception {
        List<byte[]> ok = vtestJpegs(3, 320, 240);
        byte[] big = vtestJpegs(1, 640, 480).get(0);
        byte[] noTables = MjpegClips.withoutHuffmanTables(ok.get(1));
        byte[] cut = java.util.Arrays.copyOf(ok.get(2), ok.get(2).length / 2);
        HttpServer server = serve(List.of(ok.get(0), noTables, cut, big, ok.get(2)));
        try (VideoSource src = VideoSource.openForJpeg(SourceSpec.parse("http://127.0.0.1:" + server.getAddress().getPort() + "/video"),
                5_000_000, 416, 416)) {
            assertTrue(src.passesJpegThrough());
            List<EncodedImage> got = new ArrayList<>();
            while (src.next()) got.add(src.encodeJpeg(80, 416, 416));
            assertEquals(3, got.size(), "the part without Huffman tables and the cut one are not handed out");
            assertEquals(2, src.skippedPackets());
            assertArrayEquals(ok.get(0), got.get(0).bytes());
            assertFalse(got.get(1).asCaptured(), "640x480 does not fit 416x416: decoded and fitted");
            assertEquals(416, got.get(1).width());
            assertEquals(312, got.get(1).height());
            assertEquals(416, io.vigil.video.image.JpegHeader.read(got.get(1).bytes()).width());
            assertArrayEquals(ok.get(2), got.get(2).bytes());
        } finally {
            server.stop(0);
        }
    }

    private static List<byte[]> vtestJpegs(int n, int w, int h) {
        List<byte[]> out = new ArrayList<>();
        try (VideoSource v = VideoSource.open(SourceSpec.parse(SampleMedia.require(SampleMedia.VTEST).toString()), 5_000_000);
             JpegCodec codec = new JpegCodec()) {
            for (int i = 0; i < n && v.next(); i++) out.add(codec.encode(v.copyBgrResized(w, h), 75));
        }
        return out;
    }

    /** An MJPEG camera's HTTP stream: multipart/x-mixed-replace, one part a JPEG, then the end. */
    private static HttpServer serve(List<byte[]> served) throws java.io.IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/video", ex -> {
            ex.getResponseHeaders().set("Content-Type", "multipart/x-mixed-replace; boundary=vigilframe");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                for (byte[] jpeg : served) {
                    out.write(("--vigilframe\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(jpeg);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
        });
        server.start();
        return server;
    }
}
