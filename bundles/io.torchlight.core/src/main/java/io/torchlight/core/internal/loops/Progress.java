package io.torchlight.core.internal.loops;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fit's counters as data, like Lightning's loop progress: epochs and batches started, processed (the
 * optimizer step is done; {@code onTrainBatchEnd} runs next) and completed, optimizer steps. They save into and
 * restore from checkpoints ({@link #stateDict()}); a resumed fit skips the processed batches, so a checkpoint
 * saved from {@code onTrainBatchEnd} (ModelCheckpoint every n steps) resumes after that batch, not before it.
 */
public final class Progress {

    private int epoch;
    private int batchesStartedInEpoch;
    private int batchesProcessedInEpoch;
    private int batchesCompletedInEpoch;
    private long totalBatches;
    private long optimizerSteps;
    private long batchesThatStepped;

    /** The current (or next) training epoch index. */
    public int epoch() {
        return epoch;
    }

    public void startEpoch(int index) {
        epoch = index;
        resetBatches();
    }

    public void completeEpoch() {
        epoch++;
        resetBatches();
    }

    private void resetBatches() {
        batchesStartedInEpoch = 0;
        batchesProcessedInEpoch = 0;
        batchesCompletedInEpoch = 0;
    }

    public void batchStarted() {
        batchesStartedInEpoch++;
    }

    /** The batch's optimization is done: its weights are what a checkpoint saved now holds. */
    public void batchProcessed() {
        batchesProcessedInEpoch++;
        totalBatches++;
    }

    public void batchCompleted() {
        batchesCompletedInEpoch++;
    }

    /** Batches of this epoch whose optimization is done: where a resumed epoch continues. */
    public int batchesProcessedInEpoch() {
        return batchesProcessedInEpoch;
    }

    public long totalBatches() {
        return totalBatches;
    }

    /** Optimizer steps so far: Lightning's {@code global_step}. */
    public long optimizerSteps() {
        return optimizerSteps;
    }

    public void optimizerStepped() {
        optimizerSteps++;
    }

    /**
     * Batches that ended an accumulation window, counted once per batch whatever the number of optimizers or
     * time splits: the step loggers see (Lightning 1.6.5's {@code _batches_that_stepped}). It grows after the
     * batch's validation, so a batch's step metrics and the validation after it carry the same step.
     */
    public long batchesThatStepped() {
        return batchesThatStepped;
    }

    public void batchStepped() {
        batchesThatStepped++;
    }

    public Map<String, Object> stateDict() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("epoch", epoch);
        s.put("batches_processed_in_epoch", batchesProcessedInEpoch);
        s.put("batches_completed_in_epoch", batchesCompletedInEpoch);
        s.put("total_batches", totalBatches);
        s.put("optimizer_steps", optimizerSteps);
        s.put("batches_that_stepped", batchesThatStepped);
        return s;
    }

    public void loadStateDict(Map<String, Object> s) {
        epoch = ((Number) s.get("epoch")).intValue();
        // checkpoints written before the processed counter existed hold only the completed one
        Object processed = s.getOrDefault("batches_processed_in_epoch", s.get("batches_completed_in_epoch"));
        batchesProcessedInEpoch = ((Number) processed).intValue();
        batchesCompletedInEpoch = batchesProcessedInEpoch;
        batchesStartedInEpoch = batchesProcessedInEpoch;
        totalBatches = ((Number) s.get("total_batches")).longValue();
        optimizerSteps = ((Number) s.get("optimizer_steps")).longValue();
        // older checkpoints did not count it; with one optimizer it equals the optimizer steps
        batchesThatStepped = ((Number) s.getOrDefault("batches_that_stepped", optimizerSteps)).longValue();
    }
}
