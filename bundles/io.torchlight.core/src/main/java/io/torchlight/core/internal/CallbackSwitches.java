package io.torchlight.core.internal;

import java.util.function.Predicate;

import io.torchlight.api.TrainerConfig;
import io.torchlight.api.callback.Callback;
import io.torchlight.api.callback.CheckpointingCallback;
import io.torchlight.api.callback.ModelSummaryCallback;
import io.torchlight.api.callback.ProgressBarCallback;

/** The trainer flags that turn kinds of callbacks off: checkpointing, the progress bar, the model summary. */
final class CallbackSwitches {

    private CallbackSwitches() {
    }

    static Predicate<Callback> of(TrainerConfig config) {
        return callback -> !(callback instanceof CheckpointingCallback && !config.enableCheckpointing())
                && !(callback instanceof ProgressBarCallback && !config.enableProgressBar())
                && !(callback instanceof ModelSummaryCallback && !config.enableModelSummary());
    }
}
