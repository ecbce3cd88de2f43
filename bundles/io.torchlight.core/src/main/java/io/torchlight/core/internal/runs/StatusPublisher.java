package io.torchlight.core.internal.runs;

import java.util.OptionalLong;

import io.torchlight.api.Callback;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Stage;
import io.torchlight.api.TrainerView;
import io.torchlight.utils.data.Batch;

/**
 * Publishes a run's progress and metrics from the training thread: epoch and step after every batch (two
 * plain numbers), metrics at most once a second during an epoch (reading them synchronises with the device)
 * and at every epoch and stage end.
 */
public final class StatusPublisher implements Callback {

    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final Run run;
    private long last = System.nanoTime();
    private final long created = System.nanoTime();
    private boolean stepped;

    StatusPublisher(Run run) {
        this.run = run;
    }

    @Override
    public void onTrainBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx) {
        if (!stepped) {
            stepped = true; // how long the run, and the container, took to its first trained batch, for the run's log
            long sinceRun = (System.nanoTime() - created) / 1_000_000;
            OptionalLong sinceProcess = ProcessAge.millis();
            run.note("first training batch done " + sinceRun + " ms after the run started"
                    + (sinceProcess.isPresent() ? " (" + sinceProcess.getAsLong() + " ms after the process started)" : ""));
        }
        run.progress(trainer);
        long now = System.nanoTime();
        if (now - last >= INTERVAL_NANOS) {
            last = now;
            run.publish(trainer);
        }
    }

    @Override
    public void onTrainEpochEnd(TrainerView trainer, LightningModule module) {
        run.publish(trainer);
    }

    /** The sanity check's metrics are not the run's: Lightning resets them, so the status never shows them. */
    @Override
    public void onValidationEnd(TrainerView trainer, LightningModule module) {
        if (!trainer.sanityChecking()) {
            run.publish(trainer);
        }
    }

    @Override
    public void onTestEnd(TrainerView trainer, LightningModule module) {
        run.publish(trainer);
    }

    @Override
    public void onPredictEnd(TrainerView trainer, LightningModule module) {
        run.publish(trainer);
    }

    @Override
    public void teardown(TrainerView trainer, LightningModule module, Stage stage) {
        run.publish(trainer);
    }
}
