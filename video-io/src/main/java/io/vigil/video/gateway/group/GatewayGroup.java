package io.vigil.video.gateway.group;

import io.vigil.video.gateway.CameraGateway;
import io.vigil.video.gateway.CameraRegistry;
import io.vigil.video.gateway.CameraSpec;
import io.vigil.video.gateway.CameraState;
import io.vigil.video.gateway.CameraStatus;
import io.vigil.video.gateway.FramePublisher;
import io.vigil.video.gateway.GatewayOptions;
import io.vigil.video.gateway.SeqSource;
import io.vigil.video.gateway.StatusSink;
import io.vigil.video.kafka.FrameCodec;
import io.vigil.video.kafka.FrameRecord;
import io.vigil.video.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a gateway group: gateways that share the cameras of {@code vigil.cameras} and take over each other's.
 *
 * <p>The coordinator is Kafka's consumer group protocol: every member subscribes to {@code vigil.gateway-seq} in the
 * consumer group {@code group} with the cooperative sticky assignor, and the partitions it is assigned are its
 * <b>slots</b>; a camera belongs to the slot its id hashes to ({@link Slots}), so each camera has exactly one owner,
 * a joining or leaving member moves only the slots the assignor must move, and a member that stops heartbeating
 * (killed, cut off, hung past {@code session.timeout.ms}) loses its slots to the others. Every member follows the whole
 * registry and streams only the cameras of its slots.
 *
 * <p>Each slot publishes through its own transactional producer ({@link SlotPublisher}): taking a slot fences its
 * previous owner, and each commit carries the slot's cameras' next seqs on {@code vigil.gateway-seq}, so a camera
 * continues, wherever it moves, above every seq committed for it: exactly where the last owner stopped after a
 * handover, {@link #UNCLEAN_GAP} higher after a failure (the failed owner's open transaction, aborted, may have used
 * seqs after its last commit; they are never visible to {@code read_committed} readers, and never used again).
 */
