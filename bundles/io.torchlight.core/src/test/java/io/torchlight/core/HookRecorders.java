package io.torchlight.core;

import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;

import io.torchlight.api.Callback;
import io.torchlight.api.GradientClipAlgorithm;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Stage;
import io.torchlight.api.TrainerView;
import io.torchlight.api.optim.LightningOptimizer;
import io.torchlight.demos.BoringModel;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;
import io.torchlight.utils.optim.LrScheduler;

/**
 * A module and a callback that override every hook and record the calls that really happen, as Lightning 1.6.5's
 * tests/models/test_hooks.py HookedModel and HookedCallback do: a module hook is recorded when it returns (so a hook
 * that runs others, such as optimizerStep running the closure, comes after them), a callback hook when it is entered.
 */
final class HookRecorders {

    private HookRecorders() {
    }

    /** BoringModel with every module hook recorded; the epoch-end hooks are overridden, so outputs are kept. */
    static class RecordingModel extends BoringModel {
        final List<String> calls;

        RecordingModel(List<String> calls) {
            this.calls = calls;
        }

        void record(String hook) {
            calls.add(hook);
        }

        <T> T record(String hook, T value) {
            calls.add(hook);
            return value;
        }

        @Override
        public Tensor forward(Tensor x) {
            return record("forward", super.forward(x));
        }

        @Override
        public Object trainingStep(Batch batch, int batchIdx) {
            return record("trainingStep", super.trainingStep(batch, batchIdx));
        }

        @Override
        public Object trainingStepEnd(Object output) {
            return record("trainingStepEnd", super.trainingStepEnd(output));
        }

        @Override
        public void trainingEpochEnd(List<Object> outputs) {
            record("trainingEpochEnd");
        }

        @Override
        public Object validationStep(Batch batch, int batchIdx) {
            return record("validationStep", super.validationStep(batch, batchIdx));
        }

        @Override
        public Object validationStepEnd(Object output) {
            return record("validationStepEnd", super.validationStepEnd(output));
        }

        @Override
        public void validationEpochEnd(List<Object> outputs) {
            record("validationEpochEnd");
        }

        @Override
        public Object testStep(Batch batch, int batchIdx) {
            return record("testStep", super.testStep(batch, batchIdx));
        }

        @Override
        public Object testStepEnd(Object output) {
            return record("testStepEnd", super.testStepEnd(output));
        }

        @Override
        public void testEpochEnd(List<Object> outputs) {
            record("testEpochEnd");
        }

        @Override
        public Object predictStep(Batch batch, int batchIdx, int dataloaderIdx) {
            return record("predictStep", super.predictStep(batch, batchIdx, dataloaderIdx));
        }

        @Override
        public Object configureOptimizers() {
            return record("configureOptimizers", super.configureOptimizers());
        }

        @Override
        public List<Callback> configureCallbacks() {
            return record("configureCallbacks", super.configureCallbacks());
        }

        @Override
        public void manualBackward(Tensor loss) {
            super.manualBackward(loss);
            record("manualBackward");
        }

        @Override
        public void onFitStart() {
            super.onFitStart();
            record("onFitStart");
        }

        @Override
        public void onFitEnd() {
            super.onFitEnd();
            record("onFitEnd");
        }

        @Override
        public void onPretrainRoutineStart() {
            super.onPretrainRoutineStart();
            record("onPretrainRoutineStart");
        }

        @Override
        public void onPretrainRoutineEnd() {
            super.onPretrainRoutineEnd();
            record("onPretrainRoutineEnd");
        }

        @Override
        public void onTrainStart() {
            super.onTrainStart();
            record("onTrainStart");
        }

        @Override
        public void onTrainEnd() {
            super.onTrainEnd();
            record("onTrainEnd");
        }

        @Override
        public void onValidationStart() {
            super.onValidationStart();
            record("onValidationStart");
        }

        @Override
        public void onValidationEnd() {
            super.onValidationEnd();
            record("onValidationEnd");
        }

        @Override
        public void onTestStart() {
            super.onTestStart();
            record("onTestStart");
        }

        @Override
        public void onTestEnd() {
            super.onTestEnd();
            record("onTestEnd");
        }

        @Override
        public void onPredictStart() {
            super.onPredictStart();
            record("onPredictStart");
        }

        @Override
        public void onPredictEnd() {
            super.onPredictEnd();
            record("onPredictEnd");
        }

        @Override
        public int onTrainBatchStart(Batch batch, int i) {
            return record("onTrainBatchStart", super.onTrainBatchStart(batch, i));
        }

