package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.LossClosure;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.junit.Test;

import io.torchlight.api.Callback;
import io.torchlight.api.CheckpointHooks;
import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.DataHooks;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Limit;
import io.torchlight.api.ModelHooks;
import io.torchlight.api.OptimizationHooks;
import io.torchlight.api.Stage;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerView;
import io.torchlight.api.optim.LightningOptimizer;
import io.torchlight.core.HookRecorders.RecordingCallback;
import io.torchlight.core.HookRecorders.RecordingModel;
import io.torchlight.demos.BoringModel;
import io.torchlight.utils.data.Batch;

/**
 * The golden hook order: the calls a module and a callback that override every hook really receive, against the lists
 * of Lightning 1.6.5's tests/models/test_hooks.py (test_trainer_model_hook_system_fit with automatic and manual
 * optimization, test_trainer_model_hook_system_eval for validate and test with and without batches,
 * test_trainer_model_hook_system_predict) and tests/trainer/test_trainer.py::test_train_loop_system. Each list is
 * Lightning's, recorded the way its HookedModel and HookedCallback record, less what has no Java counterpart: the
 * {@code nn.Module} calls {@code train(mode)} and {@code zero_grad()}, and the three checkpoint hooks the default
 * ModelCheckpoint adds at {@code on_train_epoch_end} (these runs switch checkpointing off; ModelCheckpointTest pins them).
 */
public class HookOrderTest {

    private final List<String> calls = new ArrayList<>();

    /** The manual-optimization variant of Lightning's test: zero_grad, manual_backward, step with a closure. */
    static final class ManualModel extends RecordingModel {
        ManualModel(List<String> calls) {
            super(calls);
            automaticOptimization(false);
        }

        @Override
        public Object trainingStep(Batch batch, int batchIdx) {
            LightningOptimizer opt = optimizer();
            opt.zeroGrad();
            Tensor loss = loss(forward(batch.input()));
            manualBackward(loss);
            opt.step(() -> calls.add("closure"));
            return record("trainingStep", Map.of("loss", loss));
        }
    }

    private Trainer trainer(TrainerConfig.Builder config) {
        return Torchlight.trainer(config.build(), TestTrainers.plugins().withCallback(new RecordingCallback(calls)));
    }

