package io.vigil.deploy.dashboard;

import com.sun.net.httpserver.HttpExchange;
import io.vigil.deploy.dashboard.DashboardUsers.Principal;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may use the dashboard. Off (everyone is an admin, as before) only while the server binds a loopback address and
 * no users file is given; otherwise every request needs a session (from the login page: an {@code HttpOnly},
 * {@code SameSite=Strict} cookie) or an API token ({@code Authorization: Bearer}). Writes need the {@code admin} role,
 * and with a session the page's CSRF token in {@code X-CSRF-Token} too.
 *
 * <p>Failed logins are limited per (user name, client address): after {@value #MAX_FAILURES} within
 * {@link #FAILURE_WINDOW} that pair is refused for {@link #LOCKOUT}, so a stranger guessing the admin's password locks
 * out only their own address, never the admin; and per client address over all names ({@value #MAX_ADDRESS_FAILURES}).
 * An attempt counts before its password hash is computed (600,000 PBKDF2 rounds), so a burst of parallel guesses is
 * refused after the limit, and at most {@value #HASHING_AT_ONCE} hashes run at once: the others are refused, not
 * queued. The limiter tracks at most {@value #MAX_TRACKED} pairs and addresses; expired ones are dropped first, and
 * when it is full of live ones new ones are refused until some expire.
 */
public final class DashboardAuth {
    static final String COOKIE = "vigil_session";
    static final int MAX_FAILURES = 5;
    static final int MAX_ADDRESS_FAILURES = 20;
    static final int HASHING_AT_ONCE = 2;
    static final int MAX_TRACKED = 10_000;
    private final java.util.concurrent.Semaphore hashing = new java.util.concurrent.Semaphore(HASHING_AT_ONCE);
    static final Duration FAILURE_WINDOW = Duration.ofMinutes(10);
    static final Duration LOCKOUT = Duration.ofMinutes(5);
    static final Duration SESSION_IDLE = Duration.ofHours(12);

    private volatile DashboardUsers users;
    /** The users file, re-read when it changes (null: the users were given, not read from a file). */
    private final java.nio.file.Path file;
    private volatile long fileStamp;
    private volatile long checkedAtMs;
    private final boolean required;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    /** A logged-in browser: who, its CSRF token, when it was last used. */
    record Session(Principal who, String csrf, long[] lastUsed) {}

    /** Why a login was refused. */
    enum LoginResult { OK, WRONG, LIMITED }

    private final int maxTracked;

    private DashboardAuth(DashboardUsers users, boolean required) {
        this(users, required, MAX_TRACKED);
    }

    private DashboardAuth(DashboardUsers users, boolean required, int maxTracked) {
        this(users, null, required, maxTracked);
    }

    private DashboardAuth(DashboardUsers users, java.nio.file.Path file, boolean required, int maxTracked) {
        this.users = users;
        this.file = file;
        this.required = required;
        this.maxTracked = maxTracked;
        this.fileStamp = stamp(file);
    }

    /**
     * With the users of {@code file}, re-read within a second of a change to it (`vigil dashboard user remove`, `token
     * remove`, a new password or role): a removed token stops working at once, and the sessions of a removed user, or of
     * one whose role changed, end.
     */
    public static DashboardAuth watching(java.nio.file.Path file) {
        DashboardUsers u = DashboardUsers.load(file);
        if (u.isEmpty()) throw new IllegalArgumentException("the dashboard's users file has no user and no token: add one with vigil dashboard user add NAME");
        return new DashboardAuth(u, file, true, MAX_TRACKED);
    }

    private static long stamp(java.nio.file.Path f) {
        if (f == null) return 0;
        try {
            var a = java.nio.file.Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class);
            return a.lastModifiedTime().toMillis() * 31 + a.size();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /** Re-reads the users file when it changed (checked at most once a second); a file that cannot be read keeps the last users. */
    void refresh() {
        if (file == null) return;
        long now = System.currentTimeMillis();
        if (now - checkedAtMs < 1000) return;
        checkedAtMs = now;
        long s = stamp(file);
        if (s == fileStamp || s == -1) return;
        DashboardUsers u;
        try {
            u = DashboardUsers.load(file);
        } catch (RuntimeException e) {
            return; // half written, or broken: the next check tries again, the users stay as they were
        }
        fileStamp = s;
        users = u;
        sessions.values().removeIf(x -> !u.roleOf(x.who().name()).map(r -> r == x.who().role()).orElse(false));
    }

    /** With a smaller limiter, for its test. */
    static DashboardAuth with(DashboardUsers users, int maxTracked) {
        return new DashboardAuth(users, true, maxTracked);
    }

    /** No authentication: only for a server bound to loopback without a users file. */
    public static DashboardAuth off() {
        return new DashboardAuth(DashboardUsers.empty(), false);
    }

    /** Logins and tokens from {@code users}, required for every request. */
    public static DashboardAuth with(DashboardUsers users) {
        if (users.isEmpty()) throw new IllegalArgumentException("the dashboard's users file has no user and no token: add one with vigil dashboard user add NAME");
        return new DashboardAuth(users, true);
    }

    public boolean required() {
        return required;
    }

    /** The request's principal: its session cookie or bearer token; an admin nobody when authentication is off. */
    Optional<Principal> who(HttpExchange ex) {
        if (!required) return Optional.of(new Principal("local", DashboardUsers.Role.ADMIN, false));
        refresh();
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) return bearer(auth.substring(7).trim());
        return session(ex).map(Session::who);
    }

    /** The principal of an API token, as the users file says now. */
    Optional<Principal> bearer(String token) {
        refresh();
        return users.token(token);
    }

    /** Sessions open now. */
    int sessionCount() {
        return sessions.size();
    }

    Optional<Session> session(HttpExchange ex) {
        String id = cookie(ex, COOKIE);
        if (id == null) return Optional.empty();
        Session s = sessions.get(id);
        if (s == null) return Optional.empty();
        long now = System.currentTimeMillis();
        if (now - s.lastUsed()[0] > SESSION_IDLE.toMillis()) {
            sessions.remove(id);
            return Optional.empty();
        }
        s.lastUsed()[0] = now;
        return Optional.of(s);
    }

    /**
     * Whether a write may go ahead: an admin, and with a session cookie the session's CSRF token in the request's
     * {@code X-CSRF-Token} header (tokens in a header are not sent by a browser on its own). Returns why not, or null.
     */
    String refuseWrite(HttpExchange ex, Principal who) {
        if (who.role() != DashboardUsers.Role.ADMIN) return who.name() + " is a viewer: only admins subscribe or remove cameras";
        if (!required || who.token()) return null;
        Session s = session(ex).orElse(null);
        String sent = ex.getRequestHeaders().getFirst("X-CSRF-Token");
        if (s == null || sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), s.csrf().getBytes(StandardCharsets.UTF_8))) {
            return "missing or wrong CSRF token (X-CSRF-Token): writes come from the dashboard's own page";
        }
        return null;
    }

    /** Checks a login; on success returns the new session's id through {@code sessionOut[0]}. */
    LoginResult login(String name, char[] password, String client, String[] sessionOut) {
        refresh();
        long now = System.currentTimeMillis();
        String pair = "pair:" + name + "\u0000" + client, addr = "addr:" + client;
        synchronized (failures) {
            if (limited(pair, MAX_FAILURES, now) || limited(addr, MAX_ADDRESS_FAILURES, now)) return LoginResult.LIMITED;
            if (!room(2, now)) return LoginResult.LIMITED;
            fail(pair, now); // counted now, before the hash: parallel guesses see it
            fail(addr, now);
        }
        if (!hashing.tryAcquire()) {
            forgive(pair);
            forgive(addr);
            return LoginResult.LIMITED;
        }
        Optional<Principal> p;
        try {
            p = users.login(name, password);
        } finally {
            hashing.release();
        }
        if (p.isEmpty()) return LoginResult.WRONG;
        failures.remove(pair);
        forgive(addr);
        String id = PasswordHash.randomToken(32);
        sessions.put(id, new Session(p.get(), PasswordHash.randomToken(32), new long[] {now}));
        sessionOut[0] = id;
        return LoginResult.OK;
    }

    void logout(HttpExchange ex) {
        String id = cookie(ex, COOKIE);
        if (id != null) sessions.remove(id);
    }

    private boolean limited(String key, int max, long now) {
        Deque<Long> d = failures.get(key);
        if (d == null) return false;
        synchronized (d) {
            while (!d.isEmpty() && now - d.peekFirst() > FAILURE_WINDOW.toMillis()) d.pollFirst();
            return d.size() >= max && now - d.peekLast() < LOCKOUT.toMillis();
        }
    }

    private void fail(String key, long now) {
        Deque<Long> d = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (d) {
            d.addLast(now);
            while (d.size() > 4 * MAX_ADDRESS_FAILURES) d.pollFirst();
        }
    }

    /** Takes back the newest attempt of {@code key}: it was not a failure (the right password, or not tried). */
    private void forgive(String key) {
        Deque<Long> d = failures.get(key);
        if (d == null) return;
        synchronized (d) {
            d.pollLast();
        }
    }

    /** Whether {@code keys} more can be tracked, after dropping those whose attempts all expired and lockout ended. */
    private boolean room(int keys, long now) {
        if (failures.size() + keys <= maxTracked) return true;
        long horizon = Math.max(FAILURE_WINDOW.toMillis(), LOCKOUT.toMillis());
        failures.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return e.getValue().isEmpty() || now - e.getValue().peekLast() > horizon;
            }
        });
        return failures.size() + keys <= maxTracked;
    }

    /** Pairs and addresses the limiter tracks now. */
    int trackedKeys() {
        return failures.size();
    }

    static String cookie(HttpExchange ex, String name) {
        for (String header : ex.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith(name + "=")) return p.substring(name.length() + 1);
            }
        }
        return null;
    }
}
