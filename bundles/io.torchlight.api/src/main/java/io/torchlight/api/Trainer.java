package io.torchlight.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The trainer as its owner holds it: runs {@code fit}, {@code validate}, {@code test} and {@code predict} on a
 * {@link LightningModule}, one stage at a time on the calling thread. Each stage takes one {@link Data} value
 * (where the data comes from) and one {@link CkptPath} (which checkpoint to start from), as Lightning's
 * {@code trainer.fit(model, datamodule=..., ckpt_path=...)}. Hooks and callbacks see the trainer through its
 * {@link #view()}. Made by a {@link TrainerFactory} (in the container) or by
 * {@code io.torchlight.core.Torchlight.trainer(config, plugins)} (plain Java).
 */
@ProviderType
public interface Trainer extends AutoCloseable {

    /**
     * Trains. From a checkpoint it resumes: weights, optimizers, schedulers, loop counters (mid-epoch too),
     * callback states and the random generator, so the fit ends as an uninterrupted one would.
     */
    void fit(LightningModule module, Data data, CkptPath ckpt);

    /** Trains on the module's own dataloaders. */
    default void fit(LightningModule module) {
        fit(module, Data.fromModule(), CkptPath.NONE);
    }

    /** Trains on this data. */
    default void fit(LightningModule module, Data data) {
        fit(module, data, CkptPath.NONE);
    }

    /** One pass over the validation data with the checkpoint's weights; one map of epoch metrics per dataloader. */
    List<Map<String, Double>> validate(LightningModule module, Data data, CkptPath ckpt);

    /** Validates the module's current weights on its own dataloaders, as Lightning's {@code trainer.validate(model)}. */
    default List<Map<String, Double>> validate(LightningModule module) {
        return validate(module, Data.fromModule(), CkptPath.NONE);
    }

    /** One pass over the test data with the checkpoint's weights; one map of epoch metrics per dataloader. */
    List<Map<String, Double>> test(LightningModule module, Data data, CkptPath ckpt);

    /** Tests the module's current weights on its own dataloaders, as Lightning's {@code trainer.test(model)}. */
    default List<Map<String, Double>> test(LightningModule module) {
        return test(module, Data.fromModule(), CkptPath.NONE);
    }

    /** The predictions of every batch of the prediction data, with the checkpoint's weights. */
    List<Object> predict(LightningModule module, Data data, CkptPath ckpt);

    /** Predicts with the module's current weights on its own dataloader, as Lightning's {@code trainer.predict(model)}. */
    default List<Object> predict(LightningModule module) {
        return predict(module, Data.fromModule(), CkptPath.NONE);
    }

    /** Writes a checkpoint of the current (or last) fit, atomically; {@code weightsOnly} leaves out optimizer and loop states. */
    void saveCheckpoint(Path path, boolean weightsOnly);

    /** What hooks and callbacks see: counters, metrics, plug-ins; readable after a stage too. */
    TrainerView view();

    /** Releases the plug-in instances this trainer took (strategy, loggers, callbacks from services). */
    @Override
    void close();
}
