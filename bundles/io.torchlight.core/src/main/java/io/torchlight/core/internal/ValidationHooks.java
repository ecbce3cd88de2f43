package io.torchlight.core.internal;

import java.util.List;

import io.torchlight.api.LightningModule;
import io.torchlight.api.TrainerView;
import io.torchlight.utils.data.Batch;

/** The validation hooks, dispatched through {@link Hooks}. */
final class ValidationHooks implements EvaluationHooks {

    private final Hooks hooks;
    private final TrainerView t;
    private final LightningModule m;
    private final boolean keeps;

    ValidationHooks(Hooks hooks, TrainerView trainer, LightningModule module) {
        this.hooks = hooks;
        this.t = trainer;
        this.m = module;
        this.keeps = Overrides.overridden(module, "validationEpochEnd", List.class);
    }

    @Override
    public String stepName() {
        return "validationStep";
    }

    @Override
    public void modelEval() {
        hooks.module("onValidationModelEval", m::onValidationModelEval);
    }

    @Override
    public void modelTrain() {
        hooks.module("onValidationModelTrain", m::onValidationModelTrain);
    }

    @Override
    public void start() {
        hooks.both("onValidationStart", c -> c.onValidationStart(t, m), m::onValidationStart);
    }

    @Override
    public void epochStart() {
        hooks.both("onEpochStart", c -> c.onEpochStart(t, m), m::onEpochStart);
        hooks.both("onValidationEpochStart", c -> c.onValidationEpochStart(t, m), m::onValidationEpochStart);
    }

    @Override
    public void batchStart(Batch batch, int batchIdx, int dataloaderIdx) {
        hooks.callbacks("onValidationBatchStart", c -> c.onValidationBatchStart(t, m, batch, batchIdx, dataloaderIdx));
        hooks.module("onValidationBatchStart", () -> m.onValidationBatchStart(batch, batchIdx, dataloaderIdx));
    }

    @Override
    public Object step(Batch batch, int batchIdx, int dataloaderIdx, boolean severalLoaders) {
        return hooks.module("validationStep", () -> severalLoaders
                ? m.validationStep(batch, batchIdx, dataloaderIdx) : m.validationStep(batch, batchIdx));
    }

    @Override
    public Object stepEnd(Object output) {
        return hooks.module("validationStepEnd", () -> m.validationStepEnd(output));
    }

    @Override
    public void batchEnd(Object output, Batch batch, int batchIdx, int dataloaderIdx) {
        hooks.callbacks("onValidationBatchEnd", c -> c.onValidationBatchEnd(t, m, output, batch, batchIdx, dataloaderIdx));
        hooks.module("onValidationBatchEnd", () -> m.onValidationBatchEnd(output, batch, batchIdx, dataloaderIdx));
    }

    @Override
    public boolean keepsOutputs() {
        return keeps;
    }

    @Override
    public void epochEndOutputs(List<Object> outputs) {
        hooks.module("validationEpochEnd", () -> m.validationEpochEnd(outputs));
    }

    @Override
    public void epochEnd() {
        hooks.both("onValidationEpochEnd", c -> c.onValidationEpochEnd(t, m), m::onValidationEpochEnd);
        hooks.both("onEpochEnd", c -> c.onEpochEnd(t, m), m::onEpochEnd);
    }

    @Override
    public void end() {
        hooks.both("onValidationEnd", c -> c.onValidationEnd(t, m), m::onValidationEnd);
    }
}