        @Override
        public void onTrainBatchEnd(Object outputs, Batch batch, int i) {
            super.onTrainBatchEnd(outputs, batch, i);
            record("onTrainBatchEnd");
        }

        @Override
        public void onValidationBatchStart(Batch batch, int i, int i2) {
            super.onValidationBatchStart(batch, i, i2);
            record("onValidationBatchStart");
        }

        @Override
        public void onValidationBatchEnd(Object outputs, Batch batch, int i, int i2) {
            super.onValidationBatchEnd(outputs, batch, i, i2);
            record("onValidationBatchEnd");
        }

        @Override
        public void onTestBatchStart(Batch batch, int i, int i2) {
            super.onTestBatchStart(batch, i, i2);
            record("onTestBatchStart");
        }

        @Override
        public void onTestBatchEnd(Object outputs, Batch batch, int i, int i2) {
            super.onTestBatchEnd(outputs, batch, i, i2);
            record("onTestBatchEnd");
        }

        @Override
        public void onPredictBatchStart(Batch batch, int i, int i2) {
            super.onPredictBatchStart(batch, i, i2);
            record("onPredictBatchStart");
        }

        @Override
        public void onPredictBatchEnd(Object outputs, Batch batch, int i, int i2) {
            super.onPredictBatchEnd(outputs, batch, i, i2);
            record("onPredictBatchEnd");
        }

        @Override
        public void onEpochStart() {
            super.onEpochStart();
            record("onEpochStart");
        }

        @Override
        public void onEpochEnd() {
            super.onEpochEnd();
            record("onEpochEnd");
        }

        @Override
        public void onTrainEpochStart() {
            super.onTrainEpochStart();
            record("onTrainEpochStart");
        }

        @Override
        public void onTrainEpochEnd() {
            super.onTrainEpochEnd();
            record("onTrainEpochEnd");
        }

        @Override
        public void onValidationEpochStart() {
            super.onValidationEpochStart();
            record("onValidationEpochStart");
        }

        @Override
        public void onValidationEpochEnd() {
            super.onValidationEpochEnd();
            record("onValidationEpochEnd");
        }

        @Override
        public void onTestEpochStart() {
            super.onTestEpochStart();
            record("onTestEpochStart");
        }

        @Override
        public void onTestEpochEnd() {
            super.onTestEpochEnd();
            record("onTestEpochEnd");
        }

        @Override
        public void onPredictEpochStart() {
            super.onPredictEpochStart();
            record("onPredictEpochStart");
        }

        @Override
        public void onPredictEpochEnd(List<List<Object>> outputs) {
            super.onPredictEpochEnd(outputs);
            record("onPredictEpochEnd");
        }

        @Override
        public void onBeforeZeroGrad(LightningOptimizer optimizer) {
            super.onBeforeZeroGrad(optimizer);
            record("onBeforeZeroGrad");
        }

        @Override
        public void onBeforeBackward(Tensor loss) {
            super.onBeforeBackward(loss);
            record("onBeforeBackward");
        }

        @Override
        public void onAfterBackward() {
            super.onAfterBackward();
            record("onAfterBackward");
        }

        @Override
        public void onBeforeOptimizerStep(LightningOptimizer optimizer, int i) {
            super.onBeforeOptimizerStep(optimizer, i);
            record("onBeforeOptimizerStep");
        }

        @Override
        public void configureShardedModel() {
            super.configureShardedModel();
            record("configureShardedModel");
        }

        @Override
        public void onPostMoveToDevice() {
            super.onPostMoveToDevice();
            record("onPostMoveToDevice");
        }

        @Override
        public void onValidationModelEval() {
            super.onValidationModelEval();
            record("onValidationModelEval");
        }

        @Override
        public void onValidationModelTrain() {
            super.onValidationModelTrain();
            record("onValidationModelTrain");
        }

        @Override
        public void onTestModelEval() {
            super.onTestModelEval();
            record("onTestModelEval");
        }

        @Override
        public void onTestModelTrain() {
            super.onTestModelTrain();
            record("onTestModelTrain");
        }

        @Override
        public void onPredictModelEval() {
            super.onPredictModelEval();
            record("onPredictModelEval");
        }

        @Override
        public void prepareData() {
            super.prepareData();
            record("prepareData");
        }

        @Override
        public void setup(Stage stage) {
            super.setup(stage);
            record("setup");
        }

        @Override
        public void teardown(Stage stage) {
            super.teardown(stage);
            record("teardown");
        }

        @Override
        public void onTrainDataloader() {
            super.onTrainDataloader();
            record("onTrainDataloader");
        }

        @Override
        public void onValDataloader() {
            super.onValDataloader();
            record("onValDataloader");
        }

