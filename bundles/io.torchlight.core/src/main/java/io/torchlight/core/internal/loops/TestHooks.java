package io.torchlight.core.internal.loops;

import java.util.List;

import io.torchlight.api.LightningModule;
import io.torchlight.api.TrainerView;
import io.torchlight.core.internal.hooks.Hook;
import io.torchlight.core.internal.hooks.Hooks;
import io.torchlight.core.internal.hooks.Overrides;
import io.torchlight.utils.data.Batch;

/** The test hooks, dispatched through {@link Hooks}. */
public final class TestHooks implements EvaluationHooks {

    private final Hooks hooks;
    private final TrainerView t;
    private final LightningModule m;
    private final boolean keeps;

    TestHooks(Hooks hooks, TrainerView trainer, LightningModule module) {
        this.hooks = hooks;
        this.t = trainer;
        this.m = module;
        this.keeps = Overrides.overridden(module, "testEpochEnd", List.class);
    }

    @Override
    public String stepName() {
        return "testStep";
    }

    @Override
    public void modelEval() {
        hooks.module(Hook.ON_TEST_MODEL_EVAL, m::onTestModelEval);
    }

    @Override
    public void modelTrain() {
        hooks.module(Hook.ON_TEST_MODEL_TRAIN, m::onTestModelTrain);
    }

    @Override
    public void start() {
        hooks.both(Hook.ON_TEST_START, c -> c.onTestStart(t, m), m::onTestStart);
    }

    @Override
    public void epochStart() {
        hooks.both(Hook.ON_EPOCH_START, c -> c.onEpochStart(t, m), m::onEpochStart);
        hooks.both(Hook.ON_TEST_EPOCH_START, c -> c.onTestEpochStart(t, m), m::onTestEpochStart);
    }

    @Override
    public void batchStart(Batch batch, int batchIdx, int dataloaderIdx) {
        hooks.callbacks(Hook.ON_TEST_BATCH_START, c -> c.onTestBatchStart(t, m, batch, batchIdx, dataloaderIdx));
        hooks.module(Hook.ON_TEST_BATCH_START, () -> m.onTestBatchStart(batch, batchIdx, dataloaderIdx));
    }

    @Override
    public Object step(Batch batch, int batchIdx, int dataloaderIdx) {
        // the three-argument form, whose default calls the two-argument one: a module may override either
        return hooks.module(Hook.TEST_STEP, () -> m.testStep(batch, batchIdx, dataloaderIdx));
    }

    @Override
    public Object stepEnd(Object output) {
        return hooks.module(Hook.TEST_STEP_END, () -> m.testStepEnd(output));
    }

    @Override
    public void batchEnd(Object output, Batch batch, int batchIdx, int dataloaderIdx) {
        hooks.callbacks(Hook.ON_TEST_BATCH_END, c -> c.onTestBatchEnd(t, m, output, batch, batchIdx, dataloaderIdx));
        hooks.module(Hook.ON_TEST_BATCH_END, () -> m.onTestBatchEnd(output, batch, batchIdx, dataloaderIdx));
    }

    @Override
    public boolean keepsOutputs() {
        return keeps;
    }

    @Override
    public void epochEndOutputs(List<Object> outputs) {
        hooks.module(Hook.TEST_EPOCH_END, () -> m.testEpochEnd(outputs));
    }

    @Override
    public void epochEnd() {
        hooks.both(Hook.ON_TEST_EPOCH_END, c -> c.onTestEpochEnd(t, m), m::onTestEpochEnd);
        hooks.both(Hook.ON_EPOCH_END, c -> c.onEpochEnd(t, m), m::onEpochEnd);
    }

    @Override
    public void end() {
        hooks.both(Hook.ON_TEST_END, c -> c.onTestEnd(t, m), m::onTestEnd);
    }
}
