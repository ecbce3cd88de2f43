package io.torchlight.callback.progress;

import java.util.OptionalDouble;

import org.bytedeco.pytorch.Tensor;

/**
 * The training losses behind the bar's {@code loss} (Lightning's running loss: the mean over the last {@code size}
 * batches). Each loss is kept with the number of its batch, so the bar may keep only those of the batches a line can
 * still show; a tensor loss is kept as a detached handle and read only when a line is drawn, so a step that draws
 * nothing waits for no device.
 */
final class LossWindow implements AutoCloseable {

    private final Tensor[] tensors;
    private final double[] numbers;
    private final long[] batches;
    private int count;
    private int next;

    LossWindow(int size) {
        tensors = new Tensor[size];
        numbers = new double[size];
        batches = new long[size];
    }

    /** The batches the mean covers. */
    int size() {
        return tensors.length;
    }

    /** Adds batch {@code batch}'s loss: a one-element tensor or a number; anything else is not a loss and is skipped. */
    void add(long batch, Object loss) {
        Tensor kept = null;
        double number = Double.NaN;
        if (loss instanceof Tensor t && t.numel() == 1) {
            kept = t.detach(); // outlives the step's scope until it leaves the window
            kept.retainReference();
        } else if (loss instanceof Number n) {
            number = n.doubleValue();
        } else {
            return;
        }
        release(next);
        tensors[next] = kept;
        numbers[next] = number;
        batches[next] = batch;
        next = (next + 1) % tensors.length;
        count = Math.min(count + 1, tensors.length);
    }

    /**
     * The mean of the kept losses of the last {@code size} batches up to {@code latest} (this reads the device); where
     * none of them was kept (a line the bar could not foresee), of all it keeps; empty before the first.
     */
    OptionalDouble mean(long latest) {
        if (count == 0) {
            return OptionalDouble.empty();
        }
        double sum = 0;
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (batches[i] > latest - tensors.length) {
                sum += value(i);
                n++;
            }
        }
        if (n == 0) {
            for (int i = 0; i < count; i++) {
                sum += value(i);
            }
            n = count;
        }
        return OptionalDouble.of(sum / n);
    }

    private double value(int slot) {
        return tensors[slot] != null ? tensors[slot].item_double() : numbers[slot];
    }

    private void release(int slot) {
        if (tensors[slot] != null) {
            tensors[slot].releaseReference();
            tensors[slot] = null;
        }
    }

    /** Frees the kept tensors; the window is empty afterwards. */
    @Override
    public void close() {
        for (int i = 0; i < tensors.length; i++) {
            release(i);
        }
        count = 0;
        next = 0;
    }
}