        @Override
        public void onTestDataloader() {
            super.onTestDataloader();
            record("onTestDataloader");
        }

        @Override
        public void onPredictDataloader() {
            super.onPredictDataloader();
            record("onPredictDataloader");
        }

        @Override
        public DataLoader trainDataloader() {
            return record("trainDataloader", super.trainDataloader());
        }

        @Override
        public DataLoader valDataloader() {
            return record("valDataloader", super.valDataloader());
        }

        @Override
        public DataLoader testDataloader() {
            return record("testDataloader", super.testDataloader());
        }

        @Override
        public DataLoader predictDataloader() {
            return record("predictDataloader", super.predictDataloader());
        }

        // the list forms call the single ones, which record; Lightning has one hook for both
        @Override
        public List<DataLoader> valDataloaders() {
            return super.valDataloaders();
        }

        @Override
        public List<DataLoader> testDataloaders() {
            return super.testDataloaders();
        }

        @Override
        public List<DataLoader> predictDataloaders() {
            return super.predictDataloaders();
        }

        @Override
        public Batch onBeforeBatchTransfer(Batch batch, int i) {
            return record("onBeforeBatchTransfer", super.onBeforeBatchTransfer(batch, i));
        }

        @Override
        public Batch transferBatchToDevice(Batch batch, Device device, int i) {
            return record("transferBatchToDevice", super.transferBatchToDevice(batch, device, i));
        }

        @Override
        public Batch onAfterBatchTransfer(Batch batch, int i) {
            return record("onAfterBatchTransfer", super.onAfterBatchTransfer(batch, i));
        }

        @Override
        public void onSaveCheckpoint(Map<String, Object> checkpoint) {
            super.onSaveCheckpoint(checkpoint);
            record("onSaveCheckpoint");
        }

        @Override
        public void onLoadCheckpoint(Map<String, Object> checkpoint) {
            super.onLoadCheckpoint(checkpoint);
            record("onLoadCheckpoint");
        }

        @Override
        public void configureGradientClipping(LightningOptimizer optimizer, int i, Double value, GradientClipAlgorithm algorithm) {
            super.configureGradientClipping(optimizer, i, value, algorithm);
            record("configureGradientClipping");
        }

        @Override
        public void clipGradients(LightningOptimizer optimizer, Double value, GradientClipAlgorithm algorithm) {
            super.clipGradients(optimizer, value, algorithm);
            record("clipGradients");
        }

        @Override
        public void optimizerStep(int i, int i2, LightningOptimizer optimizer, int i3, Runnable closure) {
            super.optimizerStep(i, i2, optimizer, i3, closure);
            record("optimizerStep");
        }

        @Override
        public void optimizerZeroGrad(int i, int i2, LightningOptimizer optimizer, int i3) {
            super.optimizerZeroGrad(i, i2, optimizer, i3);
            record("optimizerZeroGrad");
        }

        @Override
        public void backward(Tensor loss, LightningOptimizer optimizer, int i) {
            super.backward(loss, optimizer, i);
            record("backward");
        }

        @Override
        public List<Batch> tbpttSplitBatch(Batch batch, int i) {
            return record("tbpttSplitBatch", super.tbpttSplitBatch(batch, i));
        }

        @Override
        public void lrSchedulerStep(LrScheduler scheduler, int i, Double value) {
            super.lrSchedulerStep(scheduler, i, value);
            record("lrSchedulerStep");
        }
    }

    /** A callback recording every hook it is given, on entry. */
    static final class RecordingCallback implements Callback {
        private final List<String> calls;

        RecordingCallback(List<String> calls) {
            this.calls = calls;
        }

        private void record(String hook) {
            calls.add(hook);
        }

        @Override
        public String stateKey() {
            return "RecordingCallback";
        }

        @Override
        public void onInitStart(TrainerView trainer) {
            record("Callback.onInitStart");
            Callback.super.onInitStart(trainer);
        }

        @Override
        public void onInitEnd(TrainerView trainer) {
            record("Callback.onInitEnd");
            Callback.super.onInitEnd(trainer);
        }

        @Override
        public void setup(TrainerView trainer, LightningModule module, Stage stage) {
            record("Callback.setup");
            Callback.super.setup(trainer, module, stage);
        }

        @Override
        public void teardown(TrainerView trainer, LightningModule module, Stage stage) {
            record("Callback.teardown");
            Callback.super.teardown(trainer, module, stage);
        }

        @Override
        public void onBeforeAcceleratorBackendSetup(TrainerView trainer, LightningModule module) {
            record("Callback.onBeforeAcceleratorBackendSetup");
            Callback.super.onBeforeAcceleratorBackendSetup(trainer, module);
        }

