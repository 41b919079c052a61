package io.vigil.models.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Descriptors the project ships for the known public models, matched to a model file by its sha256 so a
 * directory holding only the upstream files just works. The model files themselves are never shipped.
 */
public final class ModelCatalogue {
    private static final String DIR = "/io/vigil/models/catalogue/";
    private static final List<String> ENTRIES = List.of("yolox-nano", "fastestdet", "ultraface-rfb-320", "gesture-point-history", "gesture-point-history-lstm");
    private static volatile List<ModelDescriptor> all;

    private ModelCatalogue() {}

    public static List<ModelDescriptor> all() {
        List<ModelDescriptor> a = all;
        if (a == null) {
            List<ModelDescriptor> list = new ArrayList<>();
            for (String name : ENTRIES) {
                try (InputStream in = ModelCatalogue.class.getResourceAsStream(DIR + name + ".yaml")) {
                    if (in == null) throw new IllegalStateException("catalogue entry missing from the build: " + name);
                    list.add(ModelDescriptors.read(in, "catalogue/" + name + ".yaml"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            all = a = Collections.unmodifiableList(list);
        }
        return a;
    }

    public static Optional<ModelDescriptor> bySha256(String sha256) {
        return all().stream().filter(d -> sha256.equalsIgnoreCase(d.sha256())).findFirst();
    }

    public static Optional<ModelDescriptor> byName(String name) {
        return all().stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** The labels a catalogue entry ships, for directories that lack the labels file. */
    public static Optional<List<String>> bundledLabels(ModelDescriptor d) {
        if (d.labels() == null) return Optional.empty();
        String resource = switch (d.name()) {
            case "fastestdet" -> "coco-darknet.names";
            case "ultraface-rfb-320" -> "ultraface-labels.txt";
            case "gesture-point-history", "gesture-point-history-lstm" -> "gesture-labels.txt";
            default -> d.labels();
        };
        try (InputStream in = ModelCatalogue.class.getResourceAsStream(DIR + resource)) {
            if (in == null) return Optional.empty();
            return Optional.of(Labels.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
