package io.torchlight.callback.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.torchlight.api.CheckpointingCallback;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Limit;
import io.torchlight.api.Stage;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.TrainerView;
import io.torchlight.utils.data.Batch;

/**
 * Lightning's ModelCheckpoint: saves a checkpoint at the end of training epochs (or validations), every
 * n training steps, or every time interval; with a monitored metric keeps the {@code saveTopK} best (by
 * {@code mode}), and optionally {@code last.ckpt}. Never saves twice for the same step; a name already
 * taken gets {@code -v1}, {@code -v2}. Its state (best path and score, the kept files) survives resume.
 */
public class ModelCheckpoint implements CheckpointingCallback {

    /** The callback's name in the container. */
    public static final String NAME = "checkpoint";

    private final Settings settings;
    private final Map<Path, Double> bestK = new LinkedHashMap<>();
    private Path dir;
    private Path bestPath;
    private Double bestScore;
    private Path lastPath;
    private long lastSavedStep = -1;
    private long lastTimeSave = System.nanoTime();

    public ModelCheckpoint() {
        this(Settings.defaults());
    }

    public ModelCheckpoint(Settings settings) {
        this.settings = settings;
        this.dir = settings.dirpath();
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public void setup(TrainerView trainer, LightningModule module, Stage stage) {
        if (dir == null) {
            dir = trainer.logDir().resolve("checkpoints");
        }
    }

    @Override
    public void onTrainBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx) {
        long step = trainer.globalStep();
        boolean everyN = settings.everyNTrainSteps() > 0 && step > 0 && step % settings.everyNTrainSteps() == 0;
        boolean interval = settings.trainTimeInterval() != null
                && System.nanoTime() - lastTimeSave >= settings.trainTimeInterval().toNanos();
        if (everyN || interval) {
            lastTimeSave = System.nanoTime();
            save(trainer);
        }
    }

    @Override
    public void onTrainEpochEnd(TrainerView trainer, LightningModule module) {
        if (saveOnTrainEpochEnd(trainer) && epochDue(trainer)) {
            save(trainer);
        }
    }

    /**
     * With saves every n steps or by time, the step training ends at may not be one of them; with
     * {@code saveLast} its state still goes into {@code last.ckpt}, so the last steps are never lost. (Without
     * {@code saveLast} the files are exactly Lightning's: only the steps asked for.)
     */
    @Override
    public void onTrainEnd(TrainerView trainer, LightningModule module) {
        boolean byStepOrTime = settings.everyNTrainSteps() > 0 || settings.trainTimeInterval() != null;
        if (byStepOrTime && settings.saveLast() && trainer.globalStep() != lastSavedStep && !smokeTest(trainer)) {
            lastSavedStep = trainer.globalStep();
            Path last = dir.resolve("last.ckpt");
            trainer.saveCheckpoint(last, settings.saveWeightsOnly());
            lastPath = last;
        }
    }

    @Override
    public void onValidationEnd(TrainerView trainer, LightningModule module) {
        if (!trainer.sanityChecking() && trainer.stage() == Stage.FIT && !saveOnTrainEpochEnd(trainer) && epochDue(trainer)) {
            save(trainer);
        }
    }

    /**
     * Where epoch checkpoints are saved, as Lightning 1.6.5's ModelCheckpoint._should_save_on_train_epoch_end: at the
     * training epoch's end when validation runs once per epoch (or not at all), else after each validation.
     */
    private boolean saveOnTrainEpochEnd(TrainerView trainer) {
        if (settings.saveOnTrainEpochEnd() != null) {
            return settings.saveOnTrainEpochEnd();
        }
        if (trainer.config().checkValEveryNEpoch() != 1) {
            return false;
        }
        return trainer.numValBatches().stream().mapToInt(Integer::intValue).sum() == 0
                || trainer.config().valCheckInterval().equals(Limit.ALL);
    }

    private boolean epochDue(TrainerView trainer) {
        return settings.everyNTrainSteps() == 0 && settings.trainTimeInterval() == null && settings.everyNEpochs() > 0
                && (trainer.currentEpoch() + 1) % settings.everyNEpochs() == 0;
    }

    /** A smoke test saves nothing, as Lightning 1.6.5's ModelCheckpoint._should_skip_saving_checkpoint (fast_dev_run). */
    private static boolean smokeTest(TrainerView trainer) {
        return trainer.config().fastDevRun() > 0;
    }

    /** Saves now if this step was not saved yet: top-k by the monitored metric, then {@code last.ckpt}. */
    void save(TrainerView trainer) {
        if (smokeTest(trainer)) {
            return;
        }
        long step = trainer.globalStep();
        if (step == lastSavedStep) {
            return;
        }
        lastSavedStep = step;
        if (trainer.isGlobalZero()) {
            decide(trainer);
        }
        if (trainer.strategy().worldSize() > 1) {
            share(trainer);
        }
    }

