package io.vigil.deploy.dashboard;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The dashboard's users and API tokens, kept in one JSON file (mode 0600): users with a role and a salted slow password
 * hash ({@link PasswordHash}), and tokens for scripts, stored as their SHA-256 only (a token is a 256-bit random secret,
 * so a fast hash is enough; the token itself is shown once, when made). Roles: {@code viewer} reads, {@code admin}
 * also subscribes and removes cameras.
 */
public final class DashboardUsers {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).setSerializationInclusion(JsonInclude.Include.NON_NULL);
    /** Names as they appear in log lines and the page: plain, short. */
    private static final String NAME = "[A-Za-z0-9._-]{1,64}";

    public enum Role {
        VIEWER, ADMIN;

        public static Role parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("role must be viewer or admin, got '" + s + "'");
            }
        }

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    record User(String name, String role, String hash) {}

    record Token(String name, String role, String sha256) {}

    record File(List<User> users, List<Token> tokens) {}

    /** Who is asking: a user or a token, and its role. */
    public record Principal(String name, Role role, boolean token) {}

    private final List<User> users;
    private final List<Token> tokens;
    /** Verified against when a name is unknown, so a wrong name costs the same time as a wrong password. */
    private static final class Dummy {
        static final String HASH = PasswordHash.hash("not a password".toCharArray());
    }

    private DashboardUsers(List<User> users, List<Token> tokens) {
        this.users = new ArrayList<>(users);
        this.tokens = new ArrayList<>(tokens);
    }

    public static DashboardUsers empty() {
        return new DashboardUsers(List.of(), List.of());
    }

    /** Reads the file; a missing file is an empty set of users. */
    public static DashboardUsers load(Path file) {
        if (!Files.exists(file)) return empty();
        try {
            File f = JSON.readValue(Files.readAllBytes(file), File.class);
            DashboardUsers u = new DashboardUsers(f.users() == null ? List.of() : f.users(), f.tokens() == null ? List.of() : f.tokens());
            for (User x : u.users) Role.parse(x.role());
            for (Token x : u.tokens) Role.parse(x.role());
            return u;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("dashboard users file " + file + " is not valid: " + e.getMessage());
        }
    }

    /** Writes the file atomically, readable by its owner only. */
    public void save(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".users", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // a file system without POSIX modes: the directory's permissions apply
            }
            Files.write(tmp, JSON.writeValueAsBytes(new File(users, tokens)));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public boolean isEmpty() {
        return users.isEmpty() && tokens.isEmpty();
    }

    /** Adds the user, or sets a new password and role for an existing one. */
    public void putUser(String name, Role role, char[] password) {
        if (name == null || !name.matches(NAME)) throw new IllegalArgumentException("user name must be 1-64 of A-Z a-z 0-9 . _ -, got '" + name + "'");
        if (password == null || password.length < 12) throw new IllegalArgumentException("password must be at least 12 characters");
        users.removeIf(u -> u.name().equals(name));
        users.add(new User(name, role.wire(), PasswordHash.hash(password)));
    }

    /** Makes an API token for scripts and returns it; only its hash is kept. */
    public String addToken(String name, Role role) {
        if (name == null || !name.matches(NAME)) throw new IllegalArgumentException("token name must be 1-64 of A-Z a-z 0-9 . _ -, got '" + name + "'");
        String token = "vgl_" + PasswordHash.randomToken(32);
        tokens.removeIf(t -> t.name().equals(name));
        tokens.add(new Token(name, role.wire(), sha256(token)));
        return token;
    }

    public boolean remove(String name) {
        return users.removeIf(u -> u.name().equals(name)) | tokens.removeIf(t -> t.name().equals(name));
    }

    public List<String> names() {
        List<String> out = new ArrayList<>();
        for (User u : users) out.add(u.name() + " (" + u.role() + ")");
        for (Token t : tokens) out.add(t.name() + " (" + t.role() + ", token)");
        return out;
    }

    /** The user when the password is right; the same work is done for an unknown name. */
    Optional<Principal> login(String name, char[] password) {
        User u = users.stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
        boolean ok = PasswordHash.verify(password, u == null ? Dummy.HASH : u.hash());
        return ok && u != null ? Optional.of(new Principal(u.name(), Role.parse(u.role()), false)) : Optional.empty();
    }

    /** The role a user has now, or empty when there is no such user (for sessions opened before the file changed). */
    Optional<Role> roleOf(String name) {
        return users.stream().filter(x -> x.name().equals(name)).findFirst().map(u -> Role.parse(u.role()));
    }

    Optional<Principal> token(String token) {
        if (token == null || token.isBlank()) return Optional.empty();
        byte[] h = HexFormat.of().parseHex(sha256(token));
        for (Token t : tokens) {
            if (MessageDigest.isEqual(h, HexFormat.of().parseHex(t.sha256()))) return Optional.of(new Principal(t.name(), Role.parse(t.role()), true));
        }
        return Optional.empty();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
