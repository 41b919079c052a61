package io.vigil.models.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.vigil.models.TestData;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `vigil models pull` against a loopback HTTP server serving a good and a corrupted copy. */
class ModelCacheTest {
    @TempDir
    Path cache;
    private HttpServer server;
    private String base;

    @BeforeEach
    void serve() throws Exception {
        System.setProperty("vigil.model.cache", cache.toString());
        byte[] good = Files.readAllBytes(TestData.model("fastestdet").resolve("FastestDet.onnx"));
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 0x5a;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/good/FastestDet.onnx", ex -> {
            ex.sendResponseHeaders(200, good.length);
            ex.getResponseBody().write(good);
            ex.close();
        });
        server.createContext("/bad/FastestDet.onnx", ex -> {
            ex.sendResponseHeaders(200, bad.length);
            ex.getResponseBody().write(bad);
            ex.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        System.clearProperty("vigil.model.cache");
    }

    @Test
    void pullVerifiesAndKeepsAGoodCopy() {
        Path f = ModelCache.pull("fastestdet", URI.create(base + "/good/FastestDet.onnx"));
        assertEquals(cache.resolve("fastestdet").resolve("FastestDet.onnx"), f);
        assertTrue(Files.isRegularFile(cache.resolve("fastestdet").resolve("coco.names")));
        ModelBundle b = ModelBundle.load(cache.resolve("fastestdet"));
        assertEquals("fastestdet", b.descriptor().name());
        assertEquals(80, b.labels().size());
        assertEquals(f, ModelLocator.byName("fastestdet").orElseThrow(), "the cache comes before the shared folder");
    }

    @Test
    void corruptedCopyIsRejectedAndNothingIsKept() {
        ModelException e = assertThrows(ModelException.class, () -> ModelCache.pull("fastestdet", URI.create(base + "/bad/FastestDet.onnx")));
        assertTrue(e.getMessage().contains("rejected: sha256"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("fastestdet").resolve("FastestDet.onnx")));
        assertFalse(Files.exists(cache.resolve("fastestdet").resolve("FastestDet.onnx.part")));
    }

    @Test
    void missingFileAndNoServerAreClear() throws Exception {
        ModelException notFound = assertThrows(ModelException.class, () -> ModelCache.pull("fastestdet", URI.create(base + "/nope.onnx")));
        assertTrue(notFound.getMessage().contains("HTTP 404"), notFound.getMessage());
        int dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        int port = dead;
        ModelException down = assertThrows(ModelException.class, () -> ModelCache.pull("fastestdet", URI.create("http://127.0.0.1:" + port + "/x.onnx")));
        assertTrue(down.getMessage().contains("cannot reach") && down.getMessage().contains("--model DIR"), down.getMessage());
        ModelException unknown = assertThrows(ModelException.class, () -> ModelCache.pull("resnet", null));
        assertTrue(unknown.getMessage().contains("no model 'resnet'"), unknown.getMessage());
    }
}
