package io.vigil.deploy.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The few calls of Flink's REST API that the local cluster and its tests need. */
public final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public FlinkRest(String baseUrl) {
        this.base = baseUrl;
    }

    /** {@code /overview}, or empty while the JobManager does not answer. */
    public Optional<JsonNode> overview() {
        try {
            return Optional.of(get("/overview"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Registered TaskManagers (ids as Flink reports them). */
    public JsonNode taskManagers() throws IOException {
        return get("/taskmanagers").path("taskmanagers");
    }

    /** The job's state: RUNNING, RESTARTING, FAILED, ... */
    public String jobState(String jobId) throws IOException {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** True when the job and every one of its vertices run. */
    public boolean jobFullyRunning(String jobId) throws IOException {
        JsonNode job = get("/jobs/" + jobId);
        if (!"RUNNING".equals(job.path("state").asText())) return false;
        for (JsonNode v : job.path("vertices")) {
            if (!"RUNNING".equals(v.path("status").asText())) return false;
        }
        return true;
    }

    /** The failures that made the job restart, newest first (exception history; metrics lag by their fetch interval). */
    public List<String> failures(String jobId) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode e : get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries")) {
            out.add(e.path("exceptionName").asText() + ": " + e.path("stacktrace").asText().lines().findFirst().orElse(""));
        }
        return out;
    }

    /** Every job the JobManager knows: {@code jid}, {@code name}, {@code state}, ... ({@code /jobs/overview}). */
    public List<JsonNode> jobs() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode j : get("/jobs/overview").path("jobs")) out.add(j);
        return out;
    }

    /** The newest failure of the job, one line (its root cause's message), or empty when it has none. */
    public Optional<String> lastFailure(String jobId) throws IOException {
        JsonNode entries = get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries");
        if (!entries.isArray() || entries.isEmpty()) return Optional.empty();
        String trace = entries.get(0).path("stacktrace").asText();
        // the root cause is the last "Caused by:" line; its message is what a user can act on
        String line = trace.lines().filter(l -> l.startsWith("Caused by: ")).reduce((a, b) -> b)
                .map(l -> l.substring("Caused by: ".length())).orElse(trace.lines().findFirst().orElse(entries.get(0).path("exceptionName").asText()));
        return Optional.of(line);
    }

    /**
     * The job's health from the REST API, one line: its state, how many of its vertices run, and the age of its latest
     * completed checkpoint. {@code healthy} only when the job and every vertex run (a FINISHED job is done, not unhealthy).
     */
    public record JobHealth(String state, int verticesRunning, int vertices, long checkpointAgeMs, boolean healthy) {
        public String describe() {
            String cp = checkpointAgeMs < 0 ? "no checkpoint yet" : "last checkpoint " + checkpointAgeMs / 1000 + " s ago";
            return state + ", " + verticesRunning + "/" + vertices + " tasks running, " + cp;
        }
    }

    public JobHealth health(String jobId) throws IOException {
        JsonNode job = get("/jobs/" + jobId);
        String state = job.path("state").asText();
        int running = 0, all = 0;
        for (JsonNode v : job.path("vertices")) {
            all++;
            if ("RUNNING".equals(v.path("status").asText()) || "FINISHED".equals(v.path("status").asText())) running++;
        }
        JsonNode c = get("/jobs/" + jobId + "/checkpoints").path("latest").path("completed");
        long age = c.isMissingNode() || c.isNull() ? -1 : Math.max(0, System.currentTimeMillis() - c.path("latest_ack_timestamp").asLong());
        boolean healthy = state.equals("FINISHED") || (state.equals("RUNNING") && running == all);
        return new JobHealth(state, running, all, age, healthy);
    }

    /** The latest completed checkpoint's id, or -1. */
    public long lastCompletedCheckpoint(String jobId) throws IOException {
        JsonNode c = get("/jobs/" + jobId + "/checkpoints").path("latest").path("completed");
        return c.isMissingNode() || c.isNull() ? -1 : c.path("id").asLong();
    }

    public void cancel(String jobId) throws IOException {
        send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "?mode=cancel")).method("PATCH", HttpRequest.BodyPublishers.noBody()));
    }

    JsonNode get(String path) throws IOException {
        return JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + path)).GET()));
    }

    private String send(HttpRequest.Builder req) throws IOException {
        try {
            HttpResponse<String> r = http.send(req.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) throw new IOException("Flink REST " + r.request().uri().getPath() + " answered " + r.statusCode() + ": " + r.body());
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
