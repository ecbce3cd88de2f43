package io.torchlight.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.osgi.annotation.versioning.ConsumerType;

import io.torchlight.api.callback.Callback;
import io.torchlight.api.logger.Logger;
import io.torchlight.api.optim.LightningOptimizer;
import io.torchlight.api.optim.LrSchedulerConfig;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;
import io.torchlight.utils.optim.LrScheduler;

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
public abstract class LightningModule extends org.bytedeco.pytorch.Module {

    /** Service property: the name runs select this module by ({@link String}). */
    public static final String PROPERTY_NAME = "torchlight.module.name";

    private volatile Trainer trainer;
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
    public <M extends org.bytedeco.pytorch.Module> M registerModule(String name, M module) {
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

    /** One validation step; what it returns goes to {@link #validationEpochEnd}. Null when not overridden. */
    public Object validationStep(Batch batch, int batchIdx) {
        return NOT_IMPLEMENTED;
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
        return NOT_IMPLEMENTED;
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

    /**
     * Marker a default step returns to say "not overridden", so the trainer skips validation or testing
     * for modules without such a step. Never return it from your own code.
     */
    public static final Object NOT_IMPLEMENTED = new Object() {
        @Override
        public String toString() {
            return "NOT_IMPLEMENTED";
        }
    };

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

    /** Clips gradients before the update; by default with the trainer's gradientClipVal and algorithm. */
    public void configureGradientClipping(LightningOptimizer optimizer, int optimizerIdx, Double clipVal,
            GradientClipAlgorithm algorithm) {
        clipGradients(optimizer, clipVal, algorithm);
    }

    /** Clips the gradients of an optimizer's parameters by total norm or by value; nothing when clipVal is null or 0. */
    public void clipGradients(LightningOptimizer optimizer, Double clipVal, GradientClipAlgorithm algorithm) {
        if (clipVal == null || clipVal == 0) {
            return;
        }
        TensorVector params = optimizer.optimizer().parameters();
        if (algorithm == GradientClipAlgorithm.VALUE) {
            torch.clip_grad_value_(params, clipVal);
        } else {
            torch.clip_grad_norm_(params, clipVal);
        }
    }

    /** Steps an optimizer: by default {@code optimizer.step(closure)}. Override for warm-up or skipping. */
    public void optimizerStep(int epoch, int batchIdx, LightningOptimizer optimizer, int optimizerIdx, Runnable closure) {
        optimizer.step(closure);
    }

    /** Zeroes gradients: by default {@code optimizer.zeroGrad()}. */
    public void optimizerZeroGrad(int epoch, int batchIdx, LightningOptimizer optimizer, int optimizerIdx) {
        optimizer.zeroGrad();
    }

    /** Back-propagates the loss: by default {@code loss.backward()}. */
    public void backward(Tensor loss, LightningOptimizer optimizer, int optimizerIdx) {
        loss.backward();
    }

    /** Splits a batch for truncated back-propagation through time, along dimension 1 of every tensor. */
    public List<Batch> tbpttSplitBatch(Batch batch, int splitSize) {
        long length = batch.input().size(1);
        List<Batch> splits = new ArrayList<>();
        for (long start = 0; start < length; start += splitSize) {
            long from = start;
            long len = Math.min(splitSize, length - start);
            splits.add(batch.map(t -> t.narrow(1, from, len)));
        }
        return splits;
    }

    // ---- data ---------------------------------------------------------------------------------------

    /** Called once per run before setup: check, download or unpack data. */
    public void prepareData() {
    }

    /** Called at the start of every stage: build layers that depend on the data, split data. */
    public void setup(Stage stage) {
    }

    /** Called at the end of every stage. */
    public void teardown(Stage stage) {
    }

    /** The training data; null when it comes from elsewhere. */
    public DataLoader trainDataloader() {
        return null;
    }

    /** The validation data; null when there is none. */
    public DataLoader valDataloader() {
        return null;
    }

    /** The test data; null when there is none. */
    public DataLoader testDataloader() {
        return null;
    }

    /** The prediction data; null when there is none. */
    public DataLoader predictDataloader() {
        return null;
    }

    /** Alters a batch before it moves to the device; identity by default. */
    public Batch onBeforeBatchTransfer(Batch batch, int dataloaderIdx) {
        return batch;
    }

    /** Moves a batch to the device: {@code batch.to(device)} by default. */
    public Batch transferBatchToDevice(Batch batch, Device device, int dataloaderIdx) {
        return batch.to(device);
    }

    /** Alters a batch after it moved to the device (e.g. GPU augmentation); identity by default. */
    public Batch onAfterBatchTransfer(Batch batch, int dataloaderIdx) {
        return batch;
    }

    // ---- hooks --------------------------------------------------------------------------------------

    /** Called when fit begins. */
    public void onFitStart() {
    }

    /** Called when fit ends. */
    public void onFitEnd() {
    }

    /** Called before the pre-training routine. */
    public void onPretrainRoutineStart() {
    }

    /** Called after the pre-training routine. */
    public void onPretrainRoutineEnd() {
    }

    /** Called when training begins. */
    public void onTrainStart() {
    }

    /** Called when training ends. */
    public void onTrainEnd() {
    }

    /** Called when a validation loop begins. */
    public void onValidationStart() {
    }

    /** Called when a validation loop ends. */
    public void onValidationEnd() {
    }

    /** Called when the test loop begins. */
    public void onTestStart() {
    }

    /** Called when the test loop ends. */
    public void onTestEnd() {
    }

    /** Called when the prediction loop begins. */
    public void onPredictStart() {
    }

    /** Called when the prediction loop ends. */
    public void onPredictEnd() {
    }

    /** Called before a training batch; returning -1 ends the epoch here. */
    public int onTrainBatchStart(Batch batch, int batchIdx) {
        return 0;
    }

    /** Called after a training batch. */
    public void onTrainBatchEnd(Object outputs, Batch batch, int batchIdx) {
    }

    /** Called before a validation batch. */
    public void onValidationBatchStart(Batch batch, int batchIdx, int dataloaderIdx) {
    }

    /** Called after a validation batch. */
    public void onValidationBatchEnd(Object outputs, Batch batch, int batchIdx, int dataloaderIdx) {
    }

    /** Called before a test batch. */
    public void onTestBatchStart(Batch batch, int batchIdx, int dataloaderIdx) {
    }

    /** Called after a test batch. */
    public void onTestBatchEnd(Object outputs, Batch batch, int batchIdx, int dataloaderIdx) {
    }

    /** Called before a prediction batch. */
    public void onPredictBatchStart(Batch batch, int batchIdx, int dataloaderIdx) {
    }

    /** Called after a prediction batch. */
    public void onPredictBatchEnd(Object outputs, Batch batch, int batchIdx, int dataloaderIdx) {
    }

    /** Puts the module in evaluation mode for validation: {@code eval()} by default. */
    public void onValidationModelEval() {
        eval();
    }

    /** Puts the module back in training mode after validation: {@code train(true)} by default. */
    public void onValidationModelTrain() {
        train(true);
    }

    /** Puts the module in evaluation mode for testing. */
    public void onTestModelEval() {
        eval();
    }

    /** Puts the module back in training mode after testing. */
    public void onTestModelTrain() {
        train(true);
    }

    /** Puts the module in evaluation mode for prediction. */
    public void onPredictModelEval() {
        eval();
    }

    /** Called at the start of every training, validation and test epoch. */
    public void onEpochStart() {
    }

    /** Called at the end of every training, validation and test epoch. */
    public void onEpochEnd() {
    }

    /** Called when a training epoch begins. */
    public void onTrainEpochStart() {
    }

    /** Called when a training epoch ends, after the callbacks' {@code onTrainEpochEnd}. */
    public void onTrainEpochEnd() {
    }

    /** Called when a validation epoch begins. */
    public void onValidationEpochStart() {
    }

    /** Called when a validation epoch ends. */
    public void onValidationEpochEnd() {
    }

    /** Called when a test epoch begins. */
    public void onTestEpochStart() {
    }

    /** Called when a test epoch ends. */
    public void onTestEpochEnd() {
    }

    /** Called when a prediction epoch begins. */
    public void onPredictEpochStart() {
    }

    /** Called when a prediction epoch ends, with the predictions of each dataloader. */
    public void onPredictEpochEnd(List<List<Object>> outputs) {
    }

    /** Called before gradients are zeroed. */
    public void onBeforeZeroGrad(LightningOptimizer optimizer) {
    }

    /** Called before back-propagation. */
    public void onBeforeBackward(Tensor loss) {
    }

    /** Called after back-propagation, before the optimizer step: gradients are available here. */
    public void onAfterBackward() {
    }

    /** Called after the closure, before clipping and the parameter update. */
    public void onBeforeOptimizerStep(LightningOptimizer optimizer, int optimizerIdx) {
    }

    /** Called after setup, to create layers lazily (for sharded strategies). */
    public void configureShardedModel() {
    }

    /** Called when a checkpoint is saved; may add entries. */
    public void onSaveCheckpoint(Map<String, Object> checkpoint) {
    }

    /** Called when a checkpoint is loaded, before the weights are restored. */
    public void onLoadCheckpoint(Map<String, Object> checkpoint) {
    }

    // ---- utilities ----------------------------------------------------------------------------------

    /** Logs a metric with the current hook's defaults. */
    public void log(String name, Object value) {
        log(name, value, LogOptions.DEFAULT);
    }

    /** Logs a metric: a scalar {@link Tensor} or a {@link Number}. */
    public void log(String name, Object value, LogOptions options) {
        requireTrainer("log").log(name, value, options);
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
        return requireTrainer("optimizers").optimizers();
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
        return requireTrainer("lrSchedulers").lrSchedulers().stream().map(LrSchedulerConfig::scheduler).toList();
    }

    /** Back-propagates in manual optimization, with the backward hooks around it. */
    public void manualBackward(Tensor loss) {
        requireTrainer("manualBackward").manualBackward(loss);
    }

    /**
     * Makes only this optimizer's parameters require gradients (for GANs with several optimizers);
     * {@link #untoggleOptimizer} restores the previous state.
     */
    public void toggleOptimizer(LightningOptimizer optimizer) {
        untoggleOptimizer();
        List<Tensor> mine = List.of(optimizer.optimizer().parameters().get());
        for (LightningOptimizer other : optimizers()) {
            for (Tensor p : other.optimizer().parameters().get()) {
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
        if (trainer == null || trainer.isGlobalZero()) {
            StringBuilder line = new StringBuilder();
            for (Object p : parts) {
                line.append(line.length() == 0 ? "" : " ").append(p);
            }
            System.out.println(line);
        }
    }

    /** Gathers a tensor from every process (a new dimension 0 of size worldSize). */
    public Tensor allGather(Tensor value) {
        return requireTrainer("allGather").strategy().allGather(value);
    }

    /**
     * A module with the weights of a checkpoint: {@code factory} builds it from the checkpoint's
     * {@code hyper_parameters}; loading is strict (missing or unexpected keys and shape mismatches are an
     * error naming them). The module is frozen into evaluation mode only if you call {@link #freeze()}.
     */
    public static <M extends LightningModule> M loadFromCheckpoint(java.nio.file.Path path,
            java.util.function.Function<Map<String, Object>, M> factory) {
        return loadFromCheckpoint(path, factory, true);
    }

    /** As {@link #loadFromCheckpoint(java.nio.file.Path, java.util.function.Function)}; not strict loads what matches. */
    @SuppressWarnings("unchecked")
    public static <M extends LightningModule> M loadFromCheckpoint(java.nio.file.Path path,
            java.util.function.Function<Map<String, Object>, M> factory, boolean strict) {
        Map<String, Object> ckpt = io.torchlight.utils.checkpoint.CheckpointFile.read(path);
        Map<String, Object> hparams = ckpt.get("hyper_parameters") instanceof Map<?, ?> h ? (Map<String, Object>) h : Map.of();
        M module = factory.apply(hparams);
        module.saveHyperparameters(hparams);
        if (!(ckpt.get("state_dict") instanceof Map<?, ?> state)) {
            throw new TorchlightException("checkpoint " + path + " has no state_dict");
        }
        module.onLoadCheckpoint(ckpt);
        io.torchlight.utils.checkpoint.StateDicts.load(module, (Map<String, Object>) state, strict, path.toString());
        return module;
    }

    // ---- properties ---------------------------------------------------------------------------------

    /** The trainer running this module, or null. */
    public Trainer trainer() {
        return trainer;
    }

    /** Links this module to the trainer that runs it (the trainer calls this). */
    public void attachTrainer(Trainer value) {
        trainer = value;
    }

    public int currentEpoch() {
        return trainer == null ? 0 : trainer.currentEpoch();
    }

    public long globalStep() {
        return trainer == null ? 0 : trainer.globalStep();
    }

    /** The device the module trains on (CPU without a trainer). */
    public Device device() {
        return trainer == null || trainer.strategy() == null ? new Device("cpu") : trainer.strategy().rootDevice();
    }

    public int globalRank() {
        return trainer == null || trainer.strategy() == null ? 0 : trainer.strategy().globalRank();
    }

    public int localRank() {
        return trainer == null || trainer.strategy() == null ? 0 : trainer.strategy().localRank();
    }

    /** The first logger, or null. */
    public Logger logger() {
        return trainer == null ? null : trainer.logger();
    }

    public List<Logger> loggers() {
        return trainer == null ? List.of() : trainer.loggers();
    }

    /** The trainer's precision ({@code 32} without a trainer). */
    public String precision() {
        return trainer == null ? "32" : trainer.config().precision();
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

    private Trainer requireTrainer(String utility) {
        Trainer t = trainer;
        if (t == null) {
            throw new TorchlightException(utility + "() needs a trainer: call it from a hook while the trainer runs this module");
        }
        return t;
    }
}
