package io.vigil.deploy.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The login limiter: a weapon against guessers, not against the users it guards. */
class DashboardAuthTest {
    private static DashboardAuth auth() {
        DashboardUsers u = DashboardUsers.empty();
        u.putUser("ada", DashboardUsers.Role.ADMIN, "correct horse battery".toCharArray());
        return DashboardAuth.with(u);
    }

    private static DashboardAuth.LoginResult login(DashboardAuth a, String user, String pw, String from) {
        return a.login(user, pw.toCharArray(), from, new String[1]);
    }

    @Test
    void aStrangerGuessingTheAdminsPasswordLocksOutOnlyThemselves() {
        DashboardAuth a = auth();
        for (int i = 0; i < DashboardAuth.MAX_FAILURES; i++) assertEquals(DashboardAuth.LoginResult.WRONG, login(a, "ada", "guess " + i, "203.0.113.9"));
        assertEquals(DashboardAuth.LoginResult.LIMITED, login(a, "ada", "guess 5", "203.0.113.9"));
        assertEquals(DashboardAuth.LoginResult.LIMITED, login(a, "ada", "correct horse battery", "203.0.113.9"), "that pair waits out the lockout");
        assertEquals(DashboardAuth.LoginResult.OK, login(a, "ada", "correct horse battery", "192.0.2.1"), "the admin from their own address is not locked out");
    }

    @Test
    void oneAddressGuessingManyNamesIsLimitedToo() {
        DashboardAuth a = auth();
        for (int i = 0; i < DashboardAuth.MAX_ADDRESS_FAILURES; i++) {
            assertEquals(DashboardAuth.LoginResult.WRONG, login(a, "user" + i, "x", "203.0.113.7"), "attempt " + i);
        }
        assertEquals(DashboardAuth.LoginResult.LIMITED, login(a, "someone-else", "x", "203.0.113.7"));
    }

    @Test
    void aParallelBurstIsCountedBeforeTheHashAndHashesAreNotQueued() throws Exception {
        DashboardAuth a = auth();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<DashboardAuth.LoginResult>> got = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int k = i;
                got.add(pool.submit(() -> login(a, "ada", "burst " + k, "203.0.113.5")));
            }
            int wrong = 0;
            for (Future<DashboardAuth.LoginResult> f : got) if (f.get() == DashboardAuth.LoginResult.WRONG) wrong++;
            assertTrue(wrong <= DashboardAuth.MAX_FAILURES, "at most " + DashboardAuth.MAX_FAILURES + " of 12 parallel guesses reached the hash: " + wrong);
            assertTrue(wrong >= 1, "some did");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theLimiterKeepsABoundedNumberOfAddresses() {
        DashboardUsers u = DashboardUsers.empty();
        u.putUser("ada", DashboardUsers.Role.ADMIN, "correct horse battery".toCharArray());
        DashboardAuth a = DashboardAuth.with(u, 10); // 5 addresses of (pair, address), as MAX_TRACKED is for 10,000
        List<DashboardAuth.LoginResult> got = new ArrayList<>();
        for (int i = 0; i < 8; i++) got.add(login(a, "nobody", "x", "10.0.0." + i));
        assertTrue(a.trackedKeys() <= 10, "tracked " + a.trackedKeys());
        assertEquals(List.of("WRONG", "WRONG", "WRONG", "WRONG", "WRONG", "LIMITED", "LIMITED", "LIMITED"), got.stream().map(Enum::name).toList(),
                "once full of live entries, new addresses are refused (not remembered without bound)");
    }

    @Test
    void aRemovedTokenOrUserStopsWorkingWithoutARestart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("users.json");
        DashboardUsers u = DashboardUsers.empty();
        u.putUser("ada", DashboardUsers.Role.ADMIN, "correct horse battery".toCharArray());
        u.putUser("vic", DashboardUsers.Role.VIEWER, "a viewer's password".toCharArray());
        String token = u.addToken("ci", DashboardUsers.Role.VIEWER);
        u.save(file);
        DashboardAuth a = DashboardAuth.watching(file);
        assertEquals(DashboardAuth.LoginResult.OK, login(a, "ada", "correct horse battery", "192.0.2.1"));
        assertEquals(DashboardAuth.LoginResult.OK, login(a, "vic", "a viewer's password", "192.0.2.1"));
        assertEquals(2, a.sessionCount());
        assertTrue(a.bearer(token).isPresent());

        DashboardUsers changed = DashboardUsers.load(file); // as `vigil dashboard token remove ci` and `user remove ada` do
        assertTrue(changed.remove("ci") && changed.remove("ada"));
        changed.save(file);
        Thread.sleep(1100); // the file is looked at once a second at most
        assertTrue(a.bearer(token).isEmpty(), "the removed token no longer opens anything");
        assertEquals(1, a.sessionCount(), "ada's session ended with her; vic's goes on");
        assertEquals(DashboardAuth.LoginResult.WRONG, login(a, "ada", "correct horse battery", "192.0.2.1"));
    }
}
