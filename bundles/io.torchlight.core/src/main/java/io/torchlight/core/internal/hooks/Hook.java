package io.torchlight.core.internal.hooks;

/**
 * Every hook the trainer calls, with Lightning's name and where {@code log} may be called from it, as Lightning
 * 1.6's {@code _FxValidator} has it: training step hooks log per step by default, evaluation steps and epoch-level
 * hooks per epoch, the epoch-level hooks cannot log per step, everything else (set-up, prediction, checkpoint and
 * configuration hooks) cannot log at all.
 */
public enum Hook {
    /** A callback's {@code stateDict}, run for the checkpoint being written. */
    CALLBACK_STATE_DICT("Callback.stateDict", Logging.NONE, "checkpoint hooks do not log"),
    /** A callback's {@code loadStateDict}, run for the checkpoint being read. */
    CALLBACK_LOAD_STATE_DICT("Callback.loadStateDict", Logging.NONE, "checkpoint hooks do not log"),
    BACKWARD("backward", Logging.STEP),
    CONFIGURE_CALLBACKS("configureCallbacks", Logging.NONE),
    CONFIGURE_GRADIENT_CLIPPING("configureGradientClipping", Logging.STEP),
    CONFIGURE_OPTIMIZERS("configureOptimizers", Logging.NONE),
    CONFIGURE_SHARDED_MODEL("configureShardedModel", Logging.NONE),
    DATAMODULE_LOAD_STATE_DICT("LightningDataModule.loadStateDict", Logging.NONE, "checkpoint hooks do not log"),
    DATAMODULE_STATE_DICT("LightningDataModule.stateDict", Logging.NONE, "checkpoint hooks do not log"),
    ON_AFTER_BACKWARD("onAfterBackward", Logging.STEP),
    ON_AFTER_BATCH_TRANSFER("onAfterBatchTransfer", Logging.NONE),
    ON_BATCH_END("onBatchEnd", Logging.STEP),
    ON_BATCH_START("onBatchStart", Logging.STEP),
    ON_BEFORE_ACCELERATOR_BACKEND_SETUP("onBeforeAcceleratorBackendSetup", Logging.NONE),
    ON_BEFORE_BACKWARD("onBeforeBackward", Logging.STEP),
    ON_BEFORE_BATCH_TRANSFER("onBeforeBatchTransfer", Logging.NONE),
    ON_BEFORE_OPTIMIZER_STEP("onBeforeOptimizerStep", Logging.STEP),
    ON_BEFORE_ZERO_GRAD("onBeforeZeroGrad", Logging.STEP),
    ON_CONFIGURE_SHARDED_MODEL("onConfigureShardedModel", Logging.NONE),
    ON_EPOCH_END("onEpochEnd", Logging.EPOCH),
    ON_EPOCH_START("onEpochStart", Logging.EPOCH),
    ON_EXCEPTION("onException", Logging.NONE),
    ON_FIT_END("onFitEnd", Logging.NONE),
    ON_FIT_START("onFitStart", Logging.NONE),
    ON_INIT_END("onInitEnd", Logging.NONE),
    ON_INIT_START("onInitStart", Logging.NONE),
    ON_LOAD_CHECKPOINT("onLoadCheckpoint", Logging.NONE, "checkpoint hooks do not log"),
    ON_POST_MOVE_TO_DEVICE("onPostMoveToDevice", Logging.NONE),
    ON_PREDICT_BATCH_END("onPredictBatchEnd", Logging.NONE),
    ON_PREDICT_BATCH_START("onPredictBatchStart", Logging.NONE),
    ON_PREDICT_END("onPredictEnd", Logging.NONE),
    ON_PREDICT_EPOCH_END("onPredictEpochEnd", Logging.NONE),
    ON_PREDICT_EPOCH_START("onPredictEpochStart", Logging.NONE),
    ON_PREDICT_MODEL_EVAL("onPredictModelEval", Logging.NONE),
    ON_PREDICT_START("onPredictStart", Logging.NONE),
    ON_PRETRAIN_ROUTINE_END("onPretrainRoutineEnd", Logging.NONE),
    ON_PRETRAIN_ROUTINE_START("onPretrainRoutineStart", Logging.NONE),
    ON_SANITY_CHECK_END("onSanityCheckEnd", Logging.NONE),
    ON_SANITY_CHECK_START("onSanityCheckStart", Logging.NONE),
    ON_SAVE_CHECKPOINT("onSaveCheckpoint", Logging.NONE, "checkpoint hooks do not log"),
    ON_TEST_BATCH_END("onTestBatchEnd", Logging.EVAL_STEP),
    ON_TEST_BATCH_START("onTestBatchStart", Logging.EVAL_STEP),
    ON_TEST_END("onTestEnd", Logging.NONE),
    ON_TEST_EPOCH_END("onTestEpochEnd", Logging.EPOCH),
    ON_TEST_EPOCH_START("onTestEpochStart", Logging.EPOCH),
    ON_TEST_MODEL_EVAL("onTestModelEval", Logging.NONE),
    ON_TEST_MODEL_TRAIN("onTestModelTrain", Logging.NONE),
    ON_TEST_START("onTestStart", Logging.EPOCH),
    ON_TRAIN_DATALOADER("onTrainDataloader", Logging.NONE),
    ON_VAL_DATALOADER("onValDataloader", Logging.NONE),
    ON_TEST_DATALOADER("onTestDataloader", Logging.NONE),
    ON_PREDICT_DATALOADER("onPredictDataloader", Logging.NONE),
    ON_TRAIN_BATCH_END("onTrainBatchEnd", Logging.STEP),
    ON_TRAIN_BATCH_START("onTrainBatchStart", Logging.STEP),
    ON_TRAIN_END("onTrainEnd", Logging.NONE),
    ON_TRAIN_EPOCH_END("onTrainEpochEnd", Logging.EPOCH),
    ON_TRAIN_EPOCH_START("onTrainEpochStart", Logging.EPOCH),
    ON_TRAIN_START("onTrainStart", Logging.EPOCH),
    ON_VALIDATION_BATCH_END("onValidationBatchEnd", Logging.EVAL_STEP),
    ON_VALIDATION_BATCH_START("onValidationBatchStart", Logging.EVAL_STEP),
    ON_VALIDATION_END("onValidationEnd", Logging.NONE),
    ON_VALIDATION_EPOCH_END("onValidationEpochEnd", Logging.EPOCH),
    ON_VALIDATION_EPOCH_START("onValidationEpochStart", Logging.EPOCH),
    ON_VALIDATION_MODEL_EVAL("onValidationModelEval", Logging.NONE),
    ON_VALIDATION_MODEL_TRAIN("onValidationModelTrain", Logging.NONE),
    ON_VALIDATION_START("onValidationStart", Logging.EPOCH),
    LR_SCHEDULER_STEP("lrSchedulerStep", Logging.NONE),
    OPTIMIZER_STEP("optimizerStep", Logging.STEP),
    OPTIMIZER_ZERO_GRAD("optimizerZeroGrad", Logging.STEP),
    PREDICT_DATALOADER("predictDataloader", Logging.NONE),
    PREDICT_STEP("predictStep", Logging.NONE, "prediction does not log"),
    PREPARE_DATA("prepareData", Logging.NONE),
    SETUP("setup", Logging.NONE, "nothing runs yet in setup"),
    TBPTT_SPLIT_BATCH("tbpttSplitBatch", Logging.NONE),
    TEARDOWN("teardown", Logging.NONE),
    TEST_DATALOADER("testDataloader", Logging.NONE),
    TEST_EPOCH_END("testEpochEnd", Logging.EPOCH),
    TEST_STEP("testStep", Logging.EVAL_STEP),
    TEST_STEP_END("testStepEnd", Logging.EVAL_STEP),
    TRAIN_DATALOADER("trainDataloader", Logging.NONE),
    TRAINING_EPOCH_END("trainingEpochEnd", Logging.EPOCH),
    TRAINING_STEP("trainingStep", Logging.STEP),
    TRAINING_STEP_END("trainingStepEnd", Logging.STEP),
    TRANSFER_BATCH_TO_DEVICE("transferBatchToDevice", Logging.NONE),
    VAL_DATALOADER("valDataloader", Logging.NONE),
    VALIDATION_EPOCH_END("validationEpochEnd", Logging.EPOCH),
    VALIDATION_STEP("validationStep", Logging.EVAL_STEP),
    VALIDATION_STEP_END("validationStepEnd", Logging.EVAL_STEP);

