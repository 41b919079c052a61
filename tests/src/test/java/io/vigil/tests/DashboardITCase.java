package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.deploy.evidence.FrameStore;
import io.vigil.events.rules.Rule;
import io.vigil.events.rules.RuleRegistry;
import io.vigil.flink.spatiotemporal.SsmFixture;
import io.vigil.video.kafka.FrameRecord;
import io.vigil.video.source.SampleMedia;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * `vigil demo` (its own JVM: embedded broker, gateway, the job on a MiniCluster, vtest.avi, the SSM fixture with
 * saliency on) and its dashboard opened in headless chromium: the page shows the camera, a non-zero object count
 * and boxes drawn over the published frame, the explain heatmap when toggled; a camera subscribed with a hostile
 * label shows the label as text; the remove button unsubscribes it. An admin draws a line with two clicks and names it:
 * the rule is on vigil.rules, the page draws it, its count moves, and its analytics event shows the thumbnail of its exact
 * frame (the bytes of the record its frameRef names) with a clip around it. The screenshot is kept in
 * tests/target/dashboard/dashboard.png.
 */
class DashboardITCase {
    private static final Pattern URL = Pattern.compile("dashboard on (http://\\S+)");
    private static final Pattern KAFKA = Pattern.compile("Kafka broker on (\\S+)");

