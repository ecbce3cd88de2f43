package io.torchlight.core.internal.loops;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

import org.bytedeco.pytorch.Tensor;

import io.torchlight.api.Stage;
import io.torchlight.core.internal.hooks.Hook;
import io.torchlight.utils.data.Batch;

/**
 * What the trainer is doing right now: the stage, the hook being run (a stack, since hooks nest: the
 * training step runs inside {@code optimizerStep}), the current batch and its size, and the stop request.
 * Only the training thread touches it, except {@link #requestStop()} which any thread may call.
 */
public final class RunState {

    private Stage stage;
    private boolean sanityChecking;
    private boolean evaluating;
    private volatile boolean shouldStop;
    private volatile boolean interrupted;
    private int agreedReasons;
    private final Deque<Hook> hooks = new ArrayDeque<>();
    private final Consumer<String> warnings;
    private Batch batch;
    private long batchSize = -1;
    private int dataloaderIdx;
    private int dataloaders = 1;

    /** @param warnings where the ambiguous batch size is said (once per trainer) */
    public RunState(Consumer<String> warnings) {
        this.warnings = warnings;
    }

    public Stage stage() {
        return stage;
    }

    public void stage(Stage value) {
        stage = value;
    }

    public boolean sanityChecking() {
        return sanityChecking;
    }

    public void sanityChecking(boolean value) {
        sanityChecking = value;
    }

    /** Whether an evaluation loop (validation, test) is running, so logged metrics go to its store. */
    public boolean evaluating() {
        return evaluating;
    }

    public void evaluating(boolean value) {
        evaluating = value;
    }

    public boolean shouldStop() {
        return shouldStop;
    }

    public void shouldStop(boolean value) {
        shouldStop = value;
    }

    /** Asks the run to stop at the next step boundary, from any thread (a stop command). */
    public void requestStop() {
        interrupted = true;
    }

    /** Whether a stop was asked for here (with several processes: see {@link #agreed}). */
    public boolean interrupted() {
        return interrupted;
    }

    /** Rank 0's stop reasons as every rank agreed on them at a training batch boundary ({@code Strategy.stopReasons}). */
    public void agreed(int reasons) {
        agreedReasons |= reasons;
    }

    /** The stop reasons agreed so far (0 while nothing stops the run). */
    public int agreed() {
        return agreedReasons;
    }

    /** The innermost hook being run, or null. */
    public Hook currentHook() {
        return hooks.peek();
    }

    public void enter(Hook hook) {
        hooks.push(hook);
    }

    public void exit() {
        hooks.pop();
    }

    /** The evaluation dataloader being run and how many there are (metric names get a suffix when several). */
    public void dataloader(int index, int count) {
        dataloaderIdx = index;
        dataloaders = count;
    }

    /** The suffix Lightning adds to metric names with several evaluation dataloaders, else "". */
    public String metricSuffix() {
        return dataloaders > 1 ? "/dataloader_idx_" + dataloaderIdx : "";
    }

    /** The batch being run; null between batches (then a logged value counts once, as in Lightning's epoch hooks). */
    public void batch(Batch value) {
        batch = value;
        batchSize = -1;
    }

    /**
     * The current batch's size as Lightning infers it for weighting epoch means (the first tensor's dim 0), worked out
     * on first use only, so a batch without tensors fails only where a size is needed; a warning when its tensors
     * disagree (Lightning's "ambiguous collection").
     *
     * @throws IllegalStateException when the batch holds no tensor
     */
    public long batchSize() {
        if (batch == null) {
            return 1;
        }
        if (batchSize < 0) {
            batchSize = batch.size();
            for (Tensor t : batch.allTensors()) {
                if (Batch.sizeOf(t) != batchSize) {
                    warnings.accept("Trying to infer the batch size from an ambiguous collection: the tensors of a batch"
                            + " differ in dimension 0 and the first one's is used to weigh epoch means. To avoid"
                            + " miscalculations give it with log(name, value, LogOptions.defaults().batchSize(n))");
                    break;
                }
            }
        }
        return batchSize;
    }
}
