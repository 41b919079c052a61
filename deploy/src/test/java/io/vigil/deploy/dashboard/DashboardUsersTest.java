package io.vigil.deploy.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.video.source.SourcePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardUsersTest {
    @TempDir
    Path tmp;

    @Test
    void passwordsAreSaltedSlowHashesThatVerify() {
        String a = PasswordHash.hash("a long password 1".toCharArray());
        String b = PasswordHash.hash("a long password 1".toCharArray());
        assertTrue(a.startsWith("pbkdf2-sha256$" + PasswordHash.ITERATIONS + "$"), a);
        assertNotEquals(a, b, "salted: the same password hashes differently");
        assertTrue(PasswordHash.verify("a long password 1".toCharArray(), a));
        assertFalse(PasswordHash.verify("a long password 2".toCharArray(), a));
        assertFalse(PasswordHash.verify("x".toCharArray(), "md5$abc"), "a malformed hash never matches");
    }

    @Test
    void usersFileRoundTripsWithOwnerOnlyModeAndNoSecrets() throws Exception {
        DashboardUsers u = DashboardUsers.empty();
        u.putUser("ada", DashboardUsers.Role.ADMIN, "correct horse battery".toCharArray());
        String token = u.addToken("ci", DashboardUsers.Role.VIEWER);
        Path f = tmp.resolve("users.json");
        u.save(f);
        String text = Files.readString(f);
        assertFalse(text.contains("correct horse battery") || text.contains(token), "neither the password nor the token is stored");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        DashboardUsers back = DashboardUsers.load(f);
        assertEquals("ada", back.login("ada", "correct horse battery".toCharArray()).orElseThrow().name());
        assertTrue(back.login("ada", "wrong".toCharArray()).isEmpty());
        assertTrue(back.login("nobody", "correct horse battery".toCharArray()).isEmpty());
        assertEquals(DashboardUsers.Role.VIEWER, back.token(token).orElseThrow().role());
        assertTrue(back.token(token + "x").isEmpty());
    }

    @Test
    void badUsersAndBadFilesAreNamed() throws Exception {
        DashboardUsers u = DashboardUsers.empty();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> u.putUser("ada", DashboardUsers.Role.ADMIN, "short".toCharArray()))
                .getMessage().contains("at least 12"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> u.putUser("a b", DashboardUsers.Role.ADMIN, "long enough pass".toCharArray()))
                .getMessage().contains("user name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DashboardUsers.Role.parse("root")).getMessage().contains("viewer or admin"));
        Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"users\":[{\"name\":\"x\",\"role\":\"root\",\"hash\":\"h\"}]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DashboardUsers.load(bad)).getMessage().contains(bad.toString()));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DashboardAuth.with(DashboardUsers.empty())).getMessage().contains("user add"));
    }

    @Test
    void anAddressOtherThanLoopbackNeedsUsers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DashboardServer.start("127.0.0.1:1", new Properties(), "0.0.0.0", 0, DashboardAuth.off(), SourcePolicy.defaults()));
        assertTrue(e.getMessage().contains("--users"), e.getMessage());
        assertTrue(DashboardServer.isLoopback("127.0.0.1") && DashboardServer.isLoopback("::1") && !DashboardServer.isLoopback("0.0.0.0"));
    }
}
