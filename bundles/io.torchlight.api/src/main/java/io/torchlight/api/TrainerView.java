package io.torchlight.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bytedeco.pytorch.Tensor;
import org.osgi.annotation.versioning.ProviderType;

import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.accelerator.Precision;
import io.torchlight.api.logger.Logger;
import io.torchlight.api.optim.LightningOptimizer;
import io.torchlight.api.optim.LrSchedulerConfig;
import io.torchlight.api.strategy.Strategy;

/**
 * The running trainer as hooks and callbacks see it ({@code trainer} in Lightning's callback hooks): the stage,
 * counters, metrics and plug-ins. Besides reading, a callback can ask training to stop and write a checkpoint
 * (what EarlyStopping and ModelCheckpoint do); running stages is for the {@link Trainer} that owns it.
 */
@ProviderType
public interface TrainerView {

    /** The configuration the trainer was made with, as given. */
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

    /**
     * The latest tensor logged under {@code key} (its name, or its {@code _step} name), as Lightning's
     * {@code callback_metrics} holds it: with its autograd graph when logged with {@code enableGraph}, detached
     * otherwise; empty when nothing or a number was logged there. The handle is the caller's.
     */
    Optional<Tensor> loggedTensor(String key);

    /** What was last sent to the loggers. */
    Map<String, Double> loggedMetrics();

    /** The metrics logged with {@code progBar}, as last computed. */
    Map<String, Double> progressBarMetrics();

    List<Callback> callbacks();

    List<Logger> loggers();

    /** The first logger, or null. */
    Logger logger();

    /** The data module of the running (or last) stage, or null. */
    LightningDataModule datamodule();

    List<LightningOptimizer> optimizers();

    List<LrSchedulerConfig> lrSchedulers();

    Accelerator accelerator();

    Strategy strategy();

    /** The precision the trainer runs in. */
    Precision precision();

    /** Training batches per epoch after limits, or 0 before training starts. */
    int numTrainingBatches();

    /** Validation batches per dataloader after limits. */
    List<Integer> numValBatches();

    /** The run's output folder: {@code defaultRootDir/lightning_logs/version_<n>} unless the run names one. */
    Path logDir();

    /** Writes a checkpoint of the running fit, atomically, as Lightning's {@code trainer.save_checkpoint}. */
    void saveCheckpoint(Path path, boolean weightsOnly);

    /** Whether this process is rank 0. */
    boolean isGlobalZero();

    /** Lightning's {@code trainer.world_size}: how many processes train together (1 without a strategy). */
    default int worldSize() {
        return strategy() == null ? 1 : strategy().worldSize();
    }

    /** Lightning's {@code trainer.global_rank}. */
    default int globalRank() {
        return strategy() == null ? 0 : strategy().globalRank();
    }

    /** Lightning's {@code trainer.local_rank}: the rank on this node. */
    default int localRank() {
        return strategy() == null ? 0 : strategy().localRank();
    }

    /** Lightning's {@code trainer.node_rank}. */
    default int nodeRank() {
        return strategy() == null ? 0 : strategy().nodeRank();
    }
}
