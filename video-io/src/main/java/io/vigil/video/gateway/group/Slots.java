package io.vigil.video.gateway.group;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/** Which slot of the gateway group a camera falls in: the partition Kafka's default partitioner gives its id on the seq topic. */
public final class Slots {
    private Slots() {}

    /** The slot (partition of {@code vigil.gateway-seq}) of {@code camera} among {@code slots}. */
    public static int of(String camera, int slots) {
        return Utils.toPositive(Utils.murmur2(camera.getBytes(StandardCharsets.UTF_8))) % slots;
    }
}
