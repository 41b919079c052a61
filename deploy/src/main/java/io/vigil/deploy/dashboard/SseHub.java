package io.vigil.deploy.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Server-Sent Events to every connected page. Each client has a bounded queue: a page that cannot keep up loses its
 * oldest updates (the next frame supersedes them) instead of holding the Kafka feed back.
 */
final class SseHub {
    static final int QUEUE = 256;
    private final CopyOnWriteArrayList<BlockingQueue<String>> clients = new CopyOnWriteArrayList<>();

    void broadcast(String event, JsonNode data) {
        String msg = "event: " + event + "\ndata: " + data.toString() + "\n\n";
        for (BlockingQueue<String> q : clients) {
            while (!q.offer(msg)) q.poll();
        }
    }

    int clients() {
        return clients.size();
    }

    /** Streams to one client until it disconnects or the server stops; {@code first} goes out before any update. */
    void serve(OutputStream out, String first, BooleanSupplier running) throws IOException {
        BlockingQueue<String> q = new ArrayBlockingQueue<>(QUEUE);
        clients.add(q);
        try {
            out.write(first.getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (running.getAsBoolean()) {
                String msg = q.poll(15, TimeUnit.SECONDS);
                // A comment line every 15 s keeps proxies from closing an idle stream and notices a gone client.
                out.write((msg != null ? msg : ": keep-alive\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clients.remove(q);
        }
    }
}