    @Test
    void demoDashboardShowsLiveDetections() throws Exception {
        Path home = Path.of(System.getProperty("vigil.home", ".."));
        Path ssm = SsmFixture.write(Files.createTempDirectory("ssm"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(io.vigil.deploy.cluster.FlinkConf.JVM_OPTIONS);
        cmd.addAll(List.of(
                "-Dvigil.shared=" + System.getProperty("vigil.shared"), "-Dvigil.media=" + System.getProperty("vigil.media"),
                "-Dvigil.home=" + home.toAbsolutePath().normalize(),
                "-cp", System.getProperty("java.class.path"), "io.vigil.deploy.cli.VigilCli",
                "demo", "--port", "0", "--dashboard-port", "0", "--duration", "150s", "--spatiotemporal-model", ssm.toString()));
        Process demo = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                    Matcher m = URL.matcher(line);
                    if (m.find()) url.complete(m.group(1));
                }
            } catch (java.io.IOException ignored) {
                // the demo exited
            }
            url.complete(null);
        }, "demo-output");
        reader.setDaemon(true);
        reader.start();
        Path shots = home.resolve("tests/target/dashboard");
        try (HeadlessChromium browser = new HeadlessChromium(1280, 900)) {
            String page = url.get(120, TimeUnit.SECONDS);
            assertTrue(page != null && page.startsWith("http://127.0.0.1:"), "the demo's dashboard binds loopback: " + page + "\n" + out);
            browser.navigate(page);
            String card = "document.querySelector('[data-camera=\"cam-1\"]')";
            boolean live = browser.await(card + " && Number(" + card + ".querySelector('.count').textContent) > 0"
                    + " && Number(" + card + ".querySelector('canvas.frame').dataset.boxes) > 0"
                    + " && " + card + ".querySelector('canvas.frame').dataset.image === 'frame'", Duration.ofSeconds(120));
            browser.screenshot(shots.resolve("dashboard.png"));
            assertTrue(live, "live data on the page; demo said:\n" + tail(out) + "\nbrowser:\n" + browser.log());
            assertEquals("streaming", browser.eval(card + ".querySelector('.state').textContent").asText());
            assertTrue(browser.eval(card + ".querySelector('.fps').textContent").asText().matches("\\d+\\.\\d fps"));
            assertTrue(browser.eval(card + ".querySelector('.latency').textContent").asText().matches("latency \\d+ ms"));
            assertTrue(browser.eval("document.getElementById('conn').textContent").asText().equals("live"));
            assertTrue(browser.eval(card + ".querySelector('.detector').textContent").asText().matches("detector \\d+ %.*"),
                    "the detector's share of the camera's frames is shown");

            // The admin (no logins on loopback: everyone is) draws a line across the walkway with two clicks, where the hand
            // count of tests/labels/README.md sees people cross both ways, and names it.
            String bootstrap = match(out, KAFKA);
            String canvas = card + ".querySelector('canvas.frame')";
            browser.eval(card + ".querySelector('button.draw-line').click()");
            browser.clickAt(canvas, 0.45, 0.30);
            browser.clickAt(canvas, 0.45, 0.60);
            assertEquals(2, browser.eval("Number(" + canvas + ".dataset.drawPoints)").asInt(), "two clicks, two points");
            browser.eval(card + ".querySelector('input.rule-name').value = 'walkway'; " + card + ".querySelector('button.save-rule').click(); true");
            String ruleId = "cam-1.walkway";
            Rule rule = null;
            for (long deadline = System.nanoTime() + 15_000_000_000L; rule == null && System.nanoTime() < deadline; Thread.sleep(300)) {
                if (RuleRegistry.list(bootstrap, null).get(ruleId) instanceof Rule r) rule = r;
            }
            assertTrue(rule != null, "the drawn rule is on vigil.rules: " + RuleRegistry.list(bootstrap, null) + "\n" + browser.log());
            assertEquals(Rule.Kind.LINE, rule.kind());
            assertEquals("cam-1", rule.camera());
            assertEquals("walkway", rule.name());
            assertEquals(0.45, rule.points()[0][0], 0.01);
            assertEquals(0.30, rule.points()[0][1], 0.01);
            assertEquals(0.45, rule.points()[1][0], 0.01);
            assertEquals(0.60, rule.points()[1][1], 0.01);
            String li = card + ".querySelector('[data-rule=\"" + ruleId + "\"]')";
            assertTrue(browser.await(li + " !== null && " + canvas + ".dataset.rules === '1'", Duration.ofSeconds(20)), "the page draws the rule");
            assertTrue(browser.await("Number(" + li + ".querySelector('.tally.in').textContent) + Number(" + li + ".querySelector('.tally.out').textContent) > 0",
                    Duration.ofSeconds(120)), "the rule's count moves: " + tail(out));
            String ev = card + ".querySelector('li.event[data-rule=\"" + ruleId + "\"]')";
            String thumb = ev + ".querySelector('img.thumb')";
            // the frame as published: the demo fits vtest.avi into its model's 416x416 input
            assertTrue(browser.await(ev + " !== null && " + thumb + " !== null && " + thumb + ".complete && " + thumb + ".naturalWidth === 416",
                    Duration.ofSeconds(30)), "an analytics event with the thumbnail of its frame");
            browser.screenshot(shots.resolve("dashboard-rule.png"));
            // ... of its exact frame: the thumbnail's bytes are the record its frameRef names, and that record is the event's frame
            String[] ref = browser.eval(thumb + ".dataset.ref").asText().split("/");
            long eventFrame = browser.eval("Number(" + ev + ".dataset.frame)").asLong();
            int pageHash = browser.eval("fetch(" + thumb + ".src).then(r => r.arrayBuffer()).then(b => { let h = 0; for (const x of new Uint8Array(b)) "
                    + "h = (Math.imul(h, 31) + x) | 0; return h; })").asInt();
            try (FrameStore store = new FrameStore(bootstrap, null)) {
                FrameRecord f = store.at(ref[0], Integer.parseInt(ref[1]), Long.parseLong(ref[2]));
                assertEquals("cam-1", f.camera());
                assertEquals(eventFrame, f.seq(), "the frameRef points at the event's own frame");
                int h = 0;
                for (byte b : f.payload()) h = h * 31 + (b & 0xff);
                assertEquals(h, pageHash, "the page shows that record's JPEG");
            }
            JsonNode clip = browser.eval("fetch(" + ev + ".querySelector('a.clip').href).then(async r => { const b = new Uint8Array(await r.arrayBuffer()); "
                    + "return {status: r.status, type: r.headers.get('Content-Type'), size: b.length, box: String.fromCharCode(...b.slice(4, 8))}; })");
            assertEquals(200, clip.path("status").asInt(), clip.toString());
            assertEquals("video/mp4", clip.path("type").asText());
            assertEquals("ftyp", clip.path("box").asText(), "an MP4 around the event");
            assertTrue(clip.path("size").asInt() > 10_000, clip.toString());
            assertTrue(browser.await("Number(" + card + ".querySelector('canvas.frame').dataset.actions) > 0", Duration.ofSeconds(60)),
                    "action labels of the trained trajectory model drawn on tracks");
            String printed;
            synchronized (out) {
                printed = out.toString();
            }
            assertTrue(printed.matches("(?s).*actions: person tracks labelled by \\S*trajectory-mamba.*"), "the demo uses the trained model: " + tail(out));

            browser.eval("document.getElementById('explain').click()");
            assertTrue(browser.await(card + ".querySelector('canvas.frame').dataset.heatmap === 'shown'", Duration.ofSeconds(30)),
                    "the SSM heatmap is drawn when toggled");
            browser.screenshot(shots.resolve("dashboard-explain.png"));

            // A subscription whose label is markup: the page must show it as text, never as an element.
            String hostile = "<img src=x id=pwn onerror=\"document.title='pwned'\">";
            browser.eval("fetch('/api/cameras', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify("
                    + "{id: 'esc-1', url: " + jsString(SampleMedia.cacheDir().resolve("missing-clip.avi").toString()) + ", labels: {zone: " + jsString(hostile)
                    + "}})}).then(r => r.status)");
            String escCard = "document.querySelector('[data-camera=\"esc-1\"]')";
            assertTrue(browser.await(escCard + " && " + escCard + ".querySelector('.tags').textContent.includes('zone=<img')", Duration.ofSeconds(30)),
                    "the subscribed camera appears with its label as text");
            assertTrue(browser.eval("document.getElementById('pwn') === null && document.title !== 'pwned'").asBoolean(), "no element injected");
            browser.eval(escCard + ".querySelector('button.remove').click()");
            assertTrue(browser.await(escCard + " === null", Duration.ofSeconds(30)), "remove unsubscribes the camera");

            int status = browser.eval("fetch('/api/cameras', {method: 'POST', body: '{\"id\":\"bad one\",\"url\":\"x\"}'}).then(r => r.status)").asInt();
            assertEquals(400, status, "a bad spec is refused");
        } finally {
            demo.destroy();
            if (!demo.waitFor(30, TimeUnit.SECONDS)) demo.destroyForcibly();
        }
    }

    private static String match(StringBuilder out, Pattern p) {
        synchronized (out) {
            Matcher m = p.matcher(out);
            if (!m.find()) throw new AssertionError("the demo did not say " + p + ":\n" + out);
            return m.group(1);
        }
    }

    private static String jsString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** The first 40 lines (startup, the camera's first state) and the last 4,000 characters of the demo's output. */
    private static String tail(StringBuilder sb) {
        synchronized (sb) {
            if (sb.length() < 8000) return sb.toString();
            String[] lines = sb.toString().split("\n", 41);
            String head = String.join("\n", java.util.Arrays.copyOf(lines, Math.min(40, lines.length)));
            return head + "\n[...]\n" + sb.substring(sb.length() - 4000);
        }
    }
}
