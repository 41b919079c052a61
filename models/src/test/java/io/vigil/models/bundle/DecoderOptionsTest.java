package io.vigil.models.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a plugin reads from model.yaml's decoder.options, as docs/decoder-plugins.md says. */
class DecoderOptionsTest {
    @Test
    void scalarsAsTextListsAsListsAbsentAsNothing() {
        String yaml = String.join("\n", "name: x", "kind: detector", "file: model.onnx", "input: {name: images, width: 32, height: 32}",
                "decoder: {type: yolox, output: out, strides: [8], options: {stride: 4, strides: [8, 16], head: hm, nested: {a: 1}}}", "labels: l.txt", "");
        ModelDescriptor.Decoder d = ModelDescriptors.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "model.yaml").decoder();
        assertEquals("4", d.option("stride"));
        assertEquals("[8, 16]", d.option("strides"), "a list as text is Java's toString: the docs point to optionList");
        assertEquals(List.of("8", "16"), d.optionList("strides"));
        assertEquals(List.of("hm"), d.optionList("head"));
        assertEquals(List.of(), d.optionList("missing"));
        assertNull(d.option("missing"));
        assertEquals(java.util.Map.of("a", 1), d.options().get("nested"));
    }
}
