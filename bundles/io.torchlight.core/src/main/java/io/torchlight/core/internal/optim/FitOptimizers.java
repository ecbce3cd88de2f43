package io.torchlight.core.internal.optim;

import java.util.List;

import io.torchlight.api.optim.LrSchedulerConfig;

/**
 * What {@code configureOptimizers} set up for one fit: the optimizers, in order, their schedulers, and the
 * frequencies that alternate them (empty: every optimizer steps on every batch).
 */
public record FitOptimizers(List<TrainerOptimizer> optimizers, List<LrSchedulerConfig> schedulers, List<Integer> frequencies) {

    /** Before a fit configures any (and for evaluation stages). */
    public static final FitOptimizers NONE = new FitOptimizers(List.of(), List.of(), List.of());

    public FitOptimizers {
        optimizers = List.copyOf(optimizers);
        schedulers = List.copyOf(schedulers);
        frequencies = List.copyOf(frequencies);
    }

    /**
     * The optimizers that train this batch, as Lightning 1.6.5's {@code _get_active_optimizers}: all of them, or with
     * frequencies the one whose turn it is at {@code batchIdx} modulo the sum of the frequencies.
     */
    public List<TrainerOptimizer> active(long batchIdx) {
        if (frequencies.isEmpty()) {
            return optimizers;
        }
        long cycle = frequencies.stream().mapToLong(Integer::longValue).sum();
        long place = batchIdx % cycle;
        long end = 0;
        for (int i = 0; i < frequencies.size(); i++) {
            end += frequencies.get(i);
            if (place < end) {
                return List.of(optimizers.get(i));
            }
        }
        throw new IllegalStateException("unreachable: place " + place + " beyond the cycle " + cycle);
    }

    /** How many outputs a training batch holds for trainingEpochEnd: one per optimizer, or one when they alternate. */
    public int outputsPerBatch() {
        return frequencies.isEmpty() ? optimizers.size() : 1;
    }
}
