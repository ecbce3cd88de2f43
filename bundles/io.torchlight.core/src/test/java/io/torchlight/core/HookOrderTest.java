package io.torchlight.core;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.junit.Test;

import io.torchlight.api.Callback;
import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Limit;
import io.torchlight.api.Stage;
import io.torchlight.api.TrainerConfig;
import io.torchlight.core.internal.DefaultTrainer;
import io.torchlight.core.internal.TrainerSetup;
import io.torchlight.core.internal.hooks.Hooks;
import io.torchlight.core.internal.plugins.Plugins;
import io.torchlight.demos.BoringModel;
import io.torchlight.utils.data.Batch;

/**
 * The golden hook order (Lightning 1.6.5's test_hooks.py, recorded on entry): every module and callback
 * hook of small fit/validate/test/predict runs, compared with literal lists.
 */
public class HookOrderTest {

    /** BoringModel with every epoch-end hook overridden, so outputs are collected and the hooks run. */
    static class HookedModel extends BoringModel {
        @Override
        public void trainingEpochEnd(List<Object> outputs) {
            assertEquals(2, outputs.size());
        }

        @Override
        public void validationEpochEnd(List<Object> outputs) {
        }

        @Override
        public void testEpochEnd(List<Object> outputs) {
        }
    }

    /** The manual-optimization variant: the step back-propagates and steps itself. */
    static class ManualModel extends HookedModel {
        ManualModel() {
            automaticOptimization(false);
        }

        @Override
        public Object trainingStep(Batch batch, int batchIdx) {
            Tensor loss = loss(forward(batch.input()));
            optimizer().zeroGrad();
            manualBackward(loss);
            optimizer().step();
            return loss;
        }
    }

    private final List<String> calls = new ArrayList<>();

    private DefaultTrainer trainer(TrainerConfig.Builder config) {
        Hooks.HookListener record = (owner, hook) -> calls.add(owner.equals("Callback") ? "Callback." + hook : hook);
        return DefaultTrainer.open(TrainerSetup.of(config.build(), TestTrainers.plugins().withCallback(new Callback() {
        })), Plugins.instances(), record);
    }

    private static final List<String> TRIO = List.of("onBeforeBatchTransfer", "transferBatchToDevice", "onAfterBatchTransfer");

    private static List<String> evalBatch(String kind, String step) {
        List<String> out = new ArrayList<>(TRIO);
        out.addAll(List.of("Callback.on" + kind + "BatchStart", "on" + kind + "BatchStart", step, step + "End",
                "Callback.on" + kind + "BatchEnd", "on" + kind + "BatchEnd"));
        return out;
    }

    private static List<String> evaluation(String kind, String step, int batches) {
        List<String> out = new ArrayList<>(List.of("on" + kind + "ModelEval", "Callback.on" + kind + "Start", "on" + kind + "Start",
                "Callback.onEpochStart", "onEpochStart", "Callback.on" + kind + "EpochStart", "on" + kind + "EpochStart"));
        for (int i = 0; i < batches; i++) {
            out.addAll(evalBatch(kind, step));
        }
        String epochEnd = step.replace("Step", "EpochEnd");
        out.addAll(List.of(epochEnd, "Callback.on" + kind + "EpochEnd", "on" + kind + "EpochEnd", "Callback.onEpochEnd",
                "onEpochEnd", "Callback.on" + kind + "End", "on" + kind + "End", "on" + kind + "ModelTrain"));
        return out;
    }

    private static List<String> automaticBatch() {
        List<String> out = new ArrayList<>(TRIO);
        out.addAll(List.of("Callback.onTrainBatchStart", "onTrainBatchStart",
                "optimizerStep",
                "trainingStep", "trainingStepEnd",
                "Callback.onBeforeZeroGrad", "onBeforeZeroGrad", "optimizerZeroGrad",
                "Callback.onBeforeBackward", "onBeforeBackward", "backward", "Callback.onAfterBackward", "onAfterBackward",
                "Callback.onBeforeOptimizerStep", "onBeforeOptimizerStep", "configureGradientClipping",
                "Callback.onTrainBatchEnd", "onTrainBatchEnd"));
        return out;
    }