    /** How a hook may log. */
    public enum Logging {
        /** Per step by default; per epoch on request. */
        STEP(true, false, true),
        /** Per epoch by default; per step on request. */
        EVAL_STEP(false, true, true),
        /** Per epoch only. */
        EPOCH(false, true, false),
        /** Not at all. */
        NONE(false, false, false);

        private final boolean defaultOnStep;
        private final boolean defaultOnEpoch;
        private final boolean stepAllowed;

        Logging(boolean defaultOnStep, boolean defaultOnEpoch, boolean stepAllowed) {
            this.defaultOnStep = defaultOnStep;
            this.defaultOnEpoch = defaultOnEpoch;
            this.stepAllowed = stepAllowed;
        }

        public boolean defaultOnStep() {
            return defaultOnStep;
        }

        public boolean defaultOnEpoch() {
            return defaultOnEpoch;
        }

        public boolean stepAllowed() {
            return stepAllowed;
        }
    }

    private final String label;
    private final Logging logging;
    private final String whyNoLogging;

    Hook(String label, Logging logging) {
        this(label, logging, "it is not a step, batch or epoch hook");
    }

    Hook(String label, Logging logging, String whyNoLogging) {
        this.label = label;
        this.logging = logging;
        this.whyNoLogging = whyNoLogging;
    }

    /** Lightning's name in camelCase, e.g. {@code onTrainBatchEnd}. */
    public String label() {
        return label;
    }

    public Logging logging() {
        return logging;
    }

    /** Why {@code log} is refused here, for a {@link Logging#NONE} hook. */
    public String whyNoLogging() {
        return whyNoLogging;
    }

    @Override
    public String toString() {
        return label;
    }
}
