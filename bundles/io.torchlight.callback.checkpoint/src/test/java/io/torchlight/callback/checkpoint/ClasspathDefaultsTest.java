package io.torchlight.callback.checkpoint;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.torchlight.api.Callback;
import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.Limit;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.core.Torchlight;
import io.torchlight.demos.BoringModel;
import io.torchlight.utils.data.Batch;

/**
 * Outside the container a trainer built with no plug-ins gets Lightning's {@code Trainer()} defaults from the jars on
 * the class path: here the CPU accelerator, the single-device strategy, a ModelCheckpoint and the CSV logger (no
 * TensorBoard jar on this class path), writing under {@code defaultRootDir/lightning_logs/version_0}.
 */
public class ClasspathDefaultsTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private TrainerConfig.Builder config() {
        return TrainerConfig.builder().maxEpochs(2).limitTrainBatches(Limit.count(4)).limitValBatches(Limit.count(2))
                .limitTestBatches(Limit.count(2)).enableProgressBar(false).enableModelSummary(false).seed(3L)
                .defaultRootDir(tmp.getRoot().toPath());
    }

    /**
     * Lightning 1.6.5's tests/checkpointing/test_model_checkpoint.py::test_default_checkpoint_behavior: the default
     * ModelCheckpoint keeps the last epoch's checkpoint, {@code epoch=1-step=8.ckpt} after 2 epochs of 4 batches, in
     * the logger's version folder; and {@code test(ckpt_path="best")} tests with it.
     */
    @Test
    public void aTrainerWithoutPluginsCheckpointsAndLogsLikeLightningsDefaultTrainer() throws Exception {
        Trainer trainer = Torchlight.trainer(config().build());
        BoringModel model = new BoringModel() {
            @Override
            public Object validationStep(Batch batch, int batchIdx) {
                log("val_loss", loss(forward(batch.input())));
                return null;
            }
        };

        trainer.fit(model);

        Path version = tmp.getRoot().toPath().resolve("lightning_logs").resolve("version_0");
        assertEquals("cpu", trainer.view().accelerator().name());
        assertEquals("csv", trainer.view().logger().name());
        List<Callback> checkpointing = trainer.view().callbacks().stream().filter(c -> c instanceof ModelCheckpoint).toList();
        assertEquals(1, checkpointing.size());
        try (var files = Files.list(version.resolve("checkpoints"))) {
            assertEquals(List.of("epoch=1-step=8.ckpt"), files.map(f -> f.getFileName().toString()).toList());
        }
        List<String> csv = Files.readAllLines(version.resolve("metrics.csv"));
        assertEquals("one validation row per epoch: " + csv, 3, csv.size());
        assertEquals(version.resolve("checkpoints").resolve("epoch=1-step=8.ckpt"),
                ((ModelCheckpoint) checkpointing.get(0)).bestModelPath().orElseThrow());
        List<?> results = trainer.test(model, Data.fromModule(), CkptPath.BEST);
        assertEquals(1, results.size());
    }

    @Test
    public void switchedOffDefaultsStayOff() {
        Trainer trainer = Torchlight.trainer(config().enableCheckpointing(false).logger(false).build());

        trainer.fit(new BoringModel());

        assertTrue(trainer.view().loggers().isEmpty());
        assertTrue(trainer.view().callbacks().stream().noneMatch(c -> c instanceof ModelCheckpoint));
        assertTrue(Files.notExists(tmp.getRoot().toPath().resolve("lightning_logs").resolve("version_0").resolve("checkpoints")));
    }
}