    /**
     * The epoch's last batch: in automatic optimization the epoch's StepLR steps after the update, before
     * onTrainBatchEnd, as Lightning 1.6.5's TrainingEpochLoop.advance updates epoch schedulers at the last batch.
     */
    private static List<String> lastBatch(List<String> batch, boolean automatic) {
        List<String> out = new ArrayList<>(batch);
        if (automatic) {
            out.add(out.indexOf("Callback.onTrainBatchEnd"), "lrSchedulerStep");
        }
        return out;
    }

    private static List<String> manualBatch() {
        List<String> out = new ArrayList<>(TRIO);
        out.addAll(List.of("Callback.onTrainBatchStart", "onTrainBatchStart",
                "trainingStep",
                "Callback.onBeforeBackward", "onBeforeBackward", "backward", "Callback.onAfterBackward", "onAfterBackward",
                "Callback.onBeforeOptimizerStep", "onBeforeOptimizerStep",
                "trainingStepEnd",
                "Callback.onTrainBatchEnd", "onTrainBatchEnd"));
        return out;
    }

    private static List<String> fit(List<String> batch, boolean automatic) {
        // the same sequence for both optimization modes; only the batch block differs
        List<String> out = new ArrayList<>(List.of(
                "Callback.onInitStart", "Callback.onInitEnd",
                "configureCallbacks", "prepareData", "Callback.setup", "setup", "configureShardedModel",
                "configureOptimizers",
                "Callback.onFitStart", "onFitStart",
                "Callback.onPretrainRoutineStart", "onPretrainRoutineStart",
                "Callback.onPretrainRoutineEnd", "onPretrainRoutineEnd",
                "Callback.onSanityCheckStart", "onValDataloader", "valDataloader"));
        out.addAll(evaluation("Validation", "validationStep", 1));
        out.addAll(List.of("Callback.onSanityCheckEnd",
                "onTrainDataloader", "trainDataloader", "Callback.onTrainStart", "onTrainStart",
                "Callback.onEpochStart", "onEpochStart", "Callback.onTrainEpochStart", "onTrainEpochStart"));
        out.addAll(batch);
        out.addAll(lastBatch(batch, automatic));
        out.addAll(evaluation("Validation", "validationStep", 2));
        out.addAll(List.of("trainingEpochEnd", "Callback.onTrainEpochEnd", "onTrainEpochEnd",
                "Callback.onEpochEnd", "onEpochEnd",
                "Callback.onTrainEnd", "onTrainEnd", "Callback.onFitEnd", "onFitEnd",
                "Callback.teardown", "teardown"));
        return out;
    }

