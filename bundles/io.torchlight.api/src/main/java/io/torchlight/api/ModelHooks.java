package io.torchlight.api;

import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

import io.torchlight.api.optim.LightningOptimizer;
import io.torchlight.utils.data.Batch;

/**
 * The lifecycle hooks of a {@link LightningModule}, as Lightning's {@code ModelHooks}: each is a no-op
 * until overridden; the trainer calls them in Lightning 1.6's order.
 */
@ConsumerType
public interface ModelHooks {

    /** Called when fit begins. */
    default void onFitStart() {
    }

    /** Called when fit ends. */
    default void onFitEnd() {
    }

    /** Called before the pre-training routine. */
    default void onPretrainRoutineStart() {
    }

    /** Called after the pre-training routine. */
    default void onPretrainRoutineEnd() {
    }

    /** Called when training begins. */
    default void onTrainStart() {
    }

    /** Called when training ends. */
    default void onTrainEnd() {
    }

    /** Called when a validation loop begins. */
    default void onValidationStart() {
    }

    /** Called when a validation loop ends. */
    default void onValidationEnd() {
    }

    /** Called when the test loop begins. */
    default void onTestStart() {
    }

    /** Called when the test loop ends. */
    default void onTestEnd() {
    }

    /** Called when the prediction loop begins. */
    default void onPredictStart() {
    }

    /** Called when the prediction loop ends. */
    default void onPredictEnd() {
    }

    /** Called before a training batch; returning -1 ends the epoch here. */
    default int onTrainBatchStart(Batch batch, int batchIdx) {
        return 0;
    }

    /** Called after a training batch. */
    default void onTrainBatchEnd(Object outputs, Batch batch, int batchIdx) {
    }

    /** Called before a validation batch. */
    default void onValidationBatchStart(Batch batch, int batchIdx, int dataloaderIdx) {
    }

    /** Called after a validation batch. */
    default void onValidationBatchEnd(Object outputs, Batch batch, int batchIdx, int dataloaderIdx) {
    }

    /** Called before a test batch. */
    default void onTestBatchStart(Batch batch, int batchIdx, int dataloaderIdx) {
    }

    /** Called after a test batch. */
    default void onTestBatchEnd(Object outputs, Batch batch, int batchIdx, int dataloaderIdx) {
    }

    /** Called before a prediction batch. */
    default void onPredictBatchStart(Batch batch, int batchIdx, int dataloaderIdx) {
    }

    /** Called after a prediction batch. */
    default void onPredictBatchEnd(Object outputs, Batch batch, int batchIdx, int dataloaderIdx) {
    }

    /** Called at the start of every training, validation and test epoch. */
    default void onEpochStart() {
    }

    /** Called at the end of every training, validation and test epoch. */
    default void onEpochEnd() {
    }

    /** Called when a training epoch begins. */
    default void onTrainEpochStart() {
    }

    /** Called when a training epoch ends, after the callbacks' {@code onTrainEpochEnd}. */
    default void onTrainEpochEnd() {
    }

    /** Called when a validation epoch begins. */
    default void onValidationEpochStart() {
    }

    /** Called when a validation epoch ends. */
    default void onValidationEpochEnd() {
    }

    /** Called when a test epoch begins. */
    default void onTestEpochStart() {
    }

    /** Called when a test epoch ends. */
    default void onTestEpochEnd() {
    }

    /** Called when a prediction epoch begins. */
    default void onPredictEpochStart() {
    }

    /** Called when a prediction epoch ends, with the predictions of each dataloader. */
    default void onPredictEpochEnd(List<List<Object>> outputs) {
    }

    /** Called before gradients are zeroed. */
    default void onBeforeZeroGrad(LightningOptimizer optimizer) {
    }

    /** Called before back-propagation. */
    default void onBeforeBackward(Tensor loss) {
    }

    /** Called after back-propagation, before the optimizer step: gradients are available here. */
    default void onAfterBackward() {
    }

    /** Called after the closure, before clipping and the parameter update. */
    default void onBeforeOptimizerStep(LightningOptimizer optimizer, int optimizerIdx) {
    }

    /** Called after setup, to create layers lazily (for sharded strategies). */
    default void configureShardedModel() {
    }

    /**
     * Called after the trainer moved the module to another device (a CUDA run), the place to tie weights between
     * layers again (Lightning's {@code on_post_move_to_device}); not called when the module is already there.
     */
    default void onPostMoveToDevice() {
    }

    /** Switches to evaluation mode; a libtorch {@code Module} provides it. */
    void eval();

    /** Switches training mode on or off; a libtorch {@code Module} provides it. */
    void train(boolean on);

    /** Puts the module in evaluation mode for validation: {@code eval()} by default. */
    default void onValidationModelEval() {
        eval();
    }

    /** Puts the module back in training mode after validation: {@code train(true)} by default. */
    default void onValidationModelTrain() {
        train(true);
    }

    /** Puts the module in evaluation mode for testing. */
    default void onTestModelEval() {
        eval();
    }

    /** Puts the module back in training mode after testing. */
    default void onTestModelTrain() {
        train(true);
    }

    /** Puts the module in evaluation mode for prediction. */
    default void onPredictModelEval() {
        eval();
    }
}
