package io.torchlight.api.profiler;

import org.osgi.annotation.versioning.ConsumerType;

import io.torchlight.api.Stage;

/**
 * A profiler, as Lightning's {@code Profiler}: the trainer opens one {@link Recording} per stage, reports every
 * timed action to it from the training thread, and writes its {@link Recording#report() report} to
 * {@code <stage>-profiler.txt} in the run folder when the stage ends, whatever its outcome. In the container a
 * profiler is a service with {@link #PROPERTY_NAME}, chosen by the {@code profiler} flag.
 */
@ConsumerType
public interface Profiler {

    /** Service property: the profiler's name ({@link String}), e.g. {@code simple}. */
    String PROPERTY_NAME = "torchlight.profiler.name";

    /** The name the {@code profiler} flag selects it by. */
    String name();

    /** Starts recording {@code stage}; called on the training thread, which then reports every action. */
    Recording start(Stage stage);

    /** One stage's recording. Its methods are called from the training thread only. */
    @ConsumerType
    interface Recording {

        /**
         * One finished action: hooks as {@code [LightningModule]BoringModel.trainingStep} or
         * {@code [Callback]ModelCheckpoint.onTrainEpochEnd}, loop sections as {@code run_training_batch}.
         */
        void record(String action, long nanos);

        /** Ends the recording and returns its report, as the text of {@code <stage>-profiler.txt}. */
        String report();
    }
}
