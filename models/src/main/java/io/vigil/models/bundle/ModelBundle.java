package io.vigil.models.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A model ready to open: the .onnx file, its descriptor (the directory's own {@code model.yaml}, else the
 * catalogue entry matching the file's sha256), its labels and its hash.
 */
public final class ModelBundle {
    private final Path onnxFile;
    private final ModelDescriptor descriptor;
    private final List<String> labels;
    private final String sha256;
    private final String descriptorSource;

    private ModelBundle(Path onnxFile, ModelDescriptor descriptor, List<String> labels, String sha256, String descriptorSource) {
        this.onnxFile = onnxFile;
        this.descriptor = descriptor;
        this.labels = labels;
        this.sha256 = sha256;
        this.descriptorSource = descriptorSource;
    }

    /**
     * @param location a model directory or an .onnx file
     * @throws ModelException naming what is missing or wrong
     */
    public static ModelBundle load(Path location) {
        if (!Files.exists(location)) throw new ModelException("model not found: " + location.toAbsolutePath());
        Path dir;
        Path onnx = null;
        if (Files.isDirectory(location)) {
            dir = location;
        } else {
            onnx = location;
            dir = location.toAbsolutePath().getParent();
        }
        Path yaml = dir.resolve("model.yaml");
        ModelDescriptor own = null;
        if (Files.isRegularFile(yaml)) {
            try (InputStream in = Files.newInputStream(yaml)) {
                own = ModelDescriptors.read(in, yaml.toString());
            } catch (IOException e) {
                throw new ModelException("cannot read " + yaml + ": " + e.getMessage(), e);
            }
        }
        if (onnx == null) {
            if (own != null && own.file() != null) {
                onnx = dir.resolve(own.file());
                if (!Files.isRegularFile(onnx)) throw new ModelException(yaml + ": file '" + own.file() + "' not found in " + dir);
            } else {
                onnx = singleOnnx(dir);
            }
        }
        checkLooksLikeOnnx(onnx);
        String sha = sha256(onnx);
        ModelDescriptor d = own;
        if (d == null) {
            d = ModelCatalogue.bySha256(sha).orElseThrow(() -> new ModelException("no model.yaml in " + dir
                    + " and the file " + location.getFileName() + " (sha256 " + sha.substring(0, 12)
                    + "...) is not a model the catalogue knows: write a model.yaml beside it"));
        }
        List<String> labels = labels(d, dir, own == null);
        String source = own != null ? yaml.toAbsolutePath().toString() : "the catalogue's descriptor of " + onnx.getFileName();
        return new ModelBundle(onnx, d, labels, sha, source);
    }

    private static Path singleOnnx(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> onnx = s.filter(p -> p.getFileName().toString().endsWith(".onnx")).sorted().toList();
            if (onnx.isEmpty()) throw new ModelException("no .onnx file in model directory " + dir);
            if (onnx.size() == 1) return onnx.get(0);
            // several graphs: the one the catalogue knows (e.g. an upstream folder with variants)
            for (Path p : onnx) if (ModelCatalogue.bySha256(sha256(p)).isPresent()) return p;
            throw new ModelException("model directory " + dir + " holds several .onnx files " + onnx.stream().map(Path::getFileName).toList()
                    + ": pass the file itself, or name it in model.yaml's 'file'");
        } catch (IOException e) {
            throw new ModelException("cannot list model directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<String> labels(ModelDescriptor d, Path dir, boolean fromCatalogue) {
        if (d.labels() == null) return List.of();
        Path f = dir.resolve(d.labels());
        if (Files.isRegularFile(f)) {
            try {
                return Labels.parse(Files.readString(f));
            } catch (IOException e) {
                throw new ModelException("cannot read labels file " + f + ": " + e.getMessage(), e);
            }
        }
        if (fromCatalogue) {
            return ModelCatalogue.bundledLabels(d).orElseThrow(() -> new ModelException("labels file " + f + " not found"));
        }
        throw new ModelException("labels file " + f + " (model.yaml 'labels') not found");
    }

    /** ONNX files are protobuf ModelProto: field 1 (ir_version, varint) comes first in every exporter's output. */
    private static void checkLooksLikeOnnx(Path onnx) {
        try (InputStream in = Files.newInputStream(onnx)) {
            int first = in.read();
            if (first != 0x08) {
                throw new ModelException(onnx + " is not an ONNX model (it does not start with a ModelProto ir_version field)");
            }
        } catch (IOException e) {
            throw new ModelException("cannot read model file " + onnx + ": " + e.getMessage(), e);
        }
    }

    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new ModelException("cannot read model file " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path onnxFile() { return onnxFile; }

    public ModelDescriptor descriptor() { return descriptor; }

    public List<String> labels() { return labels; }

    public String sha256() { return sha256; }

    /** Where the descriptor came from, for errors: the model.yaml's path, or the catalogue entry. */
    public String descriptorSource() { return descriptorSource; }

    /** How events name this model: {@code yolox-nano@sha256:695e750a5d57}. */
    public String modelId() {
        return descriptor.name() + "@sha256:" + sha256.substring(0, 12);
    }

    @Override
    public String toString() {
        return modelId() + " (" + onnxFile + ")";
    }
}
