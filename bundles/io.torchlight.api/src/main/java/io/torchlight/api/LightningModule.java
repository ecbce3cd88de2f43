package io.torchlight.api;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

import io.torchlight.api.accelerator.Precision;
import io.torchlight.api.logger.Logger;
import io.torchlight.api.optim.LightningOptimizer;
import io.torchlight.api.optim.LrSchedulerConfig;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.optim.LrScheduler;
import io.torchlight.utils.optim.OptimizerParameters;

/**
 * A model organised the Lightning way: a libtorch {@link org.bytedeco.pytorch.Module} (register layers
 * with {@code registerModule}) whose training, evaluation and optimizer set-up live in overridable
 * methods that the {@link Trainer} calls in Lightning 1.6's order. Only {@link #trainingStep},
 * {@link #configureOptimizers} and a data source are needed to train.
 *
 * <p>Steps return a loss {@link Tensor}, a {@code Map} holding {@code "loss"} (and anything else), or
 * {@code null} to skip the batch.
 *
 * <p>Native memory: every batch (training, evaluation, prediction) runs inside its own JavaCPP
 * {@link org.bytedeco.javacpp.PointerScope}, so the tensors a step and its batch hooks create are freed
 * when the batch ends; what the trainer keeps (outputs for epoch-end hooks, logged values, predictions)
 * it retains itself. A tensor your own code must keep beyond its batch needs {@code retainReference()}
 * (and {@code releaseReference()} when done). Set-up hooks, dataloader hooks and
 * {@code configureOptimizers} run outside any scope. In the container a module is a prototype-scope service with
 * {@link #PROPERTY_NAME}: each run gets a fresh instance.
 */