    /**
     * With several processes rank 0 alone decides and writes; every rank then knows its best and last checkpoints, as
     * Lightning broadcasts {@code best_model_path}, so {@code ckpt_path="best"} works everywhere.
     */
    private void share(TrainerView trainer) {
        String[] known = trainer.strategy().broadcast(new String[] {text(bestPath), text(lastPath), bestScore == null ? null
                : bestScore.toString()});
        bestPath = known[0] == null ? null : Path.of(known[0]);
        lastPath = known[1] == null ? null : Path.of(known[1]);
        bestScore = known[2] == null ? null : Double.valueOf(known[2]);
    }

    private static String text(Path path) {
        return path == null ? null : path.toString();
    }

    /** Top-k by the monitored metric, then {@code last.ckpt}. */
    private void decide(TrainerView trainer) {
        Map<String, Double> metrics = trainer.callbackMetrics();
        Double current = null;
        if (settings.monitor() != null) {
            current = metrics.get(settings.monitor());
            if (current == null) {
                throw new TorchlightException("ModelCheckpoint(monitor='" + settings.monitor() + "') found no such metric; logged: "
                        + metrics.keySet() + " (log it, or change monitor)");
            }
        }
        if (settings.saveTopK() != 0) {
            saveTopK(trainer, metrics, current);
        }
        if (settings.saveLast()) {
            Path last = dir.resolve("last.ckpt");
            trainer.saveCheckpoint(last, settings.saveWeightsOnly());
            lastPath = last;
        }
    }

    private void saveTopK(TrainerView trainer, Map<String, Double> metrics, Double current) {
        if (current != null && settings.saveTopK() > 0 && bestK.size() >= settings.saveTopK() && !better(current, worst().getValue())) {
            return;
        }
        String name = FilenameTemplate.format(settings.filename(), trainer.currentEpoch(), trainer.globalStep(), metrics);
        Path path = unique(name);
        trainer.saveCheckpoint(path, settings.saveWeightsOnly());
        lastPath = path;
        bestK.put(path, current == null ? (double) trainer.globalStep() : current);
        if (current == null) {
            // without a monitor the newest checkpoints are kept
            bestPath = path;
            trimTo(settings.saveTopK(), Comparator.comparingDouble(e -> e.getValue()));
            return;
        }
        if (bestScore == null || better(current, bestScore)) {
            bestScore = current;
            bestPath = path;
        }
        if (settings.saveTopK() > 0) {
            trimTo(settings.saveTopK(), (a, b) -> better(a.getValue(), b.getValue()) ? 1 : better(b.getValue(), a.getValue()) ? -1 : 0);
        }
    }

    /** Drops the entries that sort first under {@code order} until k remain, deleting their files. */
    private void trimTo(int k, Comparator<Map.Entry<Path, Double>> order) {
        if (k < 0) {
            return;
        }
        List<Map.Entry<Path, Double>> entries = new ArrayList<>(bestK.entrySet());
        entries.sort(order);
        for (int i = 0; i < entries.size() - k; i++) {
            Path drop = entries.get(i).getKey();
            bestK.remove(drop);
            delete(drop);
        }
    }

    private Map.Entry<Path, Double> worst() {
        return bestK.entrySet().stream().min((a, b) -> better(a.getValue(), b.getValue()) ? 1 : better(b.getValue(), a.getValue()) ? -1 : 0)
                .orElseThrow();
    }

    private boolean better(double a, double b) {
        return settings.mode() == Mode.MIN ? a < b : a > b;
    }

    private Path unique(String name) {
        Path path = dir.resolve(name + ".ckpt");
        for (int v = 1; Files.exists(path) || bestK.containsKey(path); v++) {
            path = dir.resolve(name + "-v" + v + ".ckpt");
        }
        return path;
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint cannot delete " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Path> bestModelPath() {
        return Optional.ofNullable(bestPath);
    }

    @Override
    public Optional<Path> lastModelPath() {
        return Optional.ofNullable(lastPath);
    }

    /** The best monitored value so far, if a metric is monitored. */
    public Optional<Double> bestModelScore() {
        return Optional.ofNullable(bestScore);
    }

    /** The kept checkpoints with their scores. */
    public Map<Path, Double> bestKModels() {
        return Map.copyOf(bestK);
    }

