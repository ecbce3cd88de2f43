package io.torchlight.core.internal.loops;

import java.util.List;

/** The batches one fit runs per epoch, after limits: training, and per validation dataloader. */
public record BatchCounts(int training, List<Integer> validation) {

    /** Before the fit loop counted them. */
    public static final BatchCounts NONE = new BatchCounts(0, List.of());

    public BatchCounts {
        validation = List.copyOf(validation);
    }

    BatchCounts withTraining(int batches) {
        return new BatchCounts(batches, validation);
    }

    BatchCounts withValidation(List<Integer> batches) {
        return new BatchCounts(training, batches);
    }
}
