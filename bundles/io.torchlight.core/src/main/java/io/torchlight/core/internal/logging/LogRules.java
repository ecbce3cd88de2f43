package io.torchlight.core.internal.logging;

import io.torchlight.api.TorchlightException;
import io.torchlight.core.internal.hooks.Hook;

/** Where {@code log} may be called: what a {@link Hook} allows, or an error naming it and where to log instead. */
public final class LogRules {

    private LogRules() {
    }

    /** How the hook may log, or an error naming it when it may not. */
    public static Hook.Logging of(Hook hook) {
        if (hook == null) {
            throw new TorchlightException("log() was called outside of any hook: log from trainingStep, validationStep, "
                    + "the epoch-end hooks or the batch/epoch hooks");
        }
        if (hook.logging() == Hook.Logging.NONE) {
            throw new TorchlightException("log() is not allowed in " + hook + " (" + hook.whyNoLogging() + "): log from "
                    + "trainingStep, validationStep, testStep, the epoch-end hooks or the batch/epoch hooks");
        }
        return hook.logging();
    }
}