    @Override
    public String stateKey() {
        return "ModelCheckpoint{'monitor': " + (settings.monitor() == null ? "None" : "'" + settings.monitor() + "'")
                + ", 'mode': '" + settings.mode().name().toLowerCase(Locale.ROOT) + "', 'every_n_train_steps': "
                + settings.everyNTrainSteps() + ", 'every_n_epochs': " + settings.everyNEpochs() + "}";
    }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("monitor", settings.monitor());
        state.put("best_model_score", bestScore);
        state.put("best_model_path", bestPath == null ? "" : bestPath.toString());
        state.put("last_model_path", lastPath == null ? "" : lastPath.toString());
        state.put("dirpath", dir == null ? "" : dir.toString());
        Map<String, Object> kept = new LinkedHashMap<>();
        bestK.forEach((p, v) -> kept.put(p.toString(), v));
        state.put("best_k_models", kept);
        state.put("last_saved_step", lastSavedStep);
        return state;
    }

    /**
     * As Lightning: everything is restored only when the checkpoint was written into this callback's folder;
     * a resumed run writing elsewhere (its own version folder) keeps only {@code best_model_path}, so it never
     * deletes or overwrites the files of the run it resumes.
     */
    @Override
    public void loadStateDict(Map<String, Object> state) {
        bestPath = path(state.get("best_model_path"));
        Path saved = path(state.get("dirpath"));
        if (saved == null || dir == null || !saved.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())) {
            return;
        }
        bestScore = state.get("best_model_score") instanceof Number n ? n.doubleValue() : null;
        lastPath = path(state.get("last_model_path"));
        bestK.clear();
        if (state.get("best_k_models") instanceof Map<?, ?> kept) {
            kept.forEach((p, v) -> bestK.put(Path.of(String.valueOf(p)), ((Number) v).doubleValue()));
        }
        lastSavedStep = state.get("last_saved_step") instanceof Number n ? n.longValue() : -1;
    }

    private static Path path(Object value) {
        return value == null || String.valueOf(value).isEmpty() ? null : Path.of(String.valueOf(value));
    }

    /** Whether smaller or larger values of the monitored metric are better. */
    public enum Mode { MIN, MAX }

    /** ModelCheckpoint's settings, with Lightning's defaults. */
    public record Settings(Path dirpath, String filename, String monitor, Mode mode, int saveTopK, boolean saveLast,
            boolean saveWeightsOnly, int everyNTrainSteps, int everyNEpochs, Duration trainTimeInterval,
            Boolean saveOnTrainEpochEnd) {

        public Settings {
            if (saveTopK < -1) {
                throw new IllegalArgumentException("saveTopK must be -1 (all), 0 (none) or a positive count, got " + saveTopK);
            }
            if (everyNTrainSteps < 0 || everyNEpochs < 0) {
                throw new IllegalArgumentException("everyNTrainSteps and everyNEpochs must be >= 0");
            }
            if (saveTopK > 1 && monitor == null) {
                throw new IllegalArgumentException("saveTopK=" + saveTopK + " needs a monitor (which metric ranks the checkpoints?)");
            }
            filename = filename == null || filename.isBlank() ? "{epoch}-{step}" : filename;
            mode = mode == null ? Mode.MIN : mode;
        }

        public static Settings defaults() {
            return new Settings(null, null, null, Mode.MIN, 1, false, false, 0, 1, null, null);
        }

        public Settings monitor(String value, Mode order) {
            return new Settings(dirpath, filename, value, order, saveTopK, saveLast, saveWeightsOnly, everyNTrainSteps,
                    everyNEpochs, trainTimeInterval, saveOnTrainEpochEnd);
        }

        public Settings topK(int value) {
            return new Settings(dirpath, filename, monitor, mode, value, saveLast, saveWeightsOnly, everyNTrainSteps,
                    everyNEpochs, trainTimeInterval, saveOnTrainEpochEnd);
        }

        public Settings last(boolean value) {
            return new Settings(dirpath, filename, monitor, mode, saveTopK, value, saveWeightsOnly, everyNTrainSteps,
                    everyNEpochs, trainTimeInterval, saveOnTrainEpochEnd);
        }

        public Settings file(Path folder, String template) {
            return new Settings(folder, template, monitor, mode, saveTopK, saveLast, saveWeightsOnly, everyNTrainSteps,
                    everyNEpochs, trainTimeInterval, saveOnTrainEpochEnd);
        }

        public Settings every(int trainSteps, int epochs) {
            return new Settings(dirpath, filename, monitor, mode, saveTopK, saveLast, saveWeightsOnly, trainSteps, epochs,
                    trainTimeInterval, saveOnTrainEpochEnd);
        }

        public Settings weightsOnly(boolean value) {
            return new Settings(dirpath, filename, monitor, mode, saveTopK, saveLast, value, everyNTrainSteps, everyNEpochs,
                    trainTimeInterval, saveOnTrainEpochEnd);
        }

        public Settings interval(Duration value) {
            return new Settings(dirpath, filename, monitor, mode, saveTopK, saveLast, saveWeightsOnly, everyNTrainSteps,
                    everyNEpochs, value, saveOnTrainEpochEnd);
        }

        public Settings onTrainEpochEnd(Boolean value) {
            return new Settings(dirpath, filename, monitor, mode, saveTopK, saveLast, saveWeightsOnly, everyNTrainSteps,
                    everyNEpochs, trainTimeInterval, value);
        }
    }
}
