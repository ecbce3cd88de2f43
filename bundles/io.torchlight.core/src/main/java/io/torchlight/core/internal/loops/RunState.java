package io.torchlight.core.internal.loops;

import java.util.ArrayDeque;
import java.util.Deque;

import io.torchlight.api.Stage;
import io.torchlight.core.internal.hooks.Hook;

/**
 * What the trainer is doing right now: the stage, the hook being run (a stack, since hooks nest: the
 * training step runs inside {@code optimizerStep}), the current batch's size, and the stop request.
 * Only the training thread touches it, except {@link #requestStop()} which any thread may call.
 */
public final class RunState {

    private Stage stage;
    private boolean sanityChecking;
    private boolean evaluating;
    private volatile boolean shouldStop;
    private volatile boolean interrupted;
    private final Deque<Hook> hooks = new ArrayDeque<>();
    private long batchSize;
    private int dataloaderIdx;
    private int dataloaders = 1;

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

    public boolean interrupted() {
        return interrupted;
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

    public long batchSize() {
        return batchSize;
    }

    public void batchSize(long value) {
        batchSize = value;
    }
}
