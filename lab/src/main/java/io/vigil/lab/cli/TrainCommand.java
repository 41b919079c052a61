package io.vigil.lab.cli;

import io.vigil.lab.train.MotionTrackExtractor;
import io.vigil.lab.train.HeldOutComparison;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.bundle.ModelLocator;
import io.vigil.models.detect.Detector;
import io.vigil.models.detect.DetectorOptions;
import io.vigil.spatiotemporal.io.SafeTensors;
import io.vigil.spatiotemporal.model.TrajectoryModel;
import io.vigil.lab.train.MotionBaselines;
import io.vigil.lab.train.MotionTracks;
import io.vigil.lab.train.MotionTrainer;
import io.vigil.lab.train.TrajectoryData;
import io.vigil.lab.train.TrajectoryTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "train", description = "Train Vigil's own models.", subcommands = {TrainCommand.Actions.class, TrainCommand.Compare.class, TrainCommand.MotionData.class,
        TrainCommand.Motion.class})
final class TrainCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "actions", description = "Train the streaming selective-scan trajectory classifier on labelled trajectories "
            + "(CSV: class id, then x,y points relative to the first and divided by the frame size).")
    static final class Actions implements Callable<Integer> {
        @Option(names = "--data", required = true, description = "labelled trajectories (CSV)")
        Path data;

        @Option(names = "--labels", required = true, description = "class names, one per line (id = line)")
        Path labels;

        @Option(names = "--out", required = true, description = "where to write model.safetensors, model.yaml, confusion.txt")
        Path out;

        @Option(names = "--seed", defaultValue = "1", description = "(default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--epochs", defaultValue = "30", description = "(default ${DEFAULT-VALUE})")
        int epochs;

        @Override
        public Integer call() throws Exception {
            List<String> names = TrajectoryData.readLabels(labels);
            TrajectoryData d = TrajectoryData.read(data, names);
            TrajectoryTrainer.Options o = TrajectoryTrainer.Options.defaults().withSeed(seed).withEpochs(epochs);
            System.out.printf(Locale.ROOT, "%d trajectories of %d points, %d classes %s; held out 25%% of each class as a block of whole chains (seed %d), rows within %d of it purged; "
                            + "d_model %d, %d layers, d_state %d, d_conv %d, expand %d%n",
                    d.rows(), d.pointsPerRow(), names.size(), names, seed, TrajectoryData.PURGE_ROWS, o.dModel(), o.layers(), o.dState(), o.dConv(), o.expand());
            TrajectoryTrainer.Result r = new TrajectoryTrainer(d, o).train(System.out::println);
            Files.createDirectories(out);
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put("data_sha256", d.sha256());
            extra.put("seed", Long.toString(seed));
            extra.put("epochs", Integer.toString(epochs));
            extra.put("held_out_split", "chain-block, purge " + TrajectoryData.PURGE_ROWS + " rows");
            extra.put("held_out_accuracy", String.format(Locale.ROOT, "%.4f", r.heldOutAccuracy()));
            SafeTensors st = TrajectoryTrainer.toSafeTensors(r.net(), o, r.inputScale(), names, extra);
            SafeTensors.write(out.resolve("model.safetensors"), new ArrayList<>(st.tensors().values()), st.metadata());
            String confusion = confusion(names, r.confusion());
            Files.writeString(out.resolve("confusion.txt"), confusion);
            Files.writeString(out.resolve("model.yaml"), yaml(d, o, r, names, seed, epochs));
            System.out.print(confusion);
            System.out.printf(Locale.ROOT, "held-out accuracy %.2f %% (%d rows; %d trained on, %d purged), train %.2f %%, %.0f s; wrote %s%n",
                    100 * r.heldOutAccuracy(), r.split().heldOut().length, r.split().train().length, r.split().purged().length, 100 * r.trainAccuracy(), r.seconds(), out.toAbsolutePath());
            return 0;
        }

        private String yaml(TrajectoryData d, TrajectoryTrainer.Options o, TrajectoryTrainer.Result r, List<String> names, long seed, int epochs) {
            StringBuilder y = new StringBuilder();
            y.append("# Written by `vigil train actions --data ").append(data.getFileName()).append(" --labels ").append(labels.getFileName())
                    .append(" --out ... --seed ").append(seed).append(" --epochs ").append(epochs).append("`\n");
            y.append("name: trajectory-mamba\nkind: action\nfile: model.safetensors\n");
            y.append("action:\n  contract: trajectory-ssm\n  input: per-point displacement since the previous point, x / frame width, y / frame height (y down)\n");
            y.append(String.format(Locale.ROOT, "  input_scale: %s\n", Float.toString(r.inputScale())));
            y.append("labels: [").append(String.join(", ", names.stream().map(n -> "\"" + n.replace("\"", "\\\"") + "\"").toList())).append("]\n");
            y.append(String.format(Locale.ROOT, "shape: {d_model: %d, layers: %d, d_state: %d, d_conv: %d, expand: %d}%n",
                    o.dModel(), o.layers(), o.dState(), o.dConv(), o.expand()));
            y.append("training:\n");
            y.append("  data: ").append(data.getFileName()).append('\n');
            y.append("  data_sha256: ").append(d.sha256()).append('\n');
            y.append("  rows: ").append(d.rows()).append('\n');
            y.append("  seed: ").append(seed).append('\n');
            y.append("  epochs: ").append(epochs).append('\n');
            y.append(String.format(Locale.ROOT, "  held_out: {share: 0.25, split: chain-block, purge_rows: %d, rows: %d, purged: %d, accuracy: %.4f}%n",
                    TrajectoryData.PURGE_ROWS, r.split().heldOut().length, r.split().purged().length, r.heldOutAccuracy()));
            y.append(String.format(Locale.ROOT, "  train_accuracy: %.4f%n  seconds: %.0f%n", r.trainAccuracy(), r.seconds()));
            return y.toString();
        }

        static String confusion(List<String> names, int[][] m) {
            StringBuilder s = new StringBuilder("held-out confusion (rows: true, columns: predicted)\n");
            int w = names.stream().mapToInt(String::length).max().orElse(5) + 2;
            s.append(" ".repeat(w));
            for (String n : names) s.append(String.format(Locale.ROOT, "%" + w + "s", n));
            s.append('\n');
            for (int i = 0; i < m.length; i++) {
                s.append(String.format(Locale.ROOT, "%-" + w + "s", names.get(i)));
                for (int j = 0; j < m[i].length; j++) s.append(String.format(Locale.ROOT, "%" + w + "d", m[i][j]));
                s.append('\n');
            }
            return s.toString();
        }
    }

    @Command(name = "compare", description = {"The trained trajectory model, the upstream LSTM and the upstream MLP on the held-out rows",
            "of the model's own training split: accuracy and confusion matrices."})
    static final class Compare implements Callable<Integer> {
        @Option(names = "--model", description = "trained model directory (default: the shipped trajectory-mamba)")
        Path model;

        @Option(names = "--upstream", description = "the gesture-point-history directory: point_history.csv, labels, the two ONNX models "
                + "(default: the shared models directory's)")
        Path upstream;

        @Override
        public Integer call() {
            Path dir = upstream != null ? upstream : ModelLocator.sharedDir().resolve("models").resolve("gesture-point-history");
            Path m = (model != null ? model : ModelLocator.trained("trajectory-mamba").orElseThrow(
                    () -> new IllegalArgumentException("models/trained/trajectory-mamba not found: pass --model DIR"))).toAbsolutePath().normalize();
            Map<String, String> meta = TrajectoryModel.load(m.resolve("model.safetensors"), null).metadata();
            long seed = Long.parseLong(meta.getOrDefault("seed", "1"));
            List<String> labels = TrajectoryData.readLabels(dir.resolve("point_history_classifier_label.csv"));
            System.out.printf(Locale.ROOT, "held-out rows of %s's split (%s, seed %d); upstream trained its ONNX models on a random 75 %% "
                    + "of the same file, so their scores here are optimistic%n", m.getFileName(), meta.getOrDefault("held_out_split", "?"), seed);
            System.out.print(HeldOutComparison.format(HeldOutComparison.run(m, dir, seed), labels));
            return 0;
        }
    }

    @Command(name = "motion-data", description = {"Real tracks for learning motion without labels: Vigil's detector and tracker on every frame of",
            "the videos, each confirmed track's boxes on consecutive frames written to OUT/tracks.csv; then the held-out split",
            "by time (each clip's last 40 %% of frames) and the motion baselines on it (the tracker's Kalman filter, constant",
            "position, linear extrapolation: ADE/FDE in pixels at 1, 3, 5 frames ahead), written to OUT/baselines.txt."})
    static final class MotionData implements Callable<Integer> {
        @Option(names = "--video", required = true, split = ",", description = "video files (repeat or comma-separate)")
        List<Path> videos;

        @Option(names = "--out", required = true, description = "where to write tracks.csv and baselines.txt")
        Path out;

        @Option(names = "--model", description = "detector (default yolox-nano)")
        String model;

        @Option(names = "--min-length", defaultValue = "10", description = "shortest piece of track kept, frames (default ${DEFAULT-VALUE})")
        int minLength;

        @Option(names = "--train-share", defaultValue = "0.6", description = "share of each clip's frames that trains; the rest is held out (default ${DEFAULT-VALUE})")
        double trainShare;

        @Option(names = "--max-frames", defaultValue = "0", description = "frames read per video, 0 = all (default ${DEFAULT-VALUE})")
        int maxFrames;

        @Override
        public Integer call() throws Exception {
            if (minLength < MotionBaselines.HORIZON + 2) {
                throw new IllegalArgumentException("--min-length must be at least " + (MotionBaselines.HORIZON + 2) + " (two boxes seen and "
                        + MotionBaselines.HORIZON + " to predict), got " + minLength);
            }
            List<MotionTracks.Track> all = new ArrayList<>();
            try (Detector det = Detector.open(ModelBundle.load(ModelLocator.resolve(model)), DetectorOptions.defaults())) {
                for (Path v : videos) {
                    List<MotionTracks.Track> t = MotionTrackExtractor.extract(v, det, minLength, maxFrames);
                    System.out.printf(Locale.ROOT, "%s: %d tracks, %d boxes%n", v.getFileName(), t.size(), t.stream().mapToInt(MotionTracks.Track::length).sum());
                    all.addAll(t);
                }
            }
            MotionTracks tracks = new MotionTracks(MotionTrackExtractor.requireTracks(all, videos, minLength));
            MotionTracks.Split split = tracks.splitByTime(trainShare, minLength);
            List<MotionBaselines.Score> scores = MotionBaselines.score(split.test(), MotionBaselines.baselines());
            String table = String.format(Locale.ROOT, "held out: each clip's frames from %s on (the first %.0f %% train; a track crossing the boundary is cut there): "
                    + "%d tracks, %d steps with %d frames to predict%n", split.boundary(), 100 * trainShare, split.test().size(),
                    scores.isEmpty() ? 0 : scores.get(0).steps(), MotionBaselines.HORIZON) + MotionBaselines.format(scores);
            Files.createDirectories(out);
            tracks.write(out.resolve("tracks.csv"));
            Files.writeString(out.resolve("baselines.txt"), table);
            System.out.printf(Locale.ROOT, "%d tracks, %d boxes (train %d tracks, held out %d)%n", tracks.tracks().size(), tracks.boxes(), split.train().size(),
                    split.test().size());
            System.out.print(table);
            System.out.println("wrote " + out.resolve("tracks.csv") + " and baselines.txt");
            return 0;
        }
    }

    @Command(name = "motion", description = {"Train the selective-scan motion predictor on real tracks (the tracks.csv of `vigil train motion-data`):",
            "trained on each clip's first share of frames, scored on the rest beside the tracker's Kalman filter, constant position",
            "and linear extrapolation (ADE/FDE in pixels at 1, 3, 5 frames ahead). Writes model.safetensors, model.yaml, comparison.txt."})
    static final class Motion implements Callable<Integer> {
        @Option(names = "--data", required = true, description = "tracks.csv from vigil train motion-data")
        Path data;

        @Option(names = "--out", required = true, description = "where to write model.safetensors, model.yaml, comparison.txt")
        Path out;

        @Option(names = "--seed", defaultValue = "1", description = "(default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--epochs", defaultValue = "20", description = "(default ${DEFAULT-VALUE})")
        int epochs;

        @Option(names = "--train-share", defaultValue = "0.6", description = "share of each clip's frames that trains (default ${DEFAULT-VALUE})")
        double trainShare;

        @Option(names = "--min-length", defaultValue = "10", description = "shortest piece of track kept, frames (default ${DEFAULT-VALUE})")
        int minLength;

        @Option(names = "--add-point-history", description = "also train on these finger-tip trajectories (point_history.csv, 960x540); never held out")
        Path pointHistory;

        @Option(names = "--mirror", description = "also train on every train track mirrored left to right")
        boolean mirror;

        @Override
        public Integer call() throws Exception {
            if (epochs < 1) throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
            MotionTracks tracks = MotionTracks.read(data);
            MotionTracks.Split split = tracks.splitByTime(trainShare, minLength);
            if (split.train().isEmpty() || split.test().isEmpty()) {
                throw new IllegalArgumentException(data.getFileName() + ": " + split.train().size() + " tracks to train on and " + split.test().size()
                        + " to hold out after the split by time: both are needed");
            }
            MotionTrainer.Options o = MotionTrainer.Options.defaults().withEpochs(epochs).withSeed(seed);
            System.out.printf(Locale.ROOT, "%d tracks (%d boxes): train %d, held out %d (each clip's frames from %s on); d_model %d, %d layers, d_state %d%n",
                    tracks.tracks().size(), tracks.boxes(), split.train().size(), split.test().size(), split.boundary(), o.dModel(), o.layers(), o.dState());
            List<MotionTracks.Track> trainOn = new ArrayList<>(split.train());
            if (pointHistory != null) {
                List<MotionTracks.Track> extra = MotionTracks.fromPointHistory(pointHistory, 960, 540);
                trainOn.addAll(extra);
                System.out.printf(Locale.ROOT, "training also on %d finger-tip trajectories of %s%n", extra.size(), pointHistory.getFileName());
            }
            if (mirror) for (MotionTracks.Track t : split.train()) trainOn.add(t.mirrored());
            MotionTrainer.Result r = MotionTrainer.train(trainOn, o, System.out::println);
            List<MotionBaselines.Candidate> candidates = new ArrayList<>(MotionBaselines.baselines());
            candidates.add(MotionTrainer.candidate("ssm (this model)", r));
            List<MotionBaselines.Score> scores = MotionBaselines.score(split.test(), candidates);
            String table = MotionBaselines.format(scores);
            String sha = io.vigil.lab.train.TrajectoryData.sha256(Files.readAllBytes(data));
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("data_sha256", sha);
            meta.put("seed", Long.toString(seed));
            meta.put("epochs", Integer.toString(epochs));
            if (mirror) meta.put("mirror", "true");
            if (pointHistory != null) meta.put("point_history_sha256", io.vigil.lab.train.TrajectoryData.sha256(Files.readAllBytes(pointHistory)));
            MotionBaselines.Score ssm = scores.get(scores.size() - 1);
            meta.put("held_out_fde5_px", String.format(Locale.ROOT, "%.3f", ssm.fde()[MotionBaselines.HORIZON - 1]));
            Files.createDirectories(out);
            MotionTrainer.write(out.resolve("model.safetensors"), r, o, meta);
            Map<String, String> written = SafeTensors.read(out.resolve("model.safetensors")).metadata();
            Files.writeString(out.resolve("comparison.txt"), table);
            StringBuilder y = new StringBuilder("# Written by `vigil train motion --data " + data.getFileName() + " --out ... --seed " + seed + " --epochs " + epochs + (mirror ? " --mirror" : "") + "`\n");
            y.append("name: motion-mamba\nkind: motion\nfile: model.safetensors\n");
            written.forEach((k, v) -> {
                if (!k.equals("kind")) y.append(k).append(": ").append(v.matches(".*[:\\[\\]{},#].*") ? "\"" + v + "\"" : v).append('\n');
            });
            y.append(String.format(Locale.ROOT, "training: {tracks: %d, boxes: %d, train_tracks: %d, held_out_tracks: %d, split: time %.2f, seconds: %.0f}%n",
                    tracks.tracks().size(), tracks.boxes(), split.train().size(), split.test().size(), trainShare, r.seconds()));
            Files.writeString(out.resolve("model.yaml"), y.toString());
            System.out.print(table);
            System.out.printf(Locale.ROOT, "%.0f s; wrote %s%n", r.seconds(), out.toAbsolutePath());
            return 0;
        }
    }
}
