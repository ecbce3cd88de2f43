package io.torchlight.api;

import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.osgi.annotation.versioning.ProviderType;

import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.callback.Callback;
import io.torchlight.api.logger.Logger;
import io.torchlight.api.optim.LightningOptimizer;
import io.torchlight.api.optim.LrSchedulerConfig;
import io.torchlight.api.strategy.Strategy;
import io.torchlight.utils.data.DataLoader;

/**
 * The trainer: runs {@code fit}, {@code validate}, {@code test} and {@code predict} on a
 * {@link LightningModule}, and is what hooks see as {@code trainer}. Made by a {@link TrainerFactory}
 * (in the container) or by {@code io.torchlight.core.Torchlight.trainer(config)} (plain Java).
 * One trainer runs one stage at a time, on the calling thread.
 */
@ProviderType
public interface Trainer extends AutoCloseable {

    /** Trains; validation runs when the module (or the given loaders) provide validation data. */
    void fit(LightningModule module);

    /** Trains on these loaders; {@code val} may be null. */
    void fit(LightningModule module, DataLoader train, DataLoader val);

    /** Trains on a data module's loaders. */
    void fit(LightningModule module, LightningDataModule data);

    /**
     * Resumes training from a checkpoint: weights, optimizers, schedulers, loop counters (mid-epoch too),
     * callback states and the random generator, so the fit ends as an uninterrupted one would.
     */
    void fit(LightningModule module, java.nio.file.Path ckptPath);

    /** Resumes training from a checkpoint, with a data module. */
    void fit(LightningModule module, LightningDataModule data, java.nio.file.Path ckptPath);

    /** Writes a checkpoint of the current (or last) fit, atomically. */
    void saveCheckpoint(java.nio.file.Path path);

    /** Writes a checkpoint; {@code weightsOnly} leaves out optimizer, scheduler and loop states. */
    void saveCheckpoint(java.nio.file.Path path, boolean weightsOnly);

    /**
     * Validates with the weights of a checkpoint: {@code "best"} or {@code "last"} (from the checkpointing
     * callback of the last fit) or a file path.
     */
    List<Map<String, Double>> validate(LightningModule module, String ckptPath);

    /** Tests with the weights of a checkpoint: {@code "best"}, {@code "last"} or a file path. */
    List<Map<String, Double>> test(LightningModule module, String ckptPath);

    /** After {@code fit}: tests the fitted module with the best checkpoint's weights, as Lightning's {@code trainer.test()}. */
    List<Map<String, Double>> test();

    /** Predicts with the weights of a checkpoint: {@code "best"}, {@code "last"} or a file path. */
    List<Object> predict(LightningModule module, String ckptPath);

    /** One pass over the validation data; one map of epoch metrics per dataloader. */
    List<Map<String, Double>> validate(LightningModule module);

    List<Map<String, Double>> validate(LightningModule module, DataLoader val);

    List<Map<String, Double>> validate(LightningModule module, LightningDataModule data);

    /** One pass over the test data; one map of epoch metrics per dataloader. */
    List<Map<String, Double>> test(LightningModule module);

    List<Map<String, Double>> test(LightningModule module, DataLoader test);

    List<Map<String, Double>> test(LightningModule module, LightningDataModule data);

    /** The predictions of every batch of the (first) prediction dataloader. */
    List<Object> predict(LightningModule module);

    List<Object> predict(LightningModule module, DataLoader predict);

    List<Object> predict(LightningModule module, LightningDataModule data);

    /** The configuration this trainer was made with. */
    TrainerConfig config();

    /** The stage being run, or null between runs. */
    Stage stage();

    /** Whether the validation sanity check is running. */
    boolean sanityChecking();

    /** Training epochs completed so far (the current epoch's index while one runs). */
    int currentEpoch();

    /** Optimizer steps taken so far. */
    long globalStep();

    /** Whether training will stop at the next check (after minEpochs/minSteps). */
    boolean shouldStop();

    /** Asks training to stop (EarlyStopping does this); honoured once minEpochs and minSteps are reached. */
    void setShouldStop(boolean value);

    /**
     * Stops the running stage at the next batch boundary, from any thread, regardless of minEpochs: the
     * stage's end hooks still run and loggers are finalized as {@code interrupted}.
     */
    void requestStop();

    /** Whether {@link #requestStop()} was called. */
    boolean stopRequested();

    /**
     * Latest values of every logged metric: step values under their step names, epoch values under their
     * epoch names and, once an epoch is reduced, the plain names. Reading it reads the device.
     */
    Map<String, Double> callbackMetrics();

    /** What was last sent to the loggers. */
    Map<String, Double> loggedMetrics();

    /** The metrics logged with {@code progBar}, as last computed. */
    Map<String, Double> progressBarMetrics();

    List<Callback> callbacks();

    List<Logger> loggers();

    /** The first logger, or null. */
    Logger logger();

    List<LightningOptimizer> optimizers();

    List<LrSchedulerConfig> lrSchedulers();

    Accelerator accelerator();

    Strategy strategy();

    /** Training batches per epoch after limits, or 0 before training starts. */
    int numTrainingBatches();

    /** Validation batches per dataloader after limits. */
    List<Integer> numValBatches();

    /** The run's output folder (see {@link TrainerConfig#runDir()}). */
    java.nio.file.Path logDir();

    /** Whether this process is rank 0. */
    boolean isGlobalZero();

    /**
     * Records a metric for the current hook; what {@link LightningModule#log} calls. Fails naming the
     * hook when logging is not allowed there.
     */
    void log(String name, Object value, LogOptions options);

    /** Releases the plug-in instances this trainer took (strategy, loggers, callbacks from services). */
    @Override
    void close();

    /** Back-propagates in manual optimization with the backward hooks; what {@link LightningModule#manualBackward} calls. */
    void manualBackward(Tensor loss);
}
