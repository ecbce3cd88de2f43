package io.torchlight.core.internal.loops;

import java.util.List;

import io.torchlight.api.LightningModule;
import io.torchlight.api.TrainerView;
import io.torchlight.core.internal.hooks.Hook;
import io.torchlight.core.internal.hooks.Hooks;
import io.torchlight.core.internal.hooks.Overrides;
import io.torchlight.utils.data.Batch;

/** The validation hooks, dispatched through {@link Hooks}. */
public final class ValidationHooks implements EvaluationHooks {

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
        hooks.module(Hook.ON_VALIDATION_MODEL_EVAL, m::onValidationModelEval);
    }

    @Override
    public void modelTrain() {
        hooks.module(Hook.ON_VALIDATION_MODEL_TRAIN, m::onValidationModelTrain);
    }

    @Override
    public void start() {
        hooks.both(Hook.ON_VALIDATION_START, c -> c.onValidationStart(t, m), m::onValidationStart);
    }

    @Override
    public void epochStart() {
        hooks.both(Hook.ON_EPOCH_START, c -> c.onEpochStart(t, m), m::onEpochStart);
        hooks.both(Hook.ON_VALIDATION_EPOCH_START, c -> c.onValidationEpochStart(t, m), m::onValidationEpochStart);
    }

    @Override
    public void batchStart(Batch batch, int batchIdx, int dataloaderIdx) {
        hooks.callbacks(Hook.ON_VALIDATION_BATCH_START, c -> c.onValidationBatchStart(t, m, batch, batchIdx, dataloaderIdx));
        hooks.module(Hook.ON_VALIDATION_BATCH_START, () -> m.onValidationBatchStart(batch, batchIdx, dataloaderIdx));
    }

    @Override
    public Object step(Batch batch, int batchIdx, int dataloaderIdx) {
        // the three-argument form, whose default calls the two-argument one: a module may override either
        return hooks.module(Hook.VALIDATION_STEP, () -> m.validationStep(batch, batchIdx, dataloaderIdx));
    }

    @Override
    public Object stepEnd(Object output) {
        return hooks.module(Hook.VALIDATION_STEP_END, () -> m.validationStepEnd(output));
    }

    @Override
    public void batchEnd(Object output, Batch batch, int batchIdx, int dataloaderIdx) {
        hooks.callbacks(Hook.ON_VALIDATION_BATCH_END, c -> c.onValidationBatchEnd(t, m, output, batch, batchIdx, dataloaderIdx));
        hooks.module(Hook.ON_VALIDATION_BATCH_END, () -> m.onValidationBatchEnd(output, batch, batchIdx, dataloaderIdx));
    }

    @Override
    public boolean keepsOutputs() {
        return keeps;
    }

    @Override
    public void epochEndOutputs(List<Object> outputs) {
        hooks.module(Hook.VALIDATION_EPOCH_END, () -> m.validationEpochEnd(outputs));
    }

    @Override
    public void epochEnd() {
        hooks.both(Hook.ON_VALIDATION_EPOCH_END, c -> c.onValidationEpochEnd(t, m), m::onValidationEpochEnd);
        hooks.both(Hook.ON_EPOCH_END, c -> c.onEpochEnd(t, m), m::onEpochEnd);
    }

    @Override
    public void end() {
        hooks.both(Hook.ON_VALIDATION_END, c -> c.onValidationEnd(t, m), m::onValidationEnd);
    }
}