@ConsumerType
public abstract class LightningModule extends Module implements ModelHooks, DataHooks, CheckpointHooks,
        OptimizationHooks {

    /** Service property: the name runs select this module by ({@link String}). */
    public static final String PROPERTY_NAME = "torchlight.module.name";

    private volatile TrainerLink link;
    private boolean automaticOptimization = true;
    private int truncatedBpttSteps;
    private Tensor exampleInputArray;
    private final Map<String, Object> hparams = new LinkedHashMap<>();
    private final Map<Tensor, Boolean> toggledRequiresGrad = new LinkedHashMap<>();

    protected LightningModule() {
        super();
    }

    // ---- the model ----------------------------------------------------------------------------------

    /** The model's computation; by default predictions call it with the batch's first tensor. */
    public Tensor forward(Tensor input) {
        throw new TorchlightException(getClass().getName() + " does not override forward(Tensor)");
    }

    /** Registers a child module under a name, so its parameters belong to this module. */
    public <M extends Module> M registerModule(String name, M module) {
        return register_module(name, module);
    }

    // ---- steps --------------------------------------------------------------------------------------

    /** One training step: returns the loss, a {@code Map} with {@code "loss"}, or null to skip the batch. */
    public Object trainingStep(Batch batch, int batchIdx) {
        throw new TorchlightException(getClass().getName() + " does not override trainingStep(Batch, int)");
    }

    /** The training step with several optimizers in automatic optimization; defaults to {@link #trainingStep(Batch, int)}. */
    public Object trainingStep(Batch batch, int batchIdx, int optimizerIdx) {
        return trainingStep(batch, batchIdx);
    }

    /**
     * The training step with truncated back-propagation through time ({@link #truncatedBpttSteps} &gt; 0):
     * called once per time split; {@code hiddens} is what the previous split returned under
     * {@code "hiddens"} (detached), null for the first split.
     */
    public Object trainingStep(Batch batch, int batchIdx, int optimizerIdx, Object hiddens) {
        return trainingStep(batch, batchIdx, optimizerIdx);
    }

    /** Post-processes the step output (for strategies that split a batch); identity by default. */
    public Object trainingStepEnd(Object stepOutput) {
        return stepOutput;
    }

    /** Receives every training step output of the epoch; outputs are only kept when this is overridden. */
    public void trainingEpochEnd(List<Object> outputs) {
    }

    /** One validation step; what it returns goes to {@link #validationEpochEnd}. The trainer skips validation when no validation step is overridden. */
    public Object validationStep(Batch batch, int batchIdx) {
        return null;
    }

    /** The validation step with several validation dataloaders. */
    public Object validationStep(Batch batch, int batchIdx, int dataloaderIdx) {
        return validationStep(batch, batchIdx);
    }

    /** Post-processes the validation step output; identity by default. */
    public Object validationStepEnd(Object stepOutput) {
        return stepOutput;
    }

    /** Receives every validation step output of the epoch. */
    public void validationEpochEnd(List<Object> outputs) {
    }

    /** One test step. */
    public Object testStep(Batch batch, int batchIdx) {
        return null;
    }

    /** The test step with several test dataloaders. */
    public Object testStep(Batch batch, int batchIdx, int dataloaderIdx) {
        return testStep(batch, batchIdx);
    }

    /** Post-processes the test step output; identity by default. */
    public Object testStepEnd(Object stepOutput) {
        return stepOutput;
    }

    /** Receives every test step output of the epoch. */
    public void testEpochEnd(List<Object> outputs) {
    }

    /** One prediction: {@link #forward} on the batch's first tensor by default. */
    public Object predictStep(Batch batch, int batchIdx, int dataloaderIdx) {
        return forward(batch.input());
    }

    // ---- optimization -------------------------------------------------------------------------------

    /**
     * The optimizers (and schedulers): return an {@link org.bytedeco.pytorch.Optimizer}, a {@code List}
     * of them, or an {@link io.torchlight.api.optim.OptimizerConfig}.
     */
    public Object configureOptimizers() {
        throw new TorchlightException(getClass().getName() + " does not override configureOptimizers()");
    }

    /** Callbacks this module brings; they join the trainer's (replacing ones of the same class). */
    public List<Callback> configureCallbacks() {
        return List.of();
    }

    // ---- utilities ----------------------------------------------------------------------------------

    /** Logs a metric with the current hook's defaults. */
    public void log(String name, Object value) {
        log(name, value, LogOptions.DEFAULT);
    }

    /** Logs a metric: a scalar {@link Tensor} or a {@link Number}. */
    public void log(String name, Object value, LogOptions options) {
        requireLink("log").log(name, value, options);
    }

    /** Logs several metrics with the same options. */
    public void logDict(Map<String, ?> metrics, LogOptions options) {
        metrics.forEach((name, value) -> log(name, value, options));
    }

    /** Logs several metrics with the current hook's defaults. */
    public void logDict(Map<String, ?> metrics) {
        logDict(metrics, LogOptions.DEFAULT);
    }

    /** The optimizers, in {@link #configureOptimizers} order (for manual optimization). */
    public List<LightningOptimizer> optimizers() {
        return requireLink("optimizers").view().optimizers();
    }

    /** The single optimizer, when there is exactly one. */
    public LightningOptimizer optimizer() {
        List<LightningOptimizer> all = optimizers();
        if (all.size() != 1) {
            throw new TorchlightException("optimizer() needs exactly one optimizer; there are " + all.size() + ": use optimizers()");
        }
        return all.get(0);
    }

    /** The learning-rate schedulers. */
    public List<LrScheduler> lrSchedulers() {
        return requireLink("lrSchedulers").view().lrSchedulers().stream().map(LrSchedulerConfig::scheduler).toList();
    }

    /** Back-propagates in manual optimization, with the backward hooks around it. */
    public void manualBackward(Tensor loss) {
        requireLink("manualBackward").manualBackward(loss);
    }

    /**
     * Makes only this optimizer's parameters require gradients (for GANs with several optimizers);
     * {@link #untoggleOptimizer} restores the previous state.
     */
    public void toggleOptimizer(LightningOptimizer optimizer) {
        untoggleOptimizer();
        List<Tensor> mine = OptimizerParameters.of(optimizer.optimizer());
        for (LightningOptimizer other : optimizers()) {
            for (Tensor p : OptimizerParameters.of(other.optimizer())) {
                boolean own = mine.stream().anyMatch(m -> m.is_same(p));
                if (!own) {
                    toggledRequiresGrad.put(p, p.requires_grad());
                    p.requires_grad_(false);
                }
            }
        }
    }

    /** Restores what {@link #toggleOptimizer} changed. */
    public void untoggleOptimizer() {
        toggledRequiresGrad.forEach((p, requires) -> p.requires_grad_(requires));
        toggledRequiresGrad.clear();
    }

    /** Stops gradients for every parameter and switches to evaluation mode. */
    public void freeze() {
        for (Tensor p : parameters().get()) {
            p.requires_grad_(false);
        }
        eval();
    }

    /** Re-enables gradients for every parameter and switches to training mode. */
    public void unfreeze() {
        for (Tensor p : parameters().get()) {
            p.requires_grad_(true);
        }
        train(true);
    }

    /** Records hyperparameters: saved in checkpoints and sent to the loggers. */
    public void saveHyperparameters(Map<String, ?> values) {
        hparams.putAll(values);
    }

    /** The recorded hyperparameters. */
    public Map<String, Object> hparams() {
        return Collections.unmodifiableMap(hparams);
    }

    /** Prints on global rank 0 only. */
    public void print(Object... parts) {
        if (fromTrainer(TrainerView::isGlobalZero, true)) {
            System.out.println(Arrays.stream(parts).map(String::valueOf).collect(Collectors.joining(" ")));
        }
    }

    /** Gathers a tensor from every process (a new dimension 0 of size worldSize). */
    public Tensor allGather(Tensor value) {
        return requireLink("allGather").view().strategy().allGather(value);
    }

    /**
     * A module with the weights of a checkpoint: {@code factory} builds it from the checkpoint's
     * {@code hyper_parameters}; loading is strict (missing or unexpected keys and shape mismatches are an
     * error naming them). The module is frozen into evaluation mode only if you call {@link #freeze()}.
     */
    public static <M extends LightningModule> M loadFromCheckpoint(Path path, Function<Map<String, Object>, M> factory) {
        return loadFromCheckpoint(path, factory, true);
    }

    /** As {@link #loadFromCheckpoint(Path, Function)}; not strict loads what matches. */
    public static <M extends LightningModule> M loadFromCheckpoint(Path path, Function<Map<String, Object>, M> factory,
            boolean strict) {
        return ModuleCheckpoints.load(path, factory, strict);
    }

    // ---- properties ---------------------------------------------------------------------------------

    /** The trainer running this module (what its hooks see), or null. */
    public TrainerView trainer() {
        TrainerLink current = link;
        return current == null ? null : current.view();
    }

    /** Connects this module to the trainer that runs it, or disconnects it (null); the trainer calls this. */
    public void attach(TrainerLink value) {
        link = value;
    }

    /** What the running trainer says, or {@code otherwise} without one. */
    private <T> T fromTrainer(Function<TrainerView, T> value, T otherwise) {
        TrainerView trainer = trainer();
        return trainer == null ? otherwise : value.apply(trainer);
    }

    public int currentEpoch() {
        return fromTrainer(TrainerView::currentEpoch, 0);
    }

    public long globalStep() {
        return fromTrainer(TrainerView::globalStep, 0L);
    }

    /** The device the module trains on (CPU without a trainer). */
    public Device device() {
        Device device = fromTrainer(t -> t.strategy() == null ? null : t.strategy().rootDevice(), null);
        return device == null ? new Device("cpu") : device;
    }

    /** This process's rank across all nodes (Lightning's {@code self.global_rank}); 0 without a trainer. */
    public int globalRank() {
        return fromTrainer(TrainerView::globalRank, 0);
    }

    /** This process's rank on its node ({@code self.local_rank}). */
    public int localRank() {
        return fromTrainer(TrainerView::localRank, 0);
    }

    /** How many processes train together ({@code trainer.world_size}); 1 without a trainer. */
    public int worldSize() {
        return fromTrainer(TrainerView::worldSize, 1);
    }

    /** The node this process runs on ({@code trainer.node_rank}). */
    public int nodeRank() {
        return fromTrainer(TrainerView::nodeRank, 0);
    }

    /** The first logger, or null. */
    public Logger logger() {
        return fromTrainer(TrainerView::logger, null);
    }

    public List<Logger> loggers() {
        return fromTrainer(TrainerView::loggers, List.of());
    }

    /** The trainer's precision ({@code 32} without a trainer). */
    public Precision precision() {
        return fromTrainer(TrainerView::precision, Precision.FP32);
    }

    /** Whether the trainer optimizes (true, the default) or the steps do it themselves. */
    public boolean automaticOptimization() {
        return automaticOptimization;
    }

    public void automaticOptimization(boolean value) {
        automaticOptimization = value;
    }

    /** An example input, for the model summary and exports; null by default. */
    public Tensor exampleInputArray() {
        return exampleInputArray;
    }

    public void exampleInputArray(Tensor value) {
        exampleInputArray = value;
    }

    /** Truncated back-propagation length in time steps; 0 (the default) disables it. */
    public int truncatedBpttSteps() {
        return truncatedBpttSteps;
    }

    public void truncatedBpttSteps(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("truncatedBpttSteps must be >= 0, got " + value);
        }
        truncatedBpttSteps = value;
    }

    /** The size of parameters and buffers in megabytes (10^6 bytes). */
    public double modelSize() {
        long bytes = 0;
        for (Tensor t : parameters().get()) {
            bytes += t.numel() * t.element_size();
        }
        for (Tensor t : buffers().get()) {
            bytes += t.numel() * t.element_size();
        }
        return bytes / 1e6;
    }

    private TrainerLink requireLink(String utility) {
        TrainerLink current = link;
        if (current == null) {
            throw new TorchlightException(utility + "() needs a trainer: call it from a hook while the trainer runs this module");
        }
        return current;
    }
}