        @Override
        public void onConfigureShardedModel(TrainerView trainer, LightningModule module) {
            record("Callback.onConfigureShardedModel");
            Callback.super.onConfigureShardedModel(trainer, module);
        }

        @Override
        public void onFitStart(TrainerView trainer, LightningModule module) {
            record("Callback.onFitStart");
            Callback.super.onFitStart(trainer, module);
        }

        @Override
        public void onFitEnd(TrainerView trainer, LightningModule module) {
            record("Callback.onFitEnd");
            Callback.super.onFitEnd(trainer, module);
        }

        @Override
        public void onPretrainRoutineStart(TrainerView trainer, LightningModule module) {
            record("Callback.onPretrainRoutineStart");
            Callback.super.onPretrainRoutineStart(trainer, module);
        }

        @Override
        public void onPretrainRoutineEnd(TrainerView trainer, LightningModule module) {
            record("Callback.onPretrainRoutineEnd");
            Callback.super.onPretrainRoutineEnd(trainer, module);
        }

        @Override
        public void onSanityCheckStart(TrainerView trainer, LightningModule module) {
            record("Callback.onSanityCheckStart");
            Callback.super.onSanityCheckStart(trainer, module);
        }

        @Override
        public void onSanityCheckEnd(TrainerView trainer, LightningModule module) {
            record("Callback.onSanityCheckEnd");
            Callback.super.onSanityCheckEnd(trainer, module);
        }

        @Override
        public void onTrainStart(TrainerView trainer, LightningModule module) {
            record("Callback.onTrainStart");
            Callback.super.onTrainStart(trainer, module);
        }

        @Override
        public void onTrainEnd(TrainerView trainer, LightningModule module) {
            record("Callback.onTrainEnd");
            Callback.super.onTrainEnd(trainer, module);
        }

        @Override
        public void onEpochStart(TrainerView trainer, LightningModule module) {
            record("Callback.onEpochStart");
            Callback.super.onEpochStart(trainer, module);
        }

        @Override
        public void onEpochEnd(TrainerView trainer, LightningModule module) {
            record("Callback.onEpochEnd");
            Callback.super.onEpochEnd(trainer, module);
        }

        @Override
        public void onTrainEpochStart(TrainerView trainer, LightningModule module) {
            record("Callback.onTrainEpochStart");
            Callback.super.onTrainEpochStart(trainer, module);
        }

        @Override
        public void onTrainEpochEnd(TrainerView trainer, LightningModule module) {
            record("Callback.onTrainEpochEnd");
            Callback.super.onTrainEpochEnd(trainer, module);
        }

        @Override
        public void onValidationEpochStart(TrainerView trainer, LightningModule module) {
            record("Callback.onValidationEpochStart");
            Callback.super.onValidationEpochStart(trainer, module);
        }

        @Override
        public void onValidationEpochEnd(TrainerView trainer, LightningModule module) {
            record("Callback.onValidationEpochEnd");
            Callback.super.onValidationEpochEnd(trainer, module);
        }

        @Override
        public void onTestEpochStart(TrainerView trainer, LightningModule module) {
            record("Callback.onTestEpochStart");
            Callback.super.onTestEpochStart(trainer, module);
        }

        @Override
        public void onTestEpochEnd(TrainerView trainer, LightningModule module) {
            record("Callback.onTestEpochEnd");
            Callback.super.onTestEpochEnd(trainer, module);
        }

        @Override
        public void onPredictEpochStart(TrainerView trainer, LightningModule module) {
            record("Callback.onPredictEpochStart");
            Callback.super.onPredictEpochStart(trainer, module);
        }

        @Override
        public void onPredictEpochEnd(TrainerView trainer, LightningModule module, List<List<Object>> outputs) {
            record("Callback.onPredictEpochEnd");
            Callback.super.onPredictEpochEnd(trainer, module, outputs);
        }

        @Override
        public void onBatchStart(TrainerView trainer, LightningModule module) {
            record("Callback.onBatchStart");
            Callback.super.onBatchStart(trainer, module);
        }

        @Override
        public void onBatchEnd(TrainerView trainer, LightningModule module) {
            record("Callback.onBatchEnd");
            Callback.super.onBatchEnd(trainer, module);
        }

        @Override
        public void onTrainBatchStart(TrainerView trainer, LightningModule module, Batch batch, int i) {
            record("Callback.onTrainBatchStart");
            Callback.super.onTrainBatchStart(trainer, module, batch, i);
        }

