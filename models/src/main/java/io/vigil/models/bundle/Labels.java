package io.vigil.models.bundle;

import java.util.ArrayList;
import java.util.List;

/** A labels file: one class name per line, in class-id order; blank trailing lines ignored. */
public final class Labels {
    private Labels() {}

    public static List<String> parse(String text) {
        List<String> out = new ArrayList<>();
        if (text.startsWith("\uFEFF")) text = text.substring(1); // UTF-8 BOM
        for (String line : text.split("\\R")) out.add(line.strip());
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) out.remove(out.size() - 1);
        return List.copyOf(out);
    }
}
