package io.vigil.video.gateway.group;

import io.vigil.video.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frames of one slot's cameras, published in Kafka transactions with the slot's own {@code transactional.id}
 * ({@code <group>.slot-<n>}). Opening it ({@code initTransactions}) fences every earlier producer of that id: a gateway
 * that lost the slot without knowing it (paused, cut off) can no longer commit, and its open transaction is aborted,
 * so the job (reading {@code read_committed}) never sees its late frames. Each commit also writes, in the same
 * transaction, the next seq of every camera that published since the last one, so the seq on {@code vigil.gateway-seq}
 * is exactly that of the last committed frame.
 */
final class SlotPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SlotPublisher.class);
    /** The broker aborts a transaction open this long; its owner is then fenced too. */
    static final int TRANSACTION_TIMEOUT_MS = 30_000;
    /**
     * A transaction that could not commit for this long takes no more frames: what an aborted transaction may have
     * used of a camera's seqs stays below {@link GatewayGroup#UNCLEAN_GAP} (10 s at 30 fps is 300 frames).
     */
    static final long MAX_OPEN_MS = 10_000;

    private final int slot;
    private final String gateway;
    private final KafkaProducer<byte[], byte[]> producer;
    /** Sends share it; a commit takes it alone, so no frame is sent between the commit and the next transaction's start. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Long> pendingNext = new ConcurrentHashMap<>(); // camera -> next seq, since the last commit
    private boolean open = true;
    private volatile boolean sent;           // a frame went into the open transaction
    private volatile boolean commitPending;  // commitTransaction timed out: it must be retried before anything else
    private volatile long openedAtMs;       // when the open transaction took its first frame
    private volatile KafkaException failed;

    SlotPublisher(String bootstrap, Properties client, String group, int slot, String gateway) {
        this.slot = slot;
        this.gateway = gateway;
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(group, slot));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"); // JPEG does not compress further
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Topics.FRAMES_MAX_MESSAGE_BYTES));
        // a slot holds a few cameras: a smaller buffer than the lone gateway's keeps 32 slots in memory
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(2L * Topics.FRAMES_MAX_MESSAGE_BYTES));
        // an owner that stops committing (hung, cut off) holds back the frames partitions' read_committed readers until
        // the next owner fences it or the broker aborts its transaction after this long
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Integer.toString(TRANSACTION_TIMEOUT_MS));
        // a commit (or a send waiting for metadata) that cannot finish in this long is retried at the next round
        // rather than holding the committer, and with it every other slot, for Kafka's default minute
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-gateway-" + gateway + "-slot-" + slot);
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        try {
            producer.initTransactions();
            producer.beginTransaction();
            openedAtMs = System.currentTimeMillis();
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
    }

    static String transactionalId(String group, int slot) {
        return group + ".slot-" + slot;
    }

    int slot() {
        return slot;
    }

    /** The failure that ended this slot's producer (fenced by a new owner, or a fatal error); null while it works. */
    KafkaException failure() {
        return failed;
    }

    /** Sends a frame in the current transaction; false when the slot is closed, failed or cannot commit (the frame is not sent). */
    boolean send(ProducerRecord<byte[], byte[]> frame, String camera, long seq, Callback done) {
        lock.readLock().lock();
        try {
            if (!open || failed != null || commitPending) return false;
            // a transaction that has held frames too long without a commit takes no more; an idle one (a slot whose
            // cameras came later) is fresh: its age counts from its first frame
            long now = System.currentTimeMillis();
            if (!sent) openedAtMs = now;
            else if (now - openedAtMs > MAX_OPEN_MS) return false;
            producer.send(frame, (meta, err) -> {
                if (err instanceof ProducerFencedException || err instanceof InvalidProducerEpochException) failed = (KafkaException) err;
                done.onCompletion(meta, err);
            });
            sent = true;
            pendingNext.merge(camera, seq + 1, Math::max);
            return true;
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            failed = e;
            return false;
        } catch (KafkaException | IllegalStateException e) {
            // the transaction is being aborted or retried by the committer: this frame is not sent
            return false;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Commits what was sent since the last commit, with the seq records of its cameras, and starts the next
     * transaction. A fenced producer (another gateway owns the slot now) is remembered as {@link #failure} and commits
     * nothing; a commit that timed out is retried at the next call (frames are refused meanwhile); any other failure
     * aborts the transaction (its frames are lost, and said so by the exception).
     */
    void commit() {
        commit(false);
    }

    private void commit(boolean handOver) {
        lock.writeLock().lock();
        try {
            if (!open || failed != null) return;
            if (!commitPending) {
                if (!sent && pendingNext.isEmpty() && !handOver) return; // nothing to commit: no round trip
                long now = System.currentTimeMillis();
                Map<String, Long> next = new HashMap<>(pendingNext);
                pendingNext.clear();
                for (Map.Entry<String, Long> e : next.entrySet()) {
                    SeqRecord r = new SeqRecord(e.getKey(), e.getValue(), gateway, handOver, now);
                    producer.send(new ProducerRecord<>(Topics.GATEWAY_SEQ, slot, e.getKey().getBytes(StandardCharsets.UTF_8), r.toJson()));
                }
                commitPending = true;
            }
            producer.commitTransaction();
            commitPending = false;
            sent = false;
            if (!handOver) {
                producer.beginTransaction();
                openedAtMs = System.currentTimeMillis();
            }
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            failed = e;
        } catch (TimeoutException e) {
            LOG.warn("slot {}: the commit did not finish in time; it is retried (frames wait): {}", slot, e.toString());
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            // this thread was interrupted (the gateway stopping): the commit is retried, never aborted, so the
            // handover can still commit the frames and the clean seq records
            Thread.currentThread().interrupt();
            LOG.warn("slot {}: the commit was interrupted; it is retried: {}", slot, e.toString());
        } catch (KafkaException e) {
            commitPending = false;
            try {
                producer.abortTransaction();
                producer.beginTransaction();
                openedAtMs = System.currentTimeMillis();
                sent = false;
            } catch (KafkaException | IllegalStateException again) {
                failed = again instanceof KafkaException k ? k : new KafkaException(again);
            }
            throw e;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The handover: the last frames committed with a clean seq record for each camera the slot streamed. */
    void handOver(Iterable<String> cameras, Map<String, Long> nextSeqs) {
        lock.writeLock().lock();
        try {
            for (String c : cameras) {
                Long n = nextSeqs.get(c);
                if (n != null) pendingNext.merge(c, n, Math::max);
            }
        } finally {
            lock.writeLock().unlock();
        }
        // a commit that timed out is retried: the handover has the stop's grace period (30 s) for its 5 s tries
        for (int attempt = 0; attempt < 3; attempt++) {
            boolean interrupted = Thread.interrupted(); // a stop's interrupt must not break the handover's own commit
            try {
                commit(true);
            } finally {
                if (interrupted) Thread.currentThread().interrupt();
            }
            if (!commitPending || failed != null) break;
        }
        close();
    }

    /** Closes without committing: what this transaction holds is aborted (by the broker, or by the next owner's fencing). */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            open = false;
        } finally {
            lock.writeLock().unlock();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
