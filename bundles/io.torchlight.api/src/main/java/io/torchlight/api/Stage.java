package io.torchlight.api;

import java.util.Locale;

/** What the trainer is doing: the stage passed to {@code setup} and {@code teardown}. */
public enum Stage {
    /** {@code Trainer.fit}: training, with validation when the module has a validation step. */
    FIT,
    /** {@code Trainer.validate}: one pass over the validation data. */
    VALIDATE,
    /** {@code Trainer.test}: one pass over the test data. */
    TEST,
    /** {@code Trainer.predict}: one pass over the prediction data, collecting outputs. */
    PREDICT;

    /** Lightning's lower-case name of the stage ({@code "fit"}, {@code "validate"}, ...). */
    public String lightningName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
