package io.torchlight.core.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fit's counters as data, like Lightning's loop progress: epochs and batches started and completed,
 * optimizer steps. They save into and restore from checkpoints ({@link #stateDict()}).
 */
public final class Progress {

    private int epoch;
    private int batchesStartedInEpoch;
    private int batchesCompletedInEpoch;
    private long totalBatches;
    private long optimizerSteps;

    /** The current (or next) training epoch index. */
    public int epoch() {
        return epoch;
    }

    public void startEpoch(int index) {
        epoch = index;
        batchesStartedInEpoch = 0;
        batchesCompletedInEpoch = 0;
    }

    public void completeEpoch() {
        epoch++;
        batchesStartedInEpoch = 0;
        batchesCompletedInEpoch = 0;
    }

    public void batchStarted() {
        batchesStartedInEpoch++;
    }

    public void batchCompleted() {
        batchesCompletedInEpoch++;
        totalBatches++;
    }

    public int batchesCompletedInEpoch() {
        return batchesCompletedInEpoch;
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

    public Map<String, Object> stateDict() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("epoch", epoch);
        s.put("batches_completed_in_epoch", batchesCompletedInEpoch);
        s.put("total_batches", totalBatches);
        s.put("optimizer_steps", optimizerSteps);
        return s;
    }

    public void loadStateDict(Map<String, Object> s) {
        epoch = ((Number) s.get("epoch")).intValue();
        batchesCompletedInEpoch = ((Number) s.get("batches_completed_in_epoch")).intValue();
        batchesStartedInEpoch = batchesCompletedInEpoch;
        totalBatches = ((Number) s.get("total_batches")).longValue();
        optimizerSteps = ((Number) s.get("optimizer_steps")).longValue();
    }
}
