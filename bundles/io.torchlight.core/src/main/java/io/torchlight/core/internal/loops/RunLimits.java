package io.torchlight.core.internal.loops;

import io.torchlight.api.Limit;
import io.torchlight.api.TrainerConfig;

/**
 * The limits a trainer obeys, computed once from what the user set: fastDevRun runs n batches of every loop in one
 * epoch without a sanity check, overfitBatches trains and validates on the same first batches, and an unset
 * maxEpochs is Lightning's 1000 (unbounded when maxSteps or maxTime bounds the fit).
 */
public record RunLimits(int maxEpochs, long maxSteps, Limit train, Limit val, Limit test, Limit predict, Limit valCheckInterval,
        int numSanityValSteps) {

    public static RunLimits of(TrainerConfig config) {
        int fast = config.fastDevRun();
        if (fast > 0) {
            Limit n = Limit.count(fast);
            return new RunLimits(1, fast, n, n, n, n, Limit.ALL, 0);
        }
        int maxEpochs = config.maxEpochs().orElse(config.maxSteps() == -1 && config.maxTime().isEmpty() ? 1000 : -1);
        Limit overfit = config.overfitBatches();
        boolean overfitting = !overfit.disables();
        return new RunLimits(maxEpochs, config.maxSteps(), overfitting ? overfit : config.limitTrainBatches(),
                overfitting ? overfit : config.limitValBatches(), config.limitTestBatches(), config.limitPredictBatches(),
                config.valCheckInterval(), config.numSanityValSteps());
    }
}
