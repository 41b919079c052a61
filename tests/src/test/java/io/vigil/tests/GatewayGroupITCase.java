package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.video.gateway.CameraRegistry;
import io.vigil.video.gateway.CameraSpec;
import io.vigil.video.gateway.CameraStats;
import io.vigil.video.gateway.GatewayOptions;
import io.vigil.video.gateway.StatusSink;
import io.vigil.video.gateway.group.GatewayGroup;
import io.vigil.video.gateway.group.SeqRecord;
import io.vigil.video.gateway.group.SeqTopic;
import io.vigil.video.kafka.FrameCodec;
import io.vigil.video.kafka.FrameRecord;
import io.vigil.video.kafka.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Gateways as a group on the real broker, members in this JVM: the cameras are shared, each owned by exactly one
 * member; a member that leaves hands its cameras over and they continue above their last seq on the other member;
 * a member that joins takes some cameras, none is dropped; on {@code vigil.frames} (read_committed, as the job reads)
 * no (camera, seq) appears twice and no camera's seq goes down.
 */
class GatewayGroupITCase {
    private static final int CAMERAS = 8;

    @Test
    void camerasAreSharedHandedOverOnLeaveAndMovedToAJoiningMember() throws Exception {
        String bs = SharedStack.kafka().bootstrap();
        String tag = "gg" + System.nanoTime() % 1_000_000;
        String group = "vigil-gateways-" + tag;
        List<String> cams = IntStream.range(0, CAMERAS).mapToObj(i -> tag + "-cam" + i).toList();
        for (String c : cams) CameraRegistry.put(bs, CameraSpec.of(c, "testsrc:160x120@10").withFps(5.0));
        GatewayOptions opts = GatewayOptions.defaults();
        GatewayGroup a = new GatewayGroup(bs, new Properties(), group, tag + "-a", opts, StatusSink.NONE);
        GatewayGroup b = new GatewayGroup(bs, new Properties(), group, tag + "-b", opts, StatusSink.NONE);
        GatewayGroup c = null;
        try {
            awaitOwnership(cams, List.of(a, b), Duration.ofSeconds(60));
            Map<String, Set<String>> before = owners(cams, List.of(a, b));
            System.out.println("two members: " + before);
            assertFalse(before.get(a.member()).isEmpty() || before.get(b.member()).isEmpty(), "both members own cameras: " + before);
            Thread.sleep(3000);

            // a leaves: its cameras are handed over to b
            long left = System.nanoTime();
            a.close();
            awaitOwnership(cams, List.of(b), Duration.ofSeconds(30));
            System.out.printf("a left: b streams all %d cameras %.1f s later%n", CAMERAS, (System.nanoTime() - left) / 1e9);
            Map<String, SeqRecord> seqs = SeqTopic.readAll(bs, new Properties(), b.slotCount());
            for (String moved : before.get(a.member())) {
                SeqRecord r = seqs.get(moved);
                assertNotNull(r, moved + " has a seq record");
            }
            Thread.sleep(3000);

            // c joins: some cameras move to it, none is dropped
            c = new GatewayGroup(bs, new Properties(), group, tag + "-c", opts, StatusSink.NONE);
            GatewayGroup joined = c;
            awaitOwnership(cams, List.of(b, c), Duration.ofSeconds(60));
            Map<String, Set<String>> after = owners(cams, List.of(b, c));
            System.out.println("c joined: " + after);
            assertFalse(after.get(c.member()).isEmpty(), "the joining member took cameras: " + after);
            // a camera subscribed once the slots' transactions have been idle past SlotPublisher's 10 s bound on an
            // open transaction still streams (an idle transaction is not an old one)
            Thread.sleep(11_000);
            String late = tag + "-late";
            cams = new ArrayList<>(cams);
            cams.add(late);
            CameraRegistry.put(bs, CameraSpec.of(late, "testsrc:160x120@10").withFps(5.0));
            awaitOwnership(cams, List.of(b, c), Duration.ofSeconds(30));
            Thread.sleep(5000);
            b.flushAll();
            joined.flushAll();

            Map<String, List<Long>> bySeq = framesOf(bs, cams);
            Map<String, Long> gaps = new TreeMap<>();
            for (String cam : cams) {
                List<Long> s = bySeq.getOrDefault(cam, List.of());
                assertTrue(s.size() > 20, cam + ": frames published all along: " + s.size());
                long gap = 0;
                for (int i = 1; i < s.size(); i++) {
                    assertTrue(s.get(i) > s.get(i - 1), cam + ": seq " + s.get(i) + " after " + s.get(i - 1) + " (twice or down)");
                    gap += s.get(i) - s.get(i - 1) - 1;
                }
                gaps.put(cam, gap);
            }
            System.out.println("seqs missing per camera (frames not sent across the moves): " + gaps);
        } finally {
            for (GatewayGroup g : new GatewayGroup[] {a, b, c}) if (g != null) g.close();
            for (String cam : cams) CameraRegistry.remove(bs, cam);
        }
    }