        @Override
        public void onTrainBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int i) {
            record("Callback.onTrainBatchEnd");
            Callback.super.onTrainBatchEnd(trainer, module, outputs, batch, i);
        }

        @Override
        public void onValidationBatchStart(TrainerView trainer, LightningModule module, Batch batch, int i, int i2) {
            record("Callback.onValidationBatchStart");
            Callback.super.onValidationBatchStart(trainer, module, batch, i, i2);
        }

        @Override
        public void onValidationBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int i, int i2) {
            record("Callback.onValidationBatchEnd");
            Callback.super.onValidationBatchEnd(trainer, module, outputs, batch, i, i2);
        }

        @Override
        public void onTestBatchStart(TrainerView trainer, LightningModule module, Batch batch, int i, int i2) {
            record("Callback.onTestBatchStart");
            Callback.super.onTestBatchStart(trainer, module, batch, i, i2);
        }

        @Override
        public void onTestBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int i, int i2) {
            record("Callback.onTestBatchEnd");
            Callback.super.onTestBatchEnd(trainer, module, outputs, batch, i, i2);
        }

        @Override
        public void onPredictBatchStart(TrainerView trainer, LightningModule module, Batch batch, int i, int i2) {
            record("Callback.onPredictBatchStart");
            Callback.super.onPredictBatchStart(trainer, module, batch, i, i2);
        }

        @Override
        public void onPredictBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int i, int i2) {
            record("Callback.onPredictBatchEnd");
            Callback.super.onPredictBatchEnd(trainer, module, outputs, batch, i, i2);
        }

        @Override
        public void onValidationStart(TrainerView trainer, LightningModule module) {
            record("Callback.onValidationStart");
            Callback.super.onValidationStart(trainer, module);
        }

        @Override
        public void onValidationEnd(TrainerView trainer, LightningModule module) {
            record("Callback.onValidationEnd");
            Callback.super.onValidationEnd(trainer, module);
        }

        @Override
        public void onTestStart(TrainerView trainer, LightningModule module) {
            record("Callback.onTestStart");
            Callback.super.onTestStart(trainer, module);
        }

        @Override
        public void onTestEnd(TrainerView trainer, LightningModule module) {
            record("Callback.onTestEnd");
            Callback.super.onTestEnd(trainer, module);
        }

        @Override
        public void onPredictStart(TrainerView trainer, LightningModule module) {
            record("Callback.onPredictStart");
            Callback.super.onPredictStart(trainer, module);
        }

        @Override
        public void onPredictEnd(TrainerView trainer, LightningModule module) {
            record("Callback.onPredictEnd");
            Callback.super.onPredictEnd(trainer, module);
        }

        @Override
        public void onException(TrainerView trainer, LightningModule module, Throwable error) {
            record("Callback.onException");
            Callback.super.onException(trainer, module, error);
        }

        @Override
        public void onBeforeBackward(TrainerView trainer, LightningModule module, Tensor loss) {
            record("Callback.onBeforeBackward");
            Callback.super.onBeforeBackward(trainer, module, loss);
        }

        @Override
        public void onAfterBackward(TrainerView trainer, LightningModule module) {
            record("Callback.onAfterBackward");
            Callback.super.onAfterBackward(trainer, module);
        }

        @Override
        public void onBeforeOptimizerStep(TrainerView trainer, LightningModule module, LightningOptimizer optimizer, int i) {
            record("Callback.onBeforeOptimizerStep");
            Callback.super.onBeforeOptimizerStep(trainer, module, optimizer, i);
        }

        @Override
        public void onBeforeZeroGrad(TrainerView trainer, LightningModule module, LightningOptimizer optimizer) {
            record("Callback.onBeforeZeroGrad");
            Callback.super.onBeforeZeroGrad(trainer, module, optimizer);
        }

        @Override
        public void onSaveCheckpoint(TrainerView trainer, LightningModule module, Map<String, Object> checkpoint) {
            record("Callback.onSaveCheckpoint");
            Callback.super.onSaveCheckpoint(trainer, module, checkpoint);
        }

        @Override
        public void onLoadCheckpoint(TrainerView trainer, LightningModule module, Map<String, Object> checkpoint) {
            record("Callback.onLoadCheckpoint");
            Callback.super.onLoadCheckpoint(trainer, module, checkpoint);
        }

        @Override
        public Map<String, Object> stateDict() {
            record("Callback.stateDict");
            return Map.of("foo", true); // as test_hooks.py's HookedCallback state, so checkpoints carry it
        }

        @Override
        public void loadStateDict(Map<String, Object> state) {
            record("Callback.loadStateDict");
            Callback.super.loadStateDict(state);
        }
    }
}
