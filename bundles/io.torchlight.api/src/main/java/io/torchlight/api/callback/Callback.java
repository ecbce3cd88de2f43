package io.torchlight.api.callback;

import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

import io.torchlight.api.LightningModule;
import io.torchlight.api.Stage;
import io.torchlight.api.Trainer;
import io.torchlight.api.optim.LightningOptimizer;
import io.torchlight.utils.data.Batch;

/**
 * Code that runs at the trainer's hooks, like Lightning's {@code Callback}. Every hook is a no-op by
 * default; for a hook shared with the module, callbacks run first, in order. In the container a
 * callback is a service with {@link #PROPERTY_NAME}; a run selects callbacks by that name.
 */
@ConsumerType
public interface Callback {

    /** Service property: the name runs select this callback by ({@link String}). */
    String PROPERTY_NAME = "torchlight.callback.name";

    /** Called when the trainer is being built, before anything else. */
    default void onInitStart(Trainer trainer) {
    }

    /** Called when the trainer has been built. */
    default void onInitEnd(Trainer trainer) {
    }

    /** Called when fit, validate, test or predict begins, before the module's setup. */
    default void setup(Trainer trainer, LightningModule module, Stage stage) {
    }

    /** Called when fit, validate, test or predict ends, before the module's teardown. */
    default void teardown(Trainer trainer, LightningModule module, Stage stage) {
    }

    /** Called when fit begins, after the optimizers are configured. */
    default void onFitStart(Trainer trainer, LightningModule module) {
    }

    /** Called when fit ends. */
    default void onFitEnd(Trainer trainer, LightningModule module) {
    }

    /** Called before the pre-training routine. */
    default void onPretrainRoutineStart(Trainer trainer, LightningModule module) {
    }

    /** Called after the pre-training routine. */
    default void onPretrainRoutineEnd(Trainer trainer, LightningModule module) {
    }

    /** Called when the validation sanity check starts. */
    default void onSanityCheckStart(Trainer trainer, LightningModule module) {
    }

    /** Called when the validation sanity check ends. */
    default void onSanityCheckEnd(Trainer trainer, LightningModule module) {
    }

    /** Called when training begins. */
    default void onTrainStart(Trainer trainer, LightningModule module) {
    }

    /** Called when training ends. */
    default void onTrainEnd(Trainer trainer, LightningModule module) {
    }

    /** Called at the start of every training, validation and test epoch. */
    default void onEpochStart(Trainer trainer, LightningModule module) {
    }

    /** Called at the end of every training, validation and test epoch. */
    default void onEpochEnd(Trainer trainer, LightningModule module) {
    }

    /** Called when a training epoch begins. */
    default void onTrainEpochStart(Trainer trainer, LightningModule module) {
    }

    /** Called when a training epoch ends, after {@code trainingEpochEnd}; ModelCheckpoint saves here. */
    default void onTrainEpochEnd(Trainer trainer, LightningModule module) {
    }

    /** Called when a validation epoch begins. */
    default void onValidationEpochStart(Trainer trainer, LightningModule module) {
    }

    /** Called when a validation epoch ends. */
    default void onValidationEpochEnd(Trainer trainer, LightningModule module) {
    }

    /** Called when a test epoch begins. */
    default void onTestEpochStart(Trainer trainer, LightningModule module) {
    }

    /** Called when a test epoch ends. */
    default void onTestEpochEnd(Trainer trainer, LightningModule module) {
    }

    /** Called when a prediction epoch begins. */
    default void onPredictEpochStart(Trainer trainer, LightningModule module) {
    }

    /** Called when a prediction epoch ends, with the predictions of each dataloader. */
    default void onPredictEpochEnd(Trainer trainer, LightningModule module, List<List<Object>> outputs) {
    }

    /** Called before a training batch, after it was moved to the device. */
    default void onTrainBatchStart(Trainer trainer, LightningModule module, Batch batch, int batchIdx) {
    }

    /** Called after a training batch, with what the training step returned. */
    default void onTrainBatchEnd(Trainer trainer, LightningModule module, Object outputs, Batch batch, int batchIdx) {
    }

    /** Called before a validation batch. */
    default void onValidationBatchStart(Trainer trainer, LightningModule module, Batch batch, int batchIdx,
            int dataloaderIdx) {
    }

    /** Called after a validation batch, with what the validation step returned. */
    default void onValidationBatchEnd(Trainer trainer, LightningModule module, Object outputs, Batch batch,
            int batchIdx, int dataloaderIdx) {
    }

    /** Called before a test batch. */
    default void onTestBatchStart(Trainer trainer, LightningModule module, Batch batch, int batchIdx, int dataloaderIdx) {
    }

    /** Called after a test batch, with what the test step returned. */
    default void onTestBatchEnd(Trainer trainer, LightningModule module, Object outputs, Batch batch, int batchIdx,
            int dataloaderIdx) {
    }

    /** Called before a prediction batch. */
    default void onPredictBatchStart(Trainer trainer, LightningModule module, Batch batch, int batchIdx,
            int dataloaderIdx) {
    }

    /** Called after a prediction batch, with the prediction. */
    default void onPredictBatchEnd(Trainer trainer, LightningModule module, Object outputs, Batch batch, int batchIdx,
            int dataloaderIdx) {
    }

    /** Called when a validation loop begins (also during the sanity check). */
    default void onValidationStart(Trainer trainer, LightningModule module) {
    }

    /** Called when a validation loop ends. */
    default void onValidationEnd(Trainer trainer, LightningModule module) {
    }

    /** Called when the test loop begins. */
    default void onTestStart(Trainer trainer, LightningModule module) {
    }

    /** Called when the test loop ends. */
    default void onTestEnd(Trainer trainer, LightningModule module) {
    }

    /** Called when the prediction loop begins. */
    default void onPredictStart(Trainer trainer, LightningModule module) {
    }

    /** Called when the prediction loop ends. */
    default void onPredictEnd(Trainer trainer, LightningModule module) {
    }

    /** Called when a run fails or is interrupted, before the error propagates. */
    default void onException(Trainer trainer, LightningModule module, Throwable error) {
    }

    /** Called before {@code loss.backward()}. */
    default void onBeforeBackward(Trainer trainer, LightningModule module, Tensor loss) {
    }

    /** Called after {@code loss.backward()}, before the optimizer step. */
    default void onAfterBackward(Trainer trainer, LightningModule module) {
    }

    /** Called after the closure and before gradient clipping and the parameter update. */
    default void onBeforeOptimizerStep(Trainer trainer, LightningModule module, LightningOptimizer optimizer,
            int optimizerIdx) {
    }

    /** Called before the gradients are zeroed. */
    default void onBeforeZeroGrad(Trainer trainer, LightningModule module, LightningOptimizer optimizer) {
    }

    /** Called when a checkpoint is saved; may add entries to it. */
    default void onSaveCheckpoint(Trainer trainer, LightningModule module, Map<String, Object> checkpoint) {
    }

    /** Called when a checkpoint is loaded, with the whole checkpoint. */
    default void onLoadCheckpoint(Trainer trainer, LightningModule module, Map<String, Object> checkpoint) {
    }

    /** The key of this callback's state in a checkpoint's {@code callbacks} map. */
    default String stateKey() {
        return getClass().getName();
    }

    /** This callback's state, saved in checkpoints under {@link #stateKey()}. */
    default Map<String, Object> stateDict() {
        return Map.of();
    }

    /** Restores the state returned by {@link #stateDict()}. */
    default void loadStateDict(Map<String, Object> state) {
    }
}