    /**
     * Cameras pinned to a group ({@code labels.gateway-group}) stream only on that group's members; a group that is not
     * pinned-only streams none of another group's pinned cameras; a camera pinned to another group moves there and
     * its seqs go on rising on {@code vigil.frames}.
     */
    @Test
    void pinnedCamerasStreamOnlyOnTheirGroupAndMoveWhenPinnedElsewhere() throws Exception {
        String bs = SharedStack.kafka().bootstrap();
        String tag = "pin" + System.nanoTime() % 1_000_000;
        String site = tag + "-site";
        String hq = tag + "-hq";
        List<String> siteCams = List.of(tag + "-s0", tag + "-s1");
        List<String> hqCams = List.of(tag + "-h0", tag + "-h1");
        for (String c : siteCams) CameraRegistry.put(bs, CameraSpec.of(c, "testsrc:160x120@10").withFps(5.0).withLabels(Map.of(GatewayGroup.PIN_LABEL, site)));
        for (String c : hqCams) CameraRegistry.put(bs, CameraSpec.of(c, "testsrc:160x120@10").withFps(5.0).withLabels(Map.of(GatewayGroup.PIN_LABEL, hq)));
        GatewayOptions opts = GatewayOptions.defaults();
        List<String> all = new ArrayList<>(siteCams);
        all.addAll(hqCams);
        try (GatewayGroup s = new GatewayGroup(bs, new Properties(), site, tag + "-gs", true, opts, StatusSink.NONE);
             GatewayGroup h = new GatewayGroup(bs, new Properties(), hq, tag + "-gh", true, opts, StatusSink.NONE);
             GatewayGroup open = new GatewayGroup(bs, new Properties(), tag + "-open", tag + "-go", false, opts, StatusSink.NONE)) {
            awaitOwnership(siteCams, List.of(s), Duration.ofSeconds(60));
            awaitOwnership(hqCams, List.of(h), Duration.ofSeconds(60));
            Thread.sleep(2000);
            assertEquals(Map.of(s.member(), Set.copyOf(siteCams), h.member(), Set.copyOf(hqCams), open.member(), Set.of()),
                    owners(all, List.of(s, h, open)).entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> Set.copyOf(e.getValue()))),
                    "each pinned camera on its own group only; none on the group of the unpinned ones");