    private static TrainerConfig.Builder small() {
        return TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(2)).limitValBatches(Limit.count(2))
                .limitTestBatches(Limit.count(2)).limitPredictBatches(Limit.count(2)).numSanityValSteps(1).seed(1L);
    }

    private static final List<String> TRANSFER = List.of("onBeforeBatchTransfer", "transferBatchToDevice", "onAfterBatchTransfer");

    /** From Callback.on_init_start to Callback.on_configure_sharded_model: the same for every stage. */
    private static List<String> head() {
        return new ArrayList<>(List.of("Callback.onInitStart", "Callback.onInitEnd", "configureCallbacks", "prepareData",
                "Callback.onBeforeAcceleratorBackendSetup", "Callback.setup", "setup", "configureShardedModel",
                "Callback.onConfigureShardedModel"));
    }

    /** HookedModel._eval_epoch: the epoch hooks around the batches of one evaluation dataloader. */
    private static List<String> evalEpoch(String kind, String step, int batches) {
        List<String> out = new ArrayList<>(List.of("Callback.onEpochStart", "onEpochStart", "Callback.on" + kind + "EpochStart",
                "on" + kind + "EpochStart"));
        for (int i = 0; i < batches; i++) {
            out.addAll(TRANSFER);
            out.addAll(List.of("Callback.on" + kind + "BatchStart", "on" + kind + "BatchStart", "forward", step, step + "End",
                    "Callback.on" + kind + "BatchEnd", "on" + kind + "BatchEnd"));
        }
        out.addAll(List.of(step.replace("Step", "EpochEnd"), "Callback.on" + kind + "EpochEnd", "on" + kind + "EpochEnd",
                "Callback.onEpochEnd", "onEpochEnd"));
        return out;
    }

    /** An evaluation run from its model-eval hook to its model-train hook. */
    private static List<String> evaluation(String kind, String step, int batches) {
        List<String> out = new ArrayList<>(List.of("on" + kind + "ModelEval", "Callback.on" + kind + "Start", "on" + kind + "Start"));
        out.addAll(evalEpoch(kind, step, batches));
        out.addAll(List.of("Callback.on" + kind + "End", "on" + kind + "End", "on" + kind + "ModelTrain"));
        return out;
    }

    /**
     * HookedModel._auto_train_batch: the closure (training step, zero-grad, backward) runs inside optimizerStep, then
     * onBeforeOptimizerStep and clipping, all before optimizerStep returns; at the epoch's last batch the epoch
     * StepLR of BoringModel steps before onTrainBatchEnd.
     */
    private static List<String> automaticBatch(boolean last) {
        List<String> out = new ArrayList<>(TRANSFER);
        out.addAll(List.of("Callback.onBatchStart", "Callback.onTrainBatchStart", "onTrainBatchStart",
                "forward", "trainingStep", "trainingStepEnd",
                "Callback.onBeforeZeroGrad", "onBeforeZeroGrad", "optimizerZeroGrad",
                "Callback.onBeforeBackward", "onBeforeBackward", "backward", "Callback.onAfterBackward", "onAfterBackward",
                "Callback.onBeforeOptimizerStep", "onBeforeOptimizerStep", "clipGradients", "configureGradientClipping",
                "optimizerStep"));
        if (last) {
            out.add("lrSchedulerStep");
        }
        out.addAll(List.of("Callback.onTrainBatchEnd", "onTrainBatchEnd", "Callback.onBatchEnd"));
        return out;
    }

    /** HookedModel._manual_train_batch: manualBackward runs the backward hooks; the closure runs before onBeforeOptimizerStep. */
    private static List<String> manualBatch() {
        List<String> out = new ArrayList<>(TRANSFER);
        out.addAll(List.of("Callback.onBatchStart", "Callback.onTrainBatchStart", "onTrainBatchStart", "forward",
                "Callback.onBeforeBackward", "onBeforeBackward", "backward", "Callback.onAfterBackward", "onAfterBackward",
                "manualBackward", "closure", "Callback.onBeforeOptimizerStep", "onBeforeOptimizerStep",
                "trainingStep", "trainingStepEnd", "Callback.onTrainBatchEnd", "onTrainBatchEnd", "Callback.onBatchEnd"));
        return out;
    }

    /** test_trainer_model_hook_system_fit: sanity check of one batch, two training batches, validation of two. */
    private static List<String> fit(List<String> firstBatch, List<String> lastBatch) {
        List<String> out = head();
        out.addAll(List.of("configureOptimizers", "Callback.onFitStart", "onFitStart",
                "Callback.onPretrainRoutineStart", "onPretrainRoutineStart", "Callback.onPretrainRoutineEnd", "onPretrainRoutineEnd",
                "Callback.onSanityCheckStart", "onValDataloader", "valDataloader"));
        out.addAll(evaluation("Validation", "validationStep", 1));
        out.addAll(List.of("Callback.onSanityCheckEnd", "onTrainDataloader", "trainDataloader", "Callback.onTrainStart",
                "onTrainStart", "Callback.onEpochStart", "onEpochStart", "Callback.onTrainEpochStart", "onTrainEpochStart"));
        out.addAll(firstBatch);
        out.addAll(lastBatch);
        out.addAll(evaluation("Validation", "validationStep", 2));
        out.addAll(List.of("trainingEpochEnd", "Callback.onTrainEpochEnd", "onTrainEpochEnd", "Callback.onEpochEnd", "onEpochEnd",
                "Callback.onTrainEnd", "onTrainEnd", "Callback.onFitEnd", "onFitEnd", "Callback.teardown", "teardown"));
        return out;
    }

    /** An evaluation stage on its own (test_trainer_model_hook_system_eval). */
    private static List<String> evaluate(String loader, String kind, String step, int batches) {
        List<String> out = head();
        out.addAll(List.of("on" + loader + "Dataloader", loader.toLowerCase() + "Dataloader"));
        if (batches > 0) {
            out.addAll(evaluation(kind, step, batches));
        }
        out.addAll(List.of("Callback.teardown", "teardown"));
        return out;
    }

    @Test
    public void theRecordersOverrideEveryHook() throws NoSuchMethodException {
        for (Class<?> hooks : List.of(ModelHooks.class, DataHooks.class, CheckpointHooks.class, OptimizationHooks.class)) {
            for (Method hook : hooks.getDeclaredMethods()) {
                if (hook.isDefault()) {
                    RecordingModel.class.getDeclaredMethod(hook.getName(), hook.getParameterTypes());
                }
            }
        }
        for (Method hook : Callback.class.getDeclaredMethods()) {
            if (hook.isDefault()) {
                RecordingCallback.class.getDeclaredMethod(hook.getName(), hook.getParameterTypes());
            }
        }
    }

    @Test
    public void fitWithAutomaticOptimization() {
        trainer(small()).fit(new RecordingModel(calls));

        assertEquals(fit(automaticBatch(false), automaticBatch(true)), calls);
    }

    @Test
    public void fitWithManualOptimization() {
        trainer(small()).fit(new ManualModel(calls));

        assertEquals(fit(manualBatch(), manualBatch()), calls);
    }

    @Test
    public void fitWithoutValidation() {
        trainer(small().limitValBatches(Limit.NONE)).fit(new RecordingModel(calls));

        List<String> expected = head();
        expected.addAll(List.of("configureOptimizers", "Callback.onFitStart", "onFitStart", "Callback.onPretrainRoutineStart",
                "onPretrainRoutineStart", "Callback.onPretrainRoutineEnd", "onPretrainRoutineEnd", "onTrainDataloader",
                "trainDataloader", "Callback.onTrainStart", "onTrainStart", "Callback.onEpochStart", "onEpochStart",
                "Callback.onTrainEpochStart", "onTrainEpochStart"));
        expected.addAll(automaticBatch(false));
        expected.addAll(automaticBatch(true));
        expected.addAll(List.of("trainingEpochEnd", "Callback.onTrainEpochEnd", "onTrainEpochEnd", "Callback.onEpochEnd",
                "onEpochEnd", "Callback.onTrainEnd", "onTrainEnd", "Callback.onFitEnd", "onFitEnd", "Callback.teardown", "teardown"));
        assertEquals(expected, calls);
    }

    /**
     * test_trainer_model_hook_system_fit_no_val_and_resume: a fit resumed from a checkpoint loads it after the setup
     * hooks and before configureOptimizers: the module's onLoadCheckpoint, the callbacks' onLoadCheckpoint, then each
     * callback's saved state through loadStateDict. Saving it ran stateDict, the callbacks' onSaveCheckpoint, then the
     * module's.
     */
    @Test
    public void aResumedFitLoadsTheCheckpointBetweenSetupAndConfigureOptimizers() throws IOException {
        Path ckpt = Files.createTempFile("hooks", ".ckpt");
        try {
            Trainer first = trainer(small().limitValBatches(Limit.NONE).maxEpochs(1));
            first.fit(new RecordingModel(calls));
            calls.clear();
            first.saveCheckpoint(ckpt, false);
            assertEquals(List.of("Callback.stateDict", "Callback.onSaveCheckpoint", "onSaveCheckpoint"), calls);

            calls.clear();
            trainer(small().limitValBatches(Limit.NONE).maxEpochs(2)).fit(new RecordingModel(calls), Data.fromModule(),
                    CkptPath.of(ckpt));

            List<String> expected = head();
            expected.addAll(List.of("onLoadCheckpoint", "Callback.onLoadCheckpoint", "Callback.loadStateDict",
                    "configureOptimizers", "Callback.onFitStart", "onFitStart"));
            assertEquals(expected, calls.subList(0, expected.size()));
        } finally {
            Files.deleteIfExists(ckpt);
        }
    }

    @Test
    public void validate() {
        trainer(small()).validate(new RecordingModel(calls));

        assertEquals(evaluate("Val", "Validation", "validationStep", 2), calls);
    }

    @Test
    public void test() {
        trainer(small()).test(new RecordingModel(calls));

        assertEquals(evaluate("Test", "Test", "testStep", 2), calls);
    }

    /** test_trainer_model_hook_system_eval with batches=0: the dataloader is asked for, the loop and its hooks skipped. */
    @Test
    public void validateAndTestWithoutBatchesSkipTheLoop() {
        for (Stage stage : List.of(Stage.VALIDATE, Stage.TEST)) {
            calls.clear();
            Trainer trainer = trainer(small().limitValBatches(Limit.NONE).limitTestBatches(Limit.NONE));
            List<Map<String, Double>> results = stage == Stage.VALIDATE ? trainer.validate(new RecordingModel(calls))
                    : trainer.test(new RecordingModel(calls));

            assertEquals(List.of(), results);
            assertEquals(stage == Stage.VALIDATE ? evaluate("Val", "Validation", "validationStep", 0)
                    : evaluate("Test", "Test", "testStep", 0), calls);
        }
    }

    @Test
    public void predict() {
        trainer(small()).predict(new RecordingModel(calls));

        List<String> expected = head();
        expected.addAll(List.of("onPredictDataloader", "predictDataloader", "onPredictModelEval", "Callback.onPredictStart",
                "onPredictStart", "Callback.onPredictEpochStart", "onPredictEpochStart"));
        for (int i = 0; i < 2; i++) {
            expected.addAll(TRANSFER);
            expected.addAll(List.of("Callback.onPredictBatchStart", "onPredictBatchStart", "forward", "predictStep",
                    "Callback.onPredictBatchEnd", "onPredictBatchEnd"));
        }
        expected.addAll(List.of("Callback.onPredictEpochEnd", "onPredictEpochEnd", "Callback.onPredictEnd", "onPredictEnd",
                "Callback.teardown", "teardown"));
        assertEquals(expected, calls);
    }

    /**
     * Lightning 1.6.5's tests/trainer/test_trainer.py::test_exception_hook (its non-interrupt half): an error in a hook
     * reaches every callback's onException, then the stage raises it; teardown hooks do not run.
     */
    @Test
    public void onExceptionSeesTheErrorTheStageRaises() {
        IllegalStateException broken = new IllegalStateException("broken on purpose");
        List<Throwable> seen = new ArrayList<>();
        Callback failing = new Callback() {
            @Override
            public void onTestStart(TrainerView trainer, LightningModule module) {
                throw broken;
            }

            @Override
            public void onException(TrainerView trainer, LightningModule module, Throwable error) {
                seen.add(error);
            }
        };
        Trainer trainer = Torchlight.trainer(small().build(), TestTrainers.plugins().withCallback(failing)
                .withCallback(new RecordingCallback(calls)));

        RuntimeException raised = assertThrows(RuntimeException.class, () -> trainer.test(new RecordingModel(calls)));

        assertEquals(List.of(raised), seen);
        assertTrue(raised.toString(), raised == broken || raised.getCause() == broken);
        assertEquals("Callback.onException", calls.get(calls.size() - 1));
        assertTrue(calls.toString(), !calls.contains("Callback.teardown"));
    }

    /** test_trainer_model_hook_system_predict with batches=0: the dataloader is asked for, the loop and its hooks skipped. */
    @Test
    public void predictWithoutBatchesSkipsTheLoop() {
        List<Object> predictions = trainer(small().limitPredictBatches(Limit.NONE)).predict(new RecordingModel(calls));

        List<String> expected = head();
        expected.addAll(List.of("onPredictDataloader", "predictDataloader", "Callback.teardown", "teardown"));
        assertEquals(expected, calls);
        assertEquals(List.of(), predictions);
    }

    /** test_train_loop_system's TestOptimizer: an SGD that records when its step and zero_grad are entered. */
    static final class SpySgd extends SGD {
        private final List<String> calls;

        SpySgd(TensorVector params, List<String> calls) {
            super(params, new SGDOptions(0.1));
            this.calls = calls;
        }

        @Override
        public Tensor step(LossClosure closure) {
            calls.add("step");
            return super.step(closure);
        }

        @Override
        public void zero_grad() {
            calls.add("zero_grad");
            super.zero_grad();
        }
    }

    /** test_train_loop_system's TestModel: records its training step and backward on entry. */
    static final class SpiedModel extends BoringModel {
        private final List<String> calls;

        SpiedModel(List<String> calls) {
            this.calls = calls;
        }

        @Override
        public Object configureOptimizers() {
            return new SpySgd(parameters(), calls);
        }

        @Override
        public Object trainingStep(Batch batch, int batchIdx) {
            calls.add("training_step");
            return super.trainingStep(batch, batchIdx);
        }

        @Override
        public void backward(Tensor loss, LightningOptimizer optimizer, int optimizerIdx) {
            calls.add("backward");
            super.backward(loss, optimizer, optimizerIdx);
        }
    }

    private static TrainerConfig.Builder loopSystem() {
        return TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(5)).limitValBatches(Limit.count(1))
                .limitTestBatches(Limit.count(1)).seed(1L);
    }

    /**
     * test_train_loop_system: optimizer.step is entered first and runs the closure (training_step, zero_grad,
     * backward) inside it, so the order is not training_step, zero_grad, backward, step.
     */
    @Test
    public void theOptimizerStepIsEnteredBeforeTheClosureItRuns() {
        Torchlight.trainer(loopSystem().build(), TestTrainers.plugins()).fit(new SpiedModel(calls));

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expected.addAll(List.of("step", "training_step", "zero_grad", "backward"));
        }
        assertEquals(expected, calls);
    }

    /**
     * test_train_loop_system with accumulate_grad_batches=3: zero_grad at each window's first batch, step entered at
     * its last batch and at the epoch's last batch.
     */
    @Test
    public void withAccumulationTheStepComesAtEachWindowsLastBatch() {
        Torchlight.trainer(loopSystem().accumulateGradBatches(3).build(), TestTrainers.plugins()).fit(new SpiedModel(calls));

        assertEquals(List.of(
                "training_step", "zero_grad", "backward",
                "training_step", "backward",
                "step", "training_step", "backward",
                "training_step", "zero_grad", "backward",
                "step", "training_step", "backward"), calls);
    }
}