public final class GatewayGroup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayGroup.class);
    /** How far a camera's seq jumps when its last owner did not hand it over: more frames than one transaction holds. */
    public static final long UNCLEAN_GAP = 1000;
    /** How often each slot commits its frames (the job sees a frame at the latest this much after it was sent). */
    public static final long COMMIT_MS = 200;
    /** How long a slot whose producer failed waits before it is opened again. */
    static final long RETAKE_MS = 2000;
    /**
     * The camera spec label that pins a camera to a gateway group ({@code "labels": {"gateway-group": "site-a"}}): only
     * that group's members stream it, e.g. the gateways of the site whose network reaches the camera.
     */
    public static final String PIN_LABEL = "gateway-group";

    private final String bootstrap;
    private final Properties client;
    private final String group;
    private final String member;
    private final boolean pinnedOnly;
    private final StatusSink status;
    private final CameraGateway gateway;
    private final int slots;
    private final Map<Integer, SlotPublisher> owned = new ConcurrentHashMap<>();
    private final Map<String, byte[]> specs = new HashMap<>();              // camera -> its spec on the registry (guarded by this)
    private final Map<String, Long> next = new ConcurrentHashMap<>();       // camera -> the seq its next frame takes
    private final Map<Integer, Long> takenAtMs = new ConcurrentHashMap<>(); // slot -> when this member took it
    private final Map<String, String> movedWhy = new ConcurrentHashMap<>(); // camera -> why it moved here, until it is said
    /** The slots the group assigned this member (owned, or to be taken again after their producer failed). */
    private final Set<Integer> assigned = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Long> retakeAtMs = new ConcurrentHashMap<>(); // slot -> when to try taking it again
    /** Opens and closes slot producers side by side: a rebalance that moves 16 slots waits for the slowest, not the sum. */
    private final ExecutorService slotWork;
    private final Object commitLock = new Object(); // the committer and flushes commit one at a time
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ScheduledExecutorService committer;
    private final Thread poller;
    private volatile boolean assignedOnce;
    private volatile String died;
    private volatile long rebalances;
    private final java.util.concurrent.atomic.AtomicLong slotsLost = new java.util.concurrent.atomic.AtomicLong();
    private CameraRegistry.Follower follower;
    private SeqTopic.Reader seqReader; // re-reads of one slot's seqs, on the registry's thread (guarded by this)

    /**
     * Joins the group and starts streaming whatever it is assigned.
     *
     * @param member this gateway's name in the group and in {@code vigil.camera-status} ({@code gateway})
     */
    public GatewayGroup(String bootstrap, Properties client, String group, String member, GatewayOptions options, StatusSink status) {
        this(bootstrap, client, group, member, false, options, status);
    }

    /**
     * @param pinnedOnly stream only the cameras pinned to this group ({@link #PIN_LABEL}); otherwise those and every
     *                   camera pinned to no group (one group of a site streams the unpinned cameras, the others are
     *                   started pinned-only)
     */
    public GatewayGroup(String bootstrap, Properties client, String group, String member, boolean pinnedOnly, GatewayOptions options, StatusSink status) {
        if (group == null || group.isBlank()) throw new IllegalArgumentException("group: a name, got '" + group + "'");
        if (member == null || member.isBlank()) throw new IllegalArgumentException("member: a name, got '" + member + "'");
        this.bootstrap = bootstrap;
        this.client = client;
        this.group = group;
        this.member = member;
        this.pinnedOnly = pinnedOnly;
        this.status = status;
        this.gateway = new CameraGateway(new Publisher(), status, options, new Seqs());
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, member);
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // failover: a member silent this long loses its slots (Kafka's default 45 s is too slow for video)
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<PartitionInfo> parts;
        try {
            parts = consumer.partitionsFor(Topics.GATEWAY_SEQ, Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            gateway.close();
            throw e;
        }
        if (parts == null || parts.isEmpty()) {
            consumer.close(Duration.ZERO);
            gateway.close();
            throw new IllegalStateException("topic " + Topics.GATEWAY_SEQ + " does not exist (vigil kafka creates it, with " + Topics.GATEWAY_SLOTS + " partitions)");
        }
        this.slots = parts.size();
        slotWork = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "vigil-gateway-slots");
            t.setDaemon(true);
            return t;
        });
        committer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-gateway-commit");
            t.setDaemon(true);
            return t;
        });
        committer.scheduleWithFixedDelay(this::commitAll, COMMIT_MS, COMMIT_MS, TimeUnit.MILLISECONDS);
        follower = CameraRegistry.follow(bootstrap, client, this::onRegistry);
        poller = new Thread(this::pollLoop, "vigil-gateway-group");
        poller.setDaemon(true);
        poller.start();
    }

    public String member() {
        return member;
    }

    public String group() {
        return group;
    }

    public CameraGateway gateway() {
        return gateway;
    }

    /** The slots this member owns now. */
    public Set<Integer> slots() {
        return new TreeSet<>(owned.keySet());
    }

    /** The number of slots of the group (the seq topic's partitions). */
    public int slotCount() {
        return slots;
    }

    /** Assignments this member has received (each rebalance that reached it). */
    public long rebalances() {
        return rebalances;
    }

    /** Slots this member lost without handing them over: missed heartbeats, or fenced by a new owner. */
    public long slotsLost() {
        return slotsLost.get();
    }

    /** Commits every slot's frames now (they are visible to read_committed readers when this returns). */
    public void flushAll() {
        commitAll();
    }

    /** null when the member has its assignment; else why it is not ready. */
    public String problem() {
        if (died != null) return "the group member stopped: " + died;
        if (!assignedOnce) return "waiting for an assignment from group " + group;
        return null;
    }

    /** null while the member follows {@code vigil.cameras}; else why not. */
    public String registryProblem() {
        return follower.problem();
    }

    private void pollLoop() {
        try {
            consumer.subscribe(List.of(Topics.GATEWAY_SEQ), new Listener());
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<byte[], byte[]> ignored : consumer.poll(Duration.ofMillis(500))) {
                    // nothing is read here: the slots are paused as soon as they are assigned
                }
            }
        } catch (WakeupException | InterruptException e) {
            // closing
        } catch (RuntimeException e) {
            died = e.toString();
            LOG.error("gateway group {}: member {} stopped: {}", group, member, e.toString(), e);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(20)); // a clean leave: the revocation hands every slot over
            } catch (RuntimeException e) {
                LOG.warn("gateway group {}: leaving: {}", group, e.toString());
            }
        }
    }

    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> parts) {
            rebalances++;
            consumer.pause(parts);
            List<Integer> taken = slotsOf(parts);
            assigned.addAll(taken);
            take(taken);
            assignedOnce = true;
            if (!parts.isEmpty()) LOG.info("gateway group {}: member {} took slots {} (now {})", group, member, slotsOf(parts), slots());
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> parts) {
            assigned.removeAll(slotsOf(parts));
            release(slotsOf(parts), true, "handed over in a rebalance");
            if (!parts.isEmpty()) LOG.info("gateway group {}: member {} handed over slots {}", group, member, slotsOf(parts));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> parts) {
            slotsLost.addAndGet(parts.size());
            assigned.removeAll(slotsOf(parts));
            release(slotsOf(parts), false, "lost: this member missed the group's heartbeats");
            if (!parts.isEmpty()) LOG.warn("gateway group {}: member {} lost slots {}", group, member, slotsOf(parts));
        }
    }

    private static List<Integer> slotsOf(Collection<TopicPartition> parts) {
        return parts.stream().map(TopicPartition::partition).sorted().toList();
    }

    /**
     * Fences the slots' previous owners (a producer per slot, opened side by side), reads where their cameras' seqs
     * stand, and starts them. A slot whose producer cannot be opened is tried again by the committer.
     */
    private void take(List<Integer> wanted) {
        if (wanted.isEmpty()) return;
        Map<Integer, Future<SlotPublisher>> opening = new TreeMap<>();
        for (int slot : wanted) opening.put(slot, slotWork.submit(() -> new SlotPublisher(bootstrap, client, group, slot, member)));
        Map<Integer, SlotPublisher> opened = new TreeMap<>();
        for (Map.Entry<Integer, Future<SlotPublisher>> e : opening.entrySet()) {
            try {
                opened.put(e.getKey(), e.getValue().get());
            } catch (ExecutionException | InterruptedException ex) {
                Throwable why = ex instanceof ExecutionException ? ex.getCause() : ex;
                LOG.warn("gateway group {}: member {}: slot {} could not be opened, tried again in {} ms: {}", group, member, e.getKey(), RETAKE_MS, why.toString());
                retakeAtMs.put(e.getKey(), System.currentTimeMillis() + RETAKE_MS);
                if (ex instanceof InterruptedException) Thread.currentThread().interrupt();
            }
        }
        Map<String, SeqRecord> last;
        try {
            last = SeqTopic.readSlots(bootstrap, client, opened.keySet());
        } catch (RuntimeException e) {
            LOG.warn("gateway group {}: member {}: the seqs of slots {} could not be read, tried again in {} ms: {}", group, member, opened.keySet(), RETAKE_MS, e.toString());
            for (SlotPublisher sp : opened.values()) {
                sp.close();
                retakeAtMs.put(sp.slot(), System.currentTimeMillis() + RETAKE_MS);
            }
            return;
        }
        synchronized (this) {
            for (SeqRecord r : last.values()) {
                next.merge(r.camera(), r.clean() ? r.next() : r.next() + UNCLEAN_GAP, Math::max);
                // said when the camera starts here: now, or once its spec arrives from the registry
                movedWhy.put(r.camera(), why(r));
            }
            for (Map.Entry<Integer, SlotPublisher> o : opened.entrySet()) {
                int slot = o.getKey();
                if (!assigned.contains(slot)) { // revoked while it was being opened
                    o.getValue().close();
                    continue;
                }
                owned.put(slot, o.getValue());
                takenAtMs.put(slot, System.currentTimeMillis());
                retakeAtMs.remove(slot);
            }
            for (Map.Entry<String, byte[]> e : specs.entrySet()) {
                int slot = Slots.of(e.getKey(), slots);
                if (!opened.containsKey(slot) || !owned.containsKey(slot)) continue;
                String why = movedWhy.remove(e.getKey());
                announce(e.getKey(), "owned by gateway " + member + " (slot " + slot + "): " + (why != null ? why : "first owner"));
                CameraRegistry.apply(e.getKey(), e.getValue(), gateway);
            }
        }
    }

    private static String why(SeqRecord r) {
        return r.clean() ? "handed over by " + r.gateway() + " at seq " + r.next()
                : "taken over from " + r.gateway() + ", which did not hand it over (last committed seq " + (r.next() - 1) + ", " + UNCLEAN_GAP + " skipped)";
    }

    /** Stops the slots' cameras and, when {@code clean}, commits their last frames with a clean seq record each. */
    private void release(List<Integer> gone, boolean clean, String why) {
        Map<SlotPublisher, List<String>> closing = new HashMap<>();
        List<String> stopping = new ArrayList<>();
        synchronized (this) {
            for (int slot : gone) {
                SlotPublisher sp = owned.remove(slot);
                takenAtMs.remove(slot);
                if (sp == null) continue;
                List<String> cameras = new ArrayList<>();
                for (String c : specs.keySet()) if (Slots.of(c, slots) == slot) cameras.add(c);
                closing.put(sp, cameras);
                stopping.addAll(cameras);
            }
            gateway.stop(stopping);
        }
        List<Future<?>> done = new ArrayList<>();
        for (Map.Entry<SlotPublisher, List<String>> e : closing.entrySet()) {
            SlotPublisher sp = e.getKey();
            for (String c : e.getValue()) announce(c, "released by gateway " + member + " (slot " + sp.slot() + "): " + why);
            done.add(slotWork.submit(() -> {
                try {
                    if (clean && sp.failure() == null) sp.handOver(e.getValue(), next);
                    else sp.close();
                } catch (RuntimeException ex) {
                    LOG.warn("gateway group {}: slot {}: the handover did not commit: {}", group, sp.slot(), ex.toString());
                    sp.close();
                }
            }));
        }
        for (Future<?> f : done) {
            try {
                f.get();
            } catch (ExecutionException ex) {
                LOG.warn("gateway group {}: releasing: {}", group, ex.getCause().toString());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void announce(String camera, String reason) {
        status.publish(new CameraStatus(camera, System.currentTimeMillis(), CameraState.CONNECTING, reason, 0, 0, 0, 0));
    }

    /** Whether this group streams the camera: pinned to it, or pinned to none and this group takes those. */
    private boolean ours(String camera, byte[] spec) {
        String pinned;
        try {
            CameraSpec s = CameraSpec.parse(camera, spec);
            pinned = s.labels() == null ? null : s.labels().get(PIN_LABEL);
        } catch (CameraSpec.InvalidException e) {
            pinned = null; // a spec that does not parse: the group of the unpinned cameras applies it, and says why it is bad
        }
        return pinned == null ? !pinnedOnly : pinned.equals(group);
    }

    private synchronized void onRegistry(String camera, byte[] spec) {
        if (spec != null && !ours(camera, spec)) spec = null; // another group's camera (or pinned away from this one: stopped)
        boolean arriving = spec != null && !specs.containsKey(camera);
        if (spec == null) specs.remove(camera);
        else specs.put(camera, spec);
        int slot = Slots.of(camera, slots);
        if (!owned.containsKey(slot)) return;
        if (arriving) {
            String why = movedWhy.remove(camera); // its slot was taken before its spec was read: why it moved here
            String continued = continueSeq(camera, slot);
            announce(camera, "owned by gateway " + member + " (slot " + slot + "): " + (continued != null ? continued : why != null ? why : "first owner"));
        }
        CameraRegistry.apply(camera, spec, gateway);
    }

    /**
     * A camera that became this group's while its slot was already owned (subscribed, or pinned here from another
     * group): its seq record is read again, since another group may have streamed it after this member took the slot;
     * when it did, the camera continues {@link #UNCLEAN_GAP} above (that group's last frames may commit after this read).
     */
    private SeqTopic.Reader seqReader() {
        if (seqReader == null) seqReader = new SeqTopic.Reader(bootstrap, client);
        return seqReader;
    }

    /** @return why the camera moved, when another group streamed it since; else null */
    private String continueSeq(String camera, int slot) {
        try {
            SeqRecord r = seqReader().read(List.of(slot)).get(camera);
            if (r != null && r.next() > next.getOrDefault(camera, 0L)) {
                next.merge(camera, r.next() + UNCLEAN_GAP, Math::max);
                return "moved from " + r.gateway() + " (another group; last committed seq " + (r.next() - 1) + ", " + UNCLEAN_GAP + " skipped)";
            }
        } catch (RuntimeException e) {
            // the seq topic did not answer: continue as known, above every seq this member has seen for the camera
            LOG.warn("gateway group {}: camera {}: its seq record could not be read again ({}); continuing at {}", group, camera, e.toString(), next.getOrDefault(camera, 0L));
        }
        return null;
    }

    private void commitAll() {
        synchronized (commitLock) {
            commitAllLocked();
        }
    }

    private void commitAllLocked() {
        for (SlotPublisher sp : owned.values()) {
            try {
                sp.commit();
            } catch (KafkaException e) {
                LOG.warn("gateway group {}: slot {}: a commit failed, its frames since the last one are lost: {}", group, sp.slot(), e.toString());
            }
            KafkaException f = sp.failure();
            if (f != null) {
                boolean fenced = f instanceof ProducerFencedException || f instanceof InvalidProducerEpochException;
                LOG.warn("gateway group {}: slot {}: {}", group, sp.slot(), fenced ? "fenced: another gateway owns it now" : "its producer failed: " + f);
                if (fenced) slotsLost.incrementAndGet();
                release(List.of(sp.slot()), false, fenced ? "fenced by the slot's new owner" : "its producer failed: " + f.getMessage());
                // fenced: the group has given the slot to another member and says so at this member's next poll;
                // any other failure: the slot is still this member's, so it is opened again
                if (!fenced) retakeAtMs.put(sp.slot(), System.currentTimeMillis() + RETAKE_MS);
            }
        }
        long now = System.currentTimeMillis();
        List<Integer> again = new ArrayList<>();
        for (Map.Entry<Integer, Long> r : retakeAtMs.entrySet()) {
            if (r.getValue() <= now && assigned.contains(r.getKey()) && !owned.containsKey(r.getKey())) again.add(r.getKey());
            else if (!assigned.contains(r.getKey())) retakeAtMs.remove(r.getKey());
        }
        if (!again.isEmpty()) {
            again.forEach(retakeAtMs::remove);
            take(again);
        }
    }

    /** The camera's frames go to its slot's transaction; a camera whose slot this member does not own is not published. */
    private final class Publisher implements FramePublisher {
        @Override
        public void publish(FrameRecord frame, Consumer<Exception> onDone) {
            publish(frame, Map.of(), onDone);
        }

        @Override
        public void publish(FrameRecord frame, Map<String, String> headers, Consumer<Exception> onDone) {
            int slot = Slots.of(frame.camera(), slots);
            SlotPublisher sp = owned.get(slot);
            ProducerRecord<byte[], byte[]> r = FrameCodec.toRecord(Topics.FRAMES, frame);
            for (Map.Entry<String, String> h : headers.entrySet()) r.headers().add(h.getKey(), h.getValue().getBytes(StandardCharsets.UTF_8));
            if (sp == null || !sp.send(r, frame.camera(), frame.seq(), (meta, err) -> onDone.accept(err))) {
                onDone.accept(new IllegalStateException("camera " + frame.camera() + ": slot " + slot + " is not gateway " + member + "'s (any more)"));
            }
        }

        @Override
        public void flush() {
            commitAll();
        }

        @Override
        public void close() {}
    }

    /** Seqs continue from what the slot's topic said when this member took the slot, then from what it published. */
    private final class Seqs implements SeqSource {
        @Override
        public long start(String camera) {
            return next.getOrDefault(camera, 0L);
        }

        @Override
        public void use(String camera, long seq) {
            next.merge(camera, seq + 1, Math::max);
        }
    }

    /** Leaves the group cleanly: every slot handed over (its cameras' last frames committed), then stops. */
    @Override
    public void close() throws InterruptedException {
        // no interrupt: a commit in flight finishes (or times out) rather than being broken off, which would leave its
        // transaction neither committed nor abortable and the handover unclean
        committer.shutdown();
        if (!committer.awaitTermination(10, TimeUnit.SECONDS)) committer.shutdownNow();
        consumer.wakeup();
        poller.join(30_000);
        slotWork.shutdownNow();
        follower.close();
        gateway.close();
        synchronized (this) {
            if (seqReader != null) seqReader.close();
        }
    }
}
