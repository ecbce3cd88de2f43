package io.torchlight.core.internal.logging;

import java.util.Map;
import java.util.Set;

import io.torchlight.api.TorchlightException;

/**
 * Where {@code log} may be called and with which defaults, as Lightning 1.6's {@code _FxValidator}:
 * training step hooks log per step by default, evaluation steps and epoch-level hooks per epoch; the
 * epoch-level hooks cannot log per step; everything else (setup, prediction, checkpoint and
 * configuration hooks) cannot log at all.
 */
public final class LogRules {

    /** The defaults of one hook, and whether it may log per step. */
    public record Rule(boolean defaultOnStep, boolean defaultOnEpoch, boolean stepAllowed) {
    }

    private static final Rule STEP = new Rule(true, false, true);
    private static final Rule EVAL_STEP = new Rule(false, true, true);
    private static final Rule EPOCH = new Rule(false, true, false);

    private static final Set<String> STEP_HOOKS = Set.of("trainingStep", "trainingStepEnd", "onTrainBatchStart",
            "onTrainBatchEnd", "onBeforeBackward", "onAfterBackward", "onBeforeOptimizerStep", "onBeforeZeroGrad",
            "optimizerStep", "optimizerZeroGrad", "backward", "configureGradientClipping", "manualBackward");
    private static final Set<String> EVAL_STEP_HOOKS = Set.of("validationStep", "validationStepEnd", "testStep",
            "testStepEnd", "onValidationBatchStart", "onValidationBatchEnd", "onTestBatchStart", "onTestBatchEnd");
    private static final Set<String> EPOCH_HOOKS = Set.of("trainingEpochEnd", "validationEpochEnd", "testEpochEnd",
            "onTrainEpochStart", "onTrainEpochEnd", "onValidationEpochStart", "onValidationEpochEnd", "onTestEpochStart",
            "onTestEpochEnd", "onEpochStart", "onEpochEnd", "onTrainStart", "onValidationStart", "onTestStart");

    private static final Map<String, String> WHY_NOT = Map.of(
            "predictStep", "prediction does not log",
            "setup", "nothing runs yet in setup",
            "onSaveCheckpoint", "checkpoint hooks do not log",
            "onLoadCheckpoint", "checkpoint hooks do not log");

    private LogRules() {
    }

    /** The rule of a hook, or an error naming it when it may not log. */
    public static Rule of(String hook) {
        if (hook == null) {
            throw new TorchlightException("log() was called outside of any hook: log from trainingStep, validationStep, "
                    + "the epoch-end hooks or the batch/epoch hooks");
        }
        if (STEP_HOOKS.contains(hook)) {
            return STEP;
        }
        if (EVAL_STEP_HOOKS.contains(hook)) {
            return EVAL_STEP;
        }
        if (EPOCH_HOOKS.contains(hook)) {
            return EPOCH;
        }
        String why = WHY_NOT.getOrDefault(hook, "it is not a step, batch or epoch hook");
        throw new TorchlightException("log() is not allowed in " + hook + " (" + why + "): log from trainingStep, "
                + "validationStep, testStep, the epoch-end hooks or the batch/epoch hooks");
    }
}
