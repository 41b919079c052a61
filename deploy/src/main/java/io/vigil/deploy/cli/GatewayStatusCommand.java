package io.vigil.deploy.cli;

import io.vigil.video.gateway.CameraRegistry;
import io.vigil.video.gateway.group.SeqRecord;
import io.vigil.video.gateway.group.SeqTopic;
import io.vigil.video.gateway.group.Slots;
import io.vigil.video.kafka.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", description = {"The gateway group: its members, the slots and cameras each owns, and where each camera's seq stands",
        "on vigil.gateway-seq. A camera of the registry that no member owns is listed as unowned."})
final class GatewayStatusCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--group", defaultValue = "vigil-gateways", description = "the gateway group (default ${DEFAULT-VALUE})")
    String group;

    @Override
    public Integer call() throws Exception {
        Properties client = kafka.clientProperties();
        String bootstrap = kafka.bootstrap();
        Properties ap = new Properties();
        ap.putAll(client);
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        int slots;
        ConsumerGroupDescription d;
        try (Admin admin = Admin.create(ap)) {
            slots = admin.describeTopics(List.of(Topics.GATEWAY_SEQ)).allTopicNames().get(30, TimeUnit.SECONDS).get(Topics.GATEWAY_SEQ).partitions().size();
            d = admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
        }
        Map<String, Object> cameras = CameraRegistry.list(bootstrap, client);
        Map<String, SeqRecord> seqs = SeqTopic.readAll(bootstrap, client, slots);
        Map<Integer, String> ownerOfSlot = new TreeMap<>();
        System.out.printf("group %s: %s, %d member(s), %d slots, %d camera(s) registered%n", group, d.groupState(), d.members().size(), slots, cameras.size());
        for (MemberDescription m : d.members()) {
            List<Integer> owned = new ArrayList<>();
            for (TopicPartition tp : m.assignment().topicPartitions()) {
                if (!tp.topic().equals(Topics.GATEWAY_SEQ)) continue;
                owned.add(tp.partition());
                ownerOfSlot.put(tp.partition(), m.clientId());
            }
            owned.sort(null);
            long n = cameras.keySet().stream().filter(c -> owned.contains(Slots.of(c, slots))).count();
            System.out.printf("  member %s (%s): %d camera(s), slots %s%n", m.clientId(), m.host(), n, owned);
        }
        for (String c : new java.util.TreeSet<>(cameras.keySet())) {
            int slot = Slots.of(c, slots);
            SeqRecord r = seqs.get(c);
            System.out.printf("  camera %-24s slot %2d  %-28s next seq %s%n", c, slot, ownerOfSlot.getOrDefault(slot, "UNOWNED"),
                    r == null ? "-" : r.next() + " (written by " + r.gateway() + (r.clean() ? ", handed over" : "") + ")");
        }
        return 0;
    }
}
