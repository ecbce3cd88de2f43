package io.torchlight.core.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bytedeco.pytorch.Tensor;

import io.torchlight.api.Callback;
import io.torchlight.api.LightningDataModule;
import io.torchlight.api.Stage;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerView;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.accelerator.Precision;
import io.torchlight.api.logger.Logger;
import io.torchlight.api.optim.LightningOptimizer;
import io.torchlight.api.optim.LrSchedulerConfig;
import io.torchlight.api.strategy.Strategy;
import io.torchlight.core.internal.loops.RunContext;

/** The {@link TrainerView} of a {@link DefaultTrainer}: reads its state, changes nothing but the stop flags. */
public final class LiveView implements TrainerView {

    private final DefaultTrainer trainer;

    LiveView(DefaultTrainer trainer) {
        this.trainer = trainer;
    }

    @Override
    public TrainerConfig config() {
        return trainer.config;
    }

    @Override
    public Stage stage() {
        return trainer.state.stage();
    }

    @Override
    public boolean sanityChecking() {
        return trainer.state.sanityChecking();
    }

    @Override
    public int currentEpoch() {
        return trainer.progress.epoch();
    }

    @Override
    public long globalStep() {
        return trainer.progress.optimizerSteps();
    }

    @Override
    public boolean shouldStop() {
        return trainer.state.shouldStop();
    }

    @Override
    public void setShouldStop(boolean value) {
        trainer.state.shouldStop(value);
    }

    @Override
    public void requestStop() {
        trainer.state.requestStop();
    }

    @Override
    public boolean stopRequested() {
        return trainer.state.interrupted();
    }

    @Override
    public Map<String, Double> callbackMetrics() {
        return trainer.logging.callbackMetrics();
    }

    @Override
    public Optional<Tensor> loggedTensor(String key) {
        return Optional.ofNullable(trainer.logging.loggedTensor(key));
    }

    @Override
    public Map<String, Double> loggedMetrics() {
        return trainer.logging.loggedMetrics();
    }

    @Override
    public Map<String, Double> progressBarMetrics() {
        return trainer.logging.progressBarMetrics();
    }

    @Override
    public List<Callback> callbacks() {
        return trainer.hooks.callbackList();
    }

    @Override
    public List<Logger> loggers() {
        return trainer.logging.loggers();
    }

    @Override
    public Logger logger() {
        List<Logger> all = trainer.logging.loggers();
        return all.isEmpty() ? null : all.get(0);
    }

    @Override
    public LightningDataModule datamodule() {
        RunContext ctx = trainer.current;
        return ctx == null ? null : ctx.data.dataModule();
    }

    @Override
    public List<LightningOptimizer> optimizers() {
        RunContext ctx = trainer.current;
        return ctx == null ? List.of() : List.copyOf(ctx.optimization().optimizers());
    }

    @Override
    public List<LrSchedulerConfig> lrSchedulers() {
        RunContext ctx = trainer.current;
        return ctx == null ? List.of() : ctx.optimization().schedulers();
    }

    @Override
    public Accelerator accelerator() {
        return trainer.accelerator;
    }

    @Override
    public Strategy strategy() {
        return trainer.strategy;
    }

    @Override
    public Precision precision() {
        return trainer.config.precision();
    }

    @Override
    public int numTrainingBatches() {
        RunContext ctx = trainer.current;
        return ctx == null ? 0 : ctx.batches().training();
    }

    @Override
    public List<Integer> numValBatches() {
        RunContext ctx = trainer.current;
        return ctx == null ? List.of() : ctx.batches().validation();
    }

    @Override
    public Path logDir() {
        return trainer.logDir();
    }

    @Override
    public void saveCheckpoint(Path path, boolean weightsOnly) {
        trainer.saveCheckpoint(path, weightsOnly);
    }

    @Override
    public boolean isGlobalZero() {
        return trainer.strategy.isGlobalZero();
    }
}