            // h0 re-pinned to the site: it stops at hq and streams at the site, above every seq hq published
            String moved = hqCams.get(0);
            CameraRegistry.put(bs, CameraSpec.of(moved, "testsrc:160x120@10").withFps(5.0).withLabels(Map.of(GatewayGroup.PIN_LABEL, site)));
            List<String> nowSite = List.of(siteCams.get(0), siteCams.get(1), moved);
            awaitOwnership(nowSite, List.of(s), Duration.ofSeconds(60));
            awaitOwnership(List.of(hqCams.get(1)), List.of(h), Duration.ofSeconds(30));
            Thread.sleep(3000);
            s.flushAll();
            h.flushAll();
            List<Long> seqs = framesOf(bs, List.of(moved)).get(moved);
            assertTrue(seqs != null && seqs.size() > 20, moved + ": frames before and after the move: " + seqs);
            long jumps = 0;
            for (int i = 1; i < seqs.size(); i++) {
                assertTrue(seqs.get(i) > seqs.get(i - 1), moved + ": seq " + seqs.get(i) + " after " + seqs.get(i - 1) + " (twice or down)");
                if (seqs.get(i) - seqs.get(i - 1) > 1) jumps++;
            }
            assertTrue(jumps >= 1, moved + ": the move between groups skips seqs (the other group's last frames may commit late): " + seqs);
            assertTrue(h.gateway().stats().stream().noneMatch(st -> st.camera().equals(moved)), "hq no longer streams " + moved);
        } finally {
            for (String c : all) CameraRegistry.remove(bs, c);
        }
    }

    /** Waits until every camera streams on exactly one of {@code members}. */
    private static void awaitOwnership(List<String> cams, List<GatewayGroup> members, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Map<String, Integer> streaming = new HashMap<>();
            for (GatewayGroup g : members) {
                for (CameraStats s : g.gateway().stats()) {
                    if (cams.contains(s.camera()) && s.state().equals("streaming")) streaming.merge(s.camera(), 1, Integer::sum);
                }
            }
            Set<Integer> slots = new HashSet<>();
            int owned = 0;
            boolean everyMemberHasSlots = true;
            for (GatewayGroup g : members) {
                owned += g.slots().size();
                slots.addAll(g.slots());
                everyMemberHasSlots &= !g.slots().isEmpty();
            }
            boolean slotsOnce = owned == slots.size() && slots.size() == members.get(0).slotCount();
            if (slotsOnce && everyMemberHasSlots && streaming.size() == cams.size() && streaming.values().stream().allMatch(n -> n == 1)) return;
            last = "streaming " + streaming + ", slots owned " + owned + " (distinct " + slots.size() + "), per member "
                    + members.stream().map(g -> g.member() + "=" + g.slots().size()).toList();
            Thread.sleep(200);
        }
        throw new AssertionError("not every camera on exactly one member within " + timeout + ": " + last);
    }

    private static Map<String, Set<String>> owners(List<String> cams, List<GatewayGroup> members) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (GatewayGroup g : members) {
            out.put(g.member(), g.gateway().stats().stream().map(CameraStats::camera).filter(cams::contains).collect(Collectors.toCollection(java.util.TreeSet::new)));
        }
        return out;
    }

    /** Every committed frame of these cameras on vigil.frames, its seqs in log order per camera. */
    static Map<String, List<Long>> framesOf(String bs, List<String> cams) {
        Map<String, List<Long>> out = new HashMap<>();
        Properties p = new Properties();
        p.put("bootstrap.servers", bs);
        p.put("isolation.level", "read_committed");
        p.put("auto.offset.reset", "earliest");
        p.put("max.partition.fetch.bytes", Integer.toString(Topics.FRAMES_MAX_MESSAGE_BYTES));
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            // up to the end as it stands now: the cameras go on publishing while this reads
            List<org.apache.kafka.common.TopicPartition> tps = c.partitionsFor(Topics.FRAMES).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<org.apache.kafka.common.TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (r.offset() >= end.get(new org.apache.kafka.common.TopicPartition(r.topic(), r.partition()))) continue;
                    String key = r.key() == null ? "" : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
                    if (!cams.contains(key)) continue;
                    FrameRecord f = FrameCodec.fromRecord(r);
                    out.computeIfAbsent(f.camera(), k -> new ArrayList<>()).add(f.seq());
                }
            }
        }
        return out;
    }
}
