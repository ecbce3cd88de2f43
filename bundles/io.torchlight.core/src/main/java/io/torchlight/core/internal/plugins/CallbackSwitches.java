package io.torchlight.core.internal.plugins;

import java.util.function.Predicate;

import io.torchlight.api.Callback;
import io.torchlight.api.CheckpointingCallback;
import io.torchlight.api.ModelSummaryCallback;
import io.torchlight.api.ProgressBarCallback;
import io.torchlight.api.TrainerConfig;

/** The trainer flags that turn kinds of callbacks off: checkpointing, the progress bar, the model summary. */
public final class CallbackSwitches {

    private CallbackSwitches() {
    }

    public static Predicate<Callback> of(TrainerConfig config) {
        return of(config, true);
    }

    /** On a rank other than global rank 0 the progress bar and model summary stay off too (Lightning's rank_zero_only). */
    public static Predicate<Callback> of(TrainerConfig config, boolean globalZero) {
        return callback -> !(callback instanceof CheckpointingCallback && !config.enableCheckpointing())
                && !(callback instanceof ProgressBarCallback && !(config.enableProgressBar() && globalZero))
                && !(callback instanceof ModelSummaryCallback && !(config.enableModelSummary() && globalZero));
    }
}
