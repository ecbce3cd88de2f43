package io.torchlight.core.internal;

import java.util.List;

import io.torchlight.api.LightningModule;
import io.torchlight.api.TrainerView;
import io.torchlight.utils.data.Batch;

/** The test hooks, dispatched through {@link Hooks}. */
final class TestHooks implements EvaluationHooks {

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
        hooks.module("onTestModelEval", m::onTestModelEval);
    }

    @Override
    public void modelTrain() {
        hooks.module("onTestModelTrain", m::onTestModelTrain);
    }

    @Override
    public void start() {
        hooks.both("onTestStart", c -> c.onTestStart(t, m), m::onTestStart);
    }

    @Override
    public void epochStart() {
        hooks.both("onEpochStart", c -> c.onEpochStart(t, m), m::onEpochStart);
        hooks.both("onTestEpochStart", c -> c.onTestEpochStart(t, m), m::onTestEpochStart);
    }

    @Override
    public void batchStart(Batch batch, int batchIdx, int dataloaderIdx) {
        hooks.callbacks("onTestBatchStart", c -> c.onTestBatchStart(t, m, batch, batchIdx, dataloaderIdx));
        hooks.module("onTestBatchStart", () -> m.onTestBatchStart(batch, batchIdx, dataloaderIdx));
    }

    @Override
    public Object step(Batch batch, int batchIdx, int dataloaderIdx, boolean severalLoaders) {
        return hooks.module("testStep", () -> severalLoaders
                ? m.testStep(batch, batchIdx, dataloaderIdx) : m.testStep(batch, batchIdx));
    }

    @Override
    public Object stepEnd(Object output) {
        return hooks.module("testStepEnd", () -> m.testStepEnd(output));
    }

    @Override
    public void batchEnd(Object output, Batch batch, int batchIdx, int dataloaderIdx) {
        hooks.callbacks("onTestBatchEnd", c -> c.onTestBatchEnd(t, m, output, batch, batchIdx, dataloaderIdx));
        hooks.module("onTestBatchEnd", () -> m.onTestBatchEnd(output, batch, batchIdx, dataloaderIdx));
    }

    @Override
    public boolean keepsOutputs() {
        return keeps;
    }

    @Override
    public void epochEndOutputs(List<Object> outputs) {
        hooks.module("testEpochEnd", () -> m.testEpochEnd(outputs));
    }

    @Override
    public void epochEnd() {
        hooks.both("onTestEpochEnd", c -> c.onTestEpochEnd(t, m), m::onTestEpochEnd);
        hooks.both("onEpochEnd", c -> c.onEpochEnd(t, m), m::onEpochEnd);
    }

    @Override
    public void end() {
        hooks.both("onTestEnd", c -> c.onTestEnd(t, m), m::onTestEnd);
    }
}