    private static TrainerConfig.Builder small() {
        return TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(2)).limitValBatches(Limit.count(2))
                .limitTestBatches(Limit.count(2)).limitPredictBatches(Limit.count(2)).numSanityValSteps(1).seed(1L);
    }

    @Test
    public void fitWithSanityCheckAndValidation() {
        trainer(small()).fit(new HookedModel());

        assertEquals(fit(automaticBatch(), true), calls);
    }

    @Test
    public void fitWithManualOptimization() {
        trainer(small()).fit(new ManualModel());

        assertEquals(fit(manualBatch(), false), calls);
    }

    @Test
    public void fitWithoutValidation() {
        trainer(small().limitValBatches(Limit.NONE)).fit(new HookedModel());

        List<String> expected = new ArrayList<>(List.of("Callback.onInitStart", "Callback.onInitEnd",
                "configureCallbacks", "prepareData", "Callback.setup", "setup", "configureShardedModel", "configureOptimizers",
                "Callback.onFitStart", "onFitStart", "Callback.onPretrainRoutineStart", "onPretrainRoutineStart",
                "Callback.onPretrainRoutineEnd", "onPretrainRoutineEnd",
                "onTrainDataloader", "trainDataloader", "Callback.onTrainStart", "onTrainStart",
                "Callback.onEpochStart", "onEpochStart", "Callback.onTrainEpochStart", "onTrainEpochStart"));
        expected.addAll(automaticBatch());
        expected.addAll(lastBatch(automaticBatch(), true));
        expected.addAll(List.of("trainingEpochEnd", "Callback.onTrainEpochEnd", "onTrainEpochEnd", "Callback.onEpochEnd",
                "onEpochEnd", "Callback.onTrainEnd", "onTrainEnd", "Callback.onFitEnd", "onFitEnd", "Callback.teardown", "teardown"));
        assertEquals(expected, calls);
    }

    @Test
    public void validate() {
        trainer(small()).validate(new HookedModel(), Data.fromModule(), CkptPath.NONE);

        List<String> expected = new ArrayList<>(List.of("Callback.onInitStart", "Callback.onInitEnd",
                "configureCallbacks", "prepareData", "Callback.setup", "setup", "configureShardedModel", "onValDataloader", "valDataloader"));
        expected.addAll(evaluation("Validation", "validationStep", 2));
        expected.addAll(List.of("Callback.teardown", "teardown"));
        assertEquals(expected, calls);
    }

    @Test
    public void test() {
        trainer(small()).test(new HookedModel(), Data.fromModule(), CkptPath.NONE);

        List<String> expected = new ArrayList<>(List.of("Callback.onInitStart", "Callback.onInitEnd",
                "configureCallbacks", "prepareData", "Callback.setup", "setup", "configureShardedModel", "onTestDataloader", "testDataloader"));
        expected.addAll(evaluation("Test", "testStep", 2));
        expected.addAll(List.of("Callback.teardown", "teardown"));
        assertEquals(expected, calls);
    }

    @Test
    public void predict() {
        LightningModule model = new HookedModel();
        trainer(small()).predict(model, Data.fromModule(), CkptPath.NONE);

        List<String> expected = new ArrayList<>(List.of("Callback.onInitStart", "Callback.onInitEnd",
                "configureCallbacks", "prepareData", "Callback.setup", "setup", "configureShardedModel", "onPredictDataloader", "predictDataloader",
                "onPredictModelEval", "Callback.onPredictStart", "onPredictStart", "Callback.onPredictEpochStart",
                "onPredictEpochStart"));
        for (int i = 0; i < 2; i++) {
            expected.addAll(TRIO);
            expected.addAll(List.of("Callback.onPredictBatchStart", "onPredictBatchStart", "predictStep",
                    "Callback.onPredictBatchEnd", "onPredictBatchEnd"));
        }
        expected.addAll(List.of("Callback.onPredictEpochEnd", "onPredictEpochEnd", "Callback.onPredictEnd", "onPredictEnd",
                "Callback.teardown", "teardown"));
        assertEquals(expected, calls);
    }

    /**
     * Lightning 1.6.5's test_hooks.py::test_trainer_model_hook_system_eval with batches=0: the stage still asks for its
     * dataloader, but the evaluation loop and all its hooks are skipped before teardown.
     */
    @Test
    public void validateAndTestWithoutBatchesSkipTheLoop() {
        for (Stage stage : List.of(Stage.VALIDATE, Stage.TEST)) {
            calls.clear();
            DefaultTrainer trainer = trainer(small().limitValBatches(Limit.NONE).limitTestBatches(Limit.NONE));
            List<Map<String, Double>> results = stage == Stage.VALIDATE
                    ? trainer.validate(new HookedModel(), Data.fromModule(), CkptPath.NONE)
                    : trainer.test(new HookedModel(), Data.fromModule(), CkptPath.NONE);

            assertEquals(List.of(), results);
            assertEquals(List.of("Callback.onInitStart", "Callback.onInitEnd", "configureCallbacks", "prepareData",
                    "Callback.setup", "setup", "configureShardedModel", stage == Stage.VALIDATE ? "onValDataloader" : "onTestDataloader",
                    stage == Stage.VALIDATE ? "valDataloader" : "testDataloader",
                    "Callback.teardown", "teardown"), calls);
        }
    }
}
