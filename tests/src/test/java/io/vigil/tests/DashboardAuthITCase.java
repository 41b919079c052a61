package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.deploy.dashboard.DashboardAuth;
import io.vigil.deploy.dashboard.DashboardServer;
import io.vigil.deploy.dashboard.DashboardUsers;
import io.vigil.video.gateway.CameraRegistry;
import io.vigil.video.gateway.CameraSpec;
import io.vigil.video.source.SourcePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The dashboard with users (what it must run with on any address but loopback), in headless chromium and over plain
 * HTTP: the page sends a stranger to the login page, a wrong password is refused, the right one shows the cameras, the
 * session cookie is out of the page's reach (HttpOnly) and SameSite=Strict, a write without the page's CSRF token is
 * refused, a viewer cannot subscribe, an admin writes an analytics rule that a viewer sees drawn but cannot change, API
 * tokens work with their role, and repeated failed logins lock the login.
 */
class DashboardAuthITCase {
    private static final String ADMIN_PW = "correct horse battery";
    private static final String VIEWER_PW = "viewer staple 2026";

    @Test
    void loginsRolesCsrfTokensAndLimits() throws Exception {
        String bs = SharedStack.kafka().bootstrap();
        Path dir = Files.createTempDirectory("dash-users");
        DashboardUsers users = DashboardUsers.empty();
        users.putUser("ada", DashboardUsers.Role.ADMIN, ADMIN_PW.toCharArray());
        users.putUser("vic", DashboardUsers.Role.VIEWER, VIEWER_PW.toCharArray());
        String viewerToken = users.addToken("ci-read", DashboardUsers.Role.VIEWER);
        String adminToken = users.addToken("ci-admin", DashboardUsers.Role.ADMIN);
        users.save(dir.resolve("users.json"));
        String camera = "auth-cam-" + System.currentTimeMillis();
        String ruleId = camera + ".bay";
        CameraRegistry.put(bs, CameraSpec.of(camera, "/nonexistent/clip.avi"));
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        try (DashboardServer server = DashboardServer.start(bs, new Properties(), "127.0.0.1", 0,
                DashboardAuth.with(DashboardUsers.load(dir.resolve("users.json"))), SourcePolicy.defaults());
             HeadlessChromium browser = new HeadlessChromium(1100, 800)) {
            String base = server.url();
            browser.navigate(base);
            assertTrue(browser.await("location.pathname === '/login' && document.getElementById('login') !== null", Duration.ofSeconds(20)),
                    "a stranger is sent to the login page: " + browser.log());

            login(browser, "ada", "not the password");
            assertTrue(browser.await("location.pathname === '/login' && document.getElementById('loginMsg')?.textContent === 'wrong user name or password'",
                    Duration.ofSeconds(20)), "a wrong password is refused");

            login(browser, "ada", ADMIN_PW);
            String card = "document.querySelector('[data-camera=\"" + camera + "\"]')";
            assertTrue(browser.await("location.pathname === '/' && " + card + " !== null", Duration.ofSeconds(60)),
                    "logged in, the page shows the cameras: " + browser.log());
            assertEquals("ada (admin)", browser.eval("document.getElementById('who').textContent").asText());
            assertFalse(browser.eval("document.cookie").asText().contains("vigil_session"), "the session cookie is HttpOnly");
            String post = "fetch('/api/cameras', {method: 'POST', headers: HEADERS, body: JSON.stringify({id: 'auth-new', url: 'rtsp://127.0.0.1:9/none'})})"
                    + ".then(r => r.status)";
            assertEquals(403, browser.eval(post.replace("HEADERS", "{'Content-Type': 'application/json'}")).asInt(), "a write without the CSRF token");
            assertEquals(403, browser.eval(post.replace("HEADERS", "{'Content-Type': 'application/json', 'X-CSRF-Token': 'guess'}")).asInt());
            assertEquals(200, browser.eval(post.replace("HEADERS", "writeHeaders({'Content-Type': 'application/json'})")).asInt(),
                    "the page's own write carries the token");
            assertTrue(browser.await("document.querySelector('[data-camera=\"auth-new\"]') !== null", Duration.ofSeconds(30)));
            // the admin's page writes a zone for the camera (what its draw buttons do)
            String rulePost = "fetch('/api/rules', {method: 'POST', headers: writeHeaders({'Content-Type': 'application/json'}), body: JSON.stringify("
                    + "{schema: 'rules/1', id: '" + ruleId + "', camera: '" + camera + "', kind: 'zone', name: 'bay', points: [[0.1,0.5],[0.4,0.5],[0.4,0.9]]})})"
                    + ".then(r => r.status)";
            assertTrue(browser.eval(card + ".querySelector('.rulebar').hidden === false").asBoolean(), "an admin can draw rules");
            assertEquals(200, browser.eval(rulePost).asInt(), "an admin writes a rule");
            assertEquals(400, browser.eval(rulePost.replace("[0.4,0.9]]", "[0.4,1.9]]")).asInt(), "an invalid rule is refused with the job's reason");
            browser.screenshot(Path.of(System.getProperty("vigil.home", "..")).resolve("tests/target/dashboard/dashboard-admin.png"));

            browser.eval("document.querySelector('#logout button').click()");
            assertTrue(browser.await("location.pathname === '/login'", Duration.ofSeconds(20)), "log out goes back to the login page");
            login(browser, "vic", VIEWER_PW);
            assertTrue(browser.await("location.pathname === '/' && " + card + " !== null", Duration.ofSeconds(60)), "a viewer sees the cameras");
            assertTrue(browser.eval("document.getElementById('subscribe').hidden").asBoolean(), "a viewer has no subscribe form");
            assertEquals(403, browser.eval(post.replace("HEADERS", "writeHeaders({'Content-Type': 'application/json'})")).asInt(),
                    "a viewer cannot subscribe, CSRF token or not");
            assertEquals(403, browser.eval("fetch('/api/cameras/auth-new', {method: 'DELETE', headers: writeHeaders()}).then(r => r.status)").asInt());
            // a viewer sees the rules drawn and listed, but cannot draw or change them
            assertTrue(browser.await(card + ".querySelector('[data-rule=\"" + ruleId + "\"]') !== null && " + card
                    + ".querySelector('canvas.frame').dataset.rules === '1'", Duration.ofSeconds(30)), "a viewer sees the rule");
            assertTrue(browser.eval(card + ".querySelector('.rulebar').hidden").asBoolean(), "a viewer has no draw buttons");
            assertEquals(403, browser.eval(rulePost.replace("'bay'", "'viewer-bay'")).asInt(), "a viewer cannot write a rule");
            assertEquals(403, browser.eval("fetch('/api/rules/" + ruleId + "', {method: 'DELETE', headers: writeHeaders()}).then(r => r.status)").asInt());

            URI snapshot = URI.create(base + "api/snapshot");
            assertEquals(401, http.send(HttpRequest.newBuilder(snapshot).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(200, http.send(HttpRequest.newBuilder(snapshot).header("Authorization", "Bearer " + viewerToken).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(401, http.send(HttpRequest.newBuilder(snapshot).header("Authorization", "Bearer vgl_wrong").build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpRequest.Builder remove = HttpRequest.newBuilder(URI.create(base + "api/cameras/auth-new")).DELETE();
            assertEquals(403, http.send(remove.copy().header("Authorization", "Bearer " + viewerToken).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode(), "a viewer token cannot write");
            assertEquals(200, http.send(remove.copy().header("Authorization", "Bearer " + adminToken).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode(), "an admin token can, without a CSRF token (it is not a cookie)");

            HttpResponse<String> ok = http.send(form(base, "vic", VIEWER_PW), HttpResponse.BodyHandlers.ofString());
            assertEquals(303, ok.statusCode());
            String cookie = ok.headers().firstValue("Set-Cookie").orElse("");
            assertTrue(cookie.startsWith("vigil_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);

            int status = 0;
            for (int i = 0; i < 6 && status != 429; i++) {
                status = http.send(form(base, "vic", "guess " + i), HttpResponse.BodyHandlers.ofString()).statusCode();
            }
            assertEquals(429, status, "repeated failed logins are limited");
            assertEquals(429, http.send(form(base, "vic", VIEWER_PW), HttpResponse.BodyHandlers.ofString()).statusCode(),
                    "even the right password waits out the lockout");
        } finally {
            CameraRegistry.remove(bs, camera);
            io.vigil.events.rules.RuleRegistry.remove(bs, null, ruleId);
        }
    }

    private static void login(HeadlessChromium browser, String user, String password) throws Exception {
        browser.await("document.getElementById('login') !== null", Duration.ofSeconds(20));
        browser.eval("document.querySelector('input[name=user]').value = " + js(user) + ";"
                + "document.querySelector('input[name=password]').value = " + js(password) + ";"
                + "document.getElementById('login').submit(); true");
        Thread.sleep(300);
    }

    private static HttpRequest form(String base, String user, String password) {
        String body = "user=" + java.net.URLEncoder.encode(user, java.nio.charset.StandardCharsets.UTF_8)
                + "&password=" + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(URI.create(base + "login")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String js(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
