package io.torchlight.api;

import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

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
    default void onInitStart(TrainerView trainer) {
    }

    /** Called when the trainer has been built. */
    default void onInitEnd(TrainerView trainer) {
    }

    /** Called when fit, validate, test or predict begins, before the module's setup. */
    default void setup(TrainerView trainer, LightningModule module, Stage stage) {
    }

    /** Called when fit, validate, test or predict ends, before the module's teardown. */
    default void teardown(TrainerView trainer, LightningModule module, Stage stage) {
    }

    /**
     * Called before the accelerator and strategy set up for a stage, after {@code prepareData} (Lightning's
     * {@code on_before_accelerator_backend_setup}).
     */
    default void onBeforeAcceleratorBackendSetup(TrainerView trainer, LightningModule module) {
    }

    /** Called after the module's {@code configureShardedModel}, before it moves to the device. */
    default void onConfigureShardedModel(TrainerView trainer, LightningModule module) {
    }

    /** Called when fit begins, after the optimizers are configured. */
    default void onFitStart(TrainerView trainer, LightningModule module) {
    }

    /** Called when fit ends. */
    default void onFitEnd(TrainerView trainer, LightningModule module) {
    }

    /** Called before the pre-training routine. */
    default void onPretrainRoutineStart(TrainerView trainer, LightningModule module) {
    }

    /** Called after the pre-training routine. */
    default void onPretrainRoutineEnd(TrainerView trainer, LightningModule module) {
    }

    /** Called when the validation sanity check starts. */
    default void onSanityCheckStart(TrainerView trainer, LightningModule module) {
    }

    /** Called when the validation sanity check ends. */
    default void onSanityCheckEnd(TrainerView trainer, LightningModule module) {
    }

    /** Called when training begins. */
    default void onTrainStart(TrainerView trainer, LightningModule module) {
    }

    /** Called when training ends. */
    default void onTrainEnd(TrainerView trainer, LightningModule module) {
    }

    /** Called at the start of every training, validation and test epoch. */
    default void onEpochStart(TrainerView trainer, LightningModule module) {
    }

    /** Called at the end of every training, validation and test epoch. */
    default void onEpochEnd(TrainerView trainer, LightningModule module) {
    }

    /** Called when a training epoch begins. */
    default void onTrainEpochStart(TrainerView trainer, LightningModule module) {
    }

    /** Called when a training epoch ends, after {@code trainingEpochEnd}; ModelCheckpoint saves here. */
    default void onTrainEpochEnd(TrainerView trainer, LightningModule module) {
    }

    /** Called when a validation epoch begins. */
    default void onValidationEpochStart(TrainerView trainer, LightningModule module) {
    }

    /** Called when a validation epoch ends. */
    default void onValidationEpochEnd(TrainerView trainer, LightningModule module) {
    }

    /** Called when a test epoch begins. */
    default void onTestEpochStart(TrainerView trainer, LightningModule module) {
    }

    /** Called when a test epoch ends. */
    default void onTestEpochEnd(TrainerView trainer, LightningModule module) {
    }

    /** Called when a prediction epoch begins. */
    default void onPredictEpochStart(TrainerView trainer, LightningModule module) {
    }

    /** Called when a prediction epoch ends, with the predictions of each dataloader. */
    default void onPredictEpochEnd(TrainerView trainer, LightningModule module, List<List<Object>> outputs) {
    }

    /**
     * Called before each training batch, before {@link #onTrainBatchStart} (Lightning 1.6's {@code on_batch_start},
     * deprecated there in favour of {@code on_train_batch_start}).
     */
    default void onBatchStart(TrainerView trainer, LightningModule module) {
    }

    /** Called after each training batch, after {@link #onTrainBatchEnd} (Lightning 1.6's {@code on_batch_end}). */
    default void onBatchEnd(TrainerView trainer, LightningModule module) {
    }

    /** Called before a training batch, after it was moved to the device. */
    default void onTrainBatchStart(TrainerView trainer, LightningModule module, Batch batch, int batchIdx) {
    }

    /** Called after a training batch, with what the training step returned. */
    default void onTrainBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx) {
    }

    /** Called before a validation batch. */
    default void onValidationBatchStart(TrainerView trainer, LightningModule module, Batch batch, int batchIdx,
            int dataloaderIdx) {
    }

    /** Called after a validation batch, with what the validation step returned. */
    default void onValidationBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch,
            int batchIdx, int dataloaderIdx) {
    }

    /** Called before a test batch. */
    default void onTestBatchStart(TrainerView trainer, LightningModule module, Batch batch, int batchIdx, int dataloaderIdx) {
    }

    /** Called after a test batch, with what the test step returned. */
    default void onTestBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx,
            int dataloaderIdx) {
    }

    /** Called before a prediction batch. */
    default void onPredictBatchStart(TrainerView trainer, LightningModule module, Batch batch, int batchIdx,
            int dataloaderIdx) {
    }

    /** Called after a prediction batch, with the prediction. */
    default void onPredictBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx,
            int dataloaderIdx) {
    }

    /** Called when a validation loop begins (also during the sanity check). */
    default void onValidationStart(TrainerView trainer, LightningModule module) {
    }

    /** Called when a validation loop ends. */
    default void onValidationEnd(TrainerView trainer, LightningModule module) {
    }

    /** Called when the test loop begins. */
    default void onTestStart(TrainerView trainer, LightningModule module) {
    }

    /** Called when the test loop ends. */
    default void onTestEnd(TrainerView trainer, LightningModule module) {
    }

    /** Called when the prediction loop begins. */
    default void onPredictStart(TrainerView trainer, LightningModule module) {
    }

    /** Called when the prediction loop ends. */
    default void onPredictEnd(TrainerView trainer, LightningModule module) {
    }

    /** Called when a run fails or is interrupted, before the error propagates. */
    default void onException(TrainerView trainer, LightningModule module, Throwable error) {
    }

    /** Called before {@code loss.backward()}. */
    default void onBeforeBackward(TrainerView trainer, LightningModule module, Tensor loss) {
    }

    /** Called after {@code loss.backward()}, before the optimizer step. */
    default void onAfterBackward(TrainerView trainer, LightningModule module) {
    }

    /** Called after the closure and before gradient clipping and the parameter update. */
    default void onBeforeOptimizerStep(TrainerView trainer, LightningModule module, LightningOptimizer optimizer,
            int optimizerIdx) {
    }

    /** Called before the gradients are zeroed. */
    default void onBeforeZeroGrad(TrainerView trainer, LightningModule module, LightningOptimizer optimizer) {
    }

    /** Called when a checkpoint is saved; may add entries to it. */
    default void onSaveCheckpoint(TrainerView trainer, LightningModule module, Map<String, Object> checkpoint) {
    }

    /** Called when a checkpoint is loaded, with the whole checkpoint. */
    default void onLoadCheckpoint(TrainerView trainer, LightningModule module, Map<String, Object> checkpoint) {
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
