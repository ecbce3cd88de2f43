package io.torchlight.core.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.torchlight.api.Trainer;
import io.torchlight.core.internal.logging.MetricSink;

/** What the runs layer holds of a trainer it made: the trainer itself plus what only the container needs. */
public interface TrainerSession extends AutoCloseable {

    Trainer trainer();

    /** The logger and callback services attached now ({@code logger csv}); safe from any thread. */
    List<String> attachedPlugins();

    /** Told the reason when the run pauses waiting for an accelerator, and null when it resumes. */
    void onPause(Consumer<String> listener);

    /** Told every warning about this trainer's plug-ins, those reported before the call included. */
    void onWarning(Consumer<String> listener);

    /**
     * Asks the fit to go on on {@code target} ({@code <accelerator>[:<device>]}, e.g. {@code cpu} or {@code cuda:1})
     * from its next training step; refused at once with the reason when it cannot. The future completes with a line
     * saying what moved, or exceptionally when the move was not made (the run goes on where it was).
     */
    CompletableFuture<String> move(String target);

    /** Told every set of metrics sent to the loggers, with its step, on the training thread. */
    void onMetrics(MetricSink sink);

    @Override
    void close();
}
