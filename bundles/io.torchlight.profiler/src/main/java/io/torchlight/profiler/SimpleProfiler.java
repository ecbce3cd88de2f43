package io.torchlight.profiler;

import io.torchlight.api.Stage;
import io.torchlight.api.profiler.Profiler;

/**
 * Lightning's {@code profiler="simple"}: the wall time of every hook ({@code [LightningModule]BoringModel.trainingStep},
 * {@code [Callback]ModelCheckpoint.onTrainEpochEnd}) and of the loops' {@code run_training_epoch} and
 * {@code run_training_batch}, reported per stage as mean duration, calls, total and share, longest first.
 */
public class SimpleProfiler implements Profiler {

    /** The profiler's name. */
    public static final String NAME = "simple";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Recording start(Stage stage) {
        ActionTable table = new ActionTable();
        return new Recording() {
            @Override
            public void record(String action, long nanos) {
                table.record(action, nanos);
            }

            @Override
            public String report() {
                return table.render(stage);
            }
        };
    }
}
