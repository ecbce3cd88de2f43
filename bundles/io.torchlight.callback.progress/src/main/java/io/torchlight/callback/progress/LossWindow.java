package io.torchlight.callback.progress;

import java.util.OptionalDouble;

import org.bytedeco.pytorch.Tensor;

/**
 * The last few training losses behind the bar's {@code loss} (Lightning's running loss): a tensor loss is kept as a
 * detached handle and read only when the bar is drawn, so a step that draws nothing waits for no device.
 */
final class LossWindow implements AutoCloseable {

    private final Tensor[] tensors;
    private final double[] numbers;
    private int count;
    private int next;

    LossWindow(int size) {
        tensors = new Tensor[size];
        numbers = new double[size];
    }

    /** Adds a step's loss: a one-element tensor or a number; anything else is not a loss and is skipped. */
    void add(Object loss) {
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
        next = (next + 1) % tensors.length;
        count = Math.min(count + 1, tensors.length);
    }

    /** The mean of the losses in the window (this reads the device), empty before the first. */
    OptionalDouble mean() {
        if (count == 0) {
            return OptionalDouble.empty();
        }
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += tensors[i] != null ? tensors[i].item_double() : numbers[i];
        }
        return OptionalDouble.of(sum / count);
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
