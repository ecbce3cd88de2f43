package io.torchlight.callback.checkpoint;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.bytedeco.pytorch.Tensor;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.Callback;
import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Limit;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.api.TrainerView;
import io.torchlight.core.Torchlight;
import io.torchlight.demos.BoringModel;
import io.torchlight.strategy.single.SingleDeviceStrategy;
import io.torchlight.utils.checkpoint.CheckpointFile;
import io.torchlight.utils.checkpoint.StateDicts;
import io.torchlight.utils.data.Batch;

public class ModelCheckpointTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** Logs a scripted val_loss per epoch. */
    static class Scripted extends BoringModel {
        final double[] losses;

        Scripted(double... losses) {
            this.losses = losses;
        }

        @Override
        public Object validationStep(Batch batch, int batchIdx) {
            log("val_loss", losses[currentEpoch()]);
            return null;
        }
    }

    private Trainer trainer(ModelCheckpoint checkpoint, int epochs) {
        return Torchlight.trainer(TrainerConfig.builder()
                .maxEpochs(epochs).limitTrainBatches(Limit.count(2)).limitValBatches(Limit.count(1)).numSanityValSteps(0)
                .defaultRootDir(tmp.getRoot().toPath()).build(),
                TrainerPlugins.of(new CpuAccelerator(), new SingleDeviceStrategy()).withCallback(checkpoint));
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(tmp.getRoot().toPath().resolve("lightning_logs/version_0/checkpoints"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * The checkpoint hooks of Lightning 1.6.5's test_hooks.py::test_trainer_model_hook_system_fit: the default
     * ModelCheckpoint runs after the user's callbacks and saves from on_train_epoch_end, so the user's callback sees
     * on_train_epoch_end, then state_dict and on_save_checkpoint, then the module's on_save_checkpoint, before the
     * module's own on_train_epoch_end.
     */
    @Test
    public void theCheckpointHooksRunInsideOnTrainEpochEndAfterTheOtherCallbacks() {
        List<String> calls = new ArrayList<>();
        Callback recorder = new Callback() {
            @Override
            public void onTrainEpochEnd(TrainerView trainer, LightningModule module) {
                calls.add("Callback.onTrainEpochEnd");
            }

            @Override
            public Map<String, Object> stateDict() {
                calls.add("Callback.stateDict");
                return Map.of();
            }

            @Override
            public void onSaveCheckpoint(TrainerView trainer, LightningModule module, Map<String, Object> checkpoint) {
                calls.add("Callback.onSaveCheckpoint");
            }
        };
        BoringModel model = new BoringModel() {
            @Override
            public void onSaveCheckpoint(Map<String, Object> checkpoint) {
                calls.add("onSaveCheckpoint");
            }

            @Override
            public void onTrainEpochEnd() {
                calls.add("onTrainEpochEnd");
            }
        };
        Torchlight.trainer(TrainerConfig.builder().maxEpochs(1).limitTrainBatches(Limit.count(2)).limitValBatches(Limit.count(1))
                .numSanityValSteps(0).defaultRootDir(tmp.getRoot().toPath()).build(),
                TrainerPlugins.of(new CpuAccelerator(), new SingleDeviceStrategy()).withCallback(new ModelCheckpoint())
                        .withCallback(recorder)).fit(model);

        assertEquals(List.of("Callback.onTrainEpochEnd", "Callback.stateDict", "Callback.onSaveCheckpoint", "onSaveCheckpoint",
                "onTrainEpochEnd"), calls);
    }

    @Test
    public void keepsTheTopKByTheMonitoredMetricAndLast() throws IOException {
        ModelCheckpoint checkpoint = new ModelCheckpoint(ModelCheckpoint.Settings.defaults().monitor("val_loss", ModelCheckpoint.Mode.MIN)
                .topK(2).last(true).file(null, "{epoch}-{val_loss:.1f}"));

        trainer(checkpoint, 5).fit(new Scripted(5, 3, 4, 1, 2));

        assertEquals(List.of("epoch=3-val_loss=1.0.ckpt", "epoch=4-val_loss=2.0.ckpt", "last.ckpt"), files());
        assertEquals(1.0, checkpoint.bestModelScore().orElseThrow(), 0);
        assertTrue(checkpoint.bestModelPath().orElseThrow().endsWith("epoch=3-val_loss=1.0.ckpt"));
        assertEquals(4L, CheckpointFile.read(checkpoint.lastModelPath().orElseThrow()).get("epoch"));
    }

    @Test
    public void everyNTrainStepsWithoutAMonitorKeepsAllWithMinusOne() throws IOException {
        ModelCheckpoint checkpoint = new ModelCheckpoint(ModelCheckpoint.Settings.defaults().topK(-1).every(3, 0));

        trainer(checkpoint, 4).fit(new BoringModel());

        assertEquals(List.of("epoch=1-step=3.ckpt", "epoch=2-step=6.ckpt"), files());
    }

    @Test
    public void aTakenNameGetsAVersionSuffix() throws IOException {
        Path shared = tmp.getRoot().toPath().resolve("shared");
        ModelCheckpoint.Settings settings = ModelCheckpoint.Settings.defaults().file(shared, "{epoch}-{step}");
        trainer(new ModelCheckpoint(settings), 1).fit(new BoringModel());
        trainer(new ModelCheckpoint(settings), 1).fit(new BoringModel());

        try (Stream<Path> s = Files.list(shared)) {
            assertEquals(List.of("epoch=0-step=2-v1.ckpt", "epoch=0-step=2.ckpt"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    public void testAfterFitUsesTheBestWeights() {
        ModelCheckpoint checkpoint = new ModelCheckpoint(ModelCheckpoint.Settings.defaults()
                .monitor("val_loss", ModelCheckpoint.Mode.MIN));
        Scripted model = new Scripted(2, 1, 3);
        Trainer trainer = trainer(checkpoint, 3);
        trainer.fit(model);
        Map<String, Object> best = CheckpointFile.read(checkpoint.bestModelPath().orElseThrow());

        trainer.test(model, Data.fromModule(), CkptPath.BEST);

        @SuppressWarnings("unchecked")
        Tensor saved = (Tensor) ((Map<String, Object>) best.get("state_dict")).get("layer.weight");
        assertTrue("weights of epoch 1", saved.equal((Tensor) StateDicts.of(model).get("layer.weight")));
        assertEquals(1L, best.get("epoch"));
    }

    /**
     * validate and predict take the same checkpoint paths as test (Lightning 1.6.5's ckpt_path="best"/"last"): the best
     * monitored epoch's weights, or the newest checkpoint's, loaded before the stage runs.
     */
    @Test
    public void validateAndPredictLoadTheBestOrTheLastCheckpoint() {
        ModelCheckpoint checkpoint = new ModelCheckpoint(ModelCheckpoint.Settings.defaults()
                .monitor("val_loss", ModelCheckpoint.Mode.MIN).last(true));
        Scripted model = new Scripted(2, 1, 3, 0); // the last value is what validate logs, after the 3 epochs
        Trainer trainer = trainer(checkpoint, 3);
        trainer.fit(model);
        Tensor best = weight(checkpoint.bestModelPath().orElseThrow());
        Tensor last = weight(checkpoint.lastModelPath().orElseThrow());

        trainer.validate(model, Data.fromModule(), CkptPath.BEST);
        Tensor afterValidate = ((Tensor) StateDicts.of(model).get("layer.weight")).clone();
        trainer.predict(model, Data.fromModule(), CkptPath.LAST);
        Tensor afterPredict = (Tensor) StateDicts.of(model).get("layer.weight");

        assertTrue("best: the weights of epoch 1", best.equal(afterValidate));
        assertTrue("last: the weights the fit ended with", last.equal(afterPredict));
        assertFalse("the two checkpoints differ, so the test tells them apart", best.equal(last));
    }

    @SuppressWarnings("unchecked")
    private static Tensor weight(Path ckpt) {
        return (Tensor) ((Map<String, Object>) CheckpointFile.read(ckpt).get("state_dict")).get("layer.weight");
    }

    @Test
    public void aMissingMonitoredMetricIsAnError() {
        ModelCheckpoint checkpoint = new ModelCheckpoint(ModelCheckpoint.Settings.defaults().monitor("val_acc", ModelCheckpoint.Mode.MAX));

        TorchlightException e = assertThrows(TorchlightException.class, () -> trainer(checkpoint, 1).fit(new Scripted(1)));

        assertTrue(e.getMessage(), e.getMessage().contains("monitor='val_acc'") && e.getMessage().contains("val_loss"));
    }
    @Test
    public void withSaveLastTheStepTrainingEndsAtGoesIntoLastCkptEvenOffTheEveryNSchedule() throws IOException {
        ModelCheckpoint checkpoint = new ModelCheckpoint(ModelCheckpoint.Settings.defaults().every(3, 0).last(true));

        trainer(checkpoint, 4).fit(new BoringModel()); // 8 steps: saves at 3 and 6, training ends at 8

        assertEquals(List.of("epoch=2-step=6.ckpt", "last.ckpt"), files());
        assertEquals(8L, CheckpointFile.read(tmp.getRoot().toPath().resolve("lightning_logs/version_0/checkpoints/last.ckpt")).get("global_step"));
    }

    /** Lightning's ModelCheckpoint.load_state_dict: state from another dirpath restores only best_model_path. */
    @Test
    public void aResumedRunInAnotherFolderNeverTouchesTheFilesOfTheRunItResumes() throws IOException {
        ModelCheckpoint first = new ModelCheckpoint(ModelCheckpoint.Settings.defaults().last(true));
        trainer(first, 2).fit(new BoringModel());
        Path firstLast = first.lastModelPath().orElseThrow();
        byte[] before = Files.readAllBytes(firstLast);
        Map<String, Object> state = first.stateDict();

        Path elsewhere = tmp.newFolder("resumed").toPath();
        ModelCheckpoint resumed = new ModelCheckpoint(ModelCheckpoint.Settings.defaults().last(true).file(elsewhere, null));
        resumed.setup(null, null, null);
        resumed.loadStateDict(state);

        assertEquals(first.bestModelPath(), resumed.bestModelPath());
        assertTrue("kept files of the other folder are not this callback's", resumed.bestKModels().isEmpty());
        assertTrue(resumed.lastModelPath().isEmpty());
        assertTrue(Arrays.equals(before, Files.readAllBytes(firstLast)));
    }

    /** Lightning 1.6.5's ModelCheckpoint._should_skip_saving_checkpoint: a fast_dev_run saves nothing, last.ckpt included. */
    @Test
    public void aFastDevRunSavesNothing() {
        Path dir = tmp.getRoot().toPath().resolve("smoke");
        ModelCheckpoint checkpoint = new ModelCheckpoint(ModelCheckpoint.Settings.defaults().file(dir, "{step}")
                .every(1, 0).last(true));
        Trainer trainer = Torchlight.trainer(TrainerConfig.builder().fastDevRun(2).defaultRootDir(tmp.getRoot().toPath())
                .build(), TrainerPlugins.of(new CpuAccelerator(), new SingleDeviceStrategy()).withCallback(checkpoint));

        trainer.fit(new BoringModel());

        assertEquals(2, trainer.view().globalStep());
        assertFalse("no checkpoint folder: " + dir, Files.exists(dir));
        assertTrue(checkpoint.lastModelPath().isEmpty());
    }

    /**
     * Lightning 1.6.5's ModelCheckpoint._should_save_on_train_epoch_end: with validation once per epoch the epoch's
     * checkpoint is saved at the training epoch's end (after trainingEpochEnd, which runs after validation), so a metric
     * logged in trainingEpochEnd can be monitored.
     */
    @Test
    public void withValidationOncePerEpochTheEpochCheckpointSeesWhatTrainingEpochEndLogged() throws IOException {
        double[] epochMetric = {3, 1, 2};
        ModelCheckpoint checkpoint = new ModelCheckpoint(ModelCheckpoint.Settings.defaults()
                .monitor("epoch_metric", ModelCheckpoint.Mode.MIN));
        trainer(checkpoint, 3).fit(new Scripted(5, 5, 5) {
            @Override
            public void trainingEpochEnd(List<Object> outputs) {
                log("epoch_metric", epochMetric[currentEpoch()]);
            }
        });

        assertEquals(List.of("epoch=1-step=4.ckpt"), files());
        assertEquals(1.0, checkpoint.bestModelScore().orElseThrow(), 0);
    }
}
