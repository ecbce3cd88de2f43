package io.torchlight.utils.metrics;

import java.util.Arrays;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The share of correct predictions, as torchmetrics' {@code Accuracy}: {@code preds} of one dimension more than
 * {@code target} are scores per class (the largest wins); floating-point {@code preds} of the target's shape are
 * probabilities of a binary target, thresholded at {@code threshold}; integer {@code preds} are labels.
 */
public final class Accuracy implements Metric {

    private final double threshold;
    private final MetricState correct = new MetricState();
    private final MetricState total = new MetricState();
    private final MetricState last = new MetricState();

    public Accuracy() {
        this(0.5);
    }

    public Accuracy(double threshold) {
        this.threshold = threshold;
    }

    /** Adds a batch and returns its own accuracy (what a per-step log shows). */
    public Tensor forward(Tensor preds, Tensor target) {
        Tensor hits = hits(preds, target);
        Tensor batchCorrect = hits.sum().to(torch.ScalarType.Double);
        Tensor batchTotal = torch.zeros_like(batchCorrect).add_(new Scalar((double) hits.numel()));
        correct.accumulate(batchCorrect);
        total.accumulate(batchTotal);
        Tensor batch = batchCorrect.div(batchTotal).to(torch.ScalarType.Float);
        last.set(batch);
        return batch;
    }

    /** Adds a batch. */
    public void update(Tensor preds, Tensor target) {
        forward(preds, target);
    }

    @Override
    public Tensor compute() {
        if (total.get() == null) {
            throw new IllegalStateException("Accuracy.compute() before any update: give it a batch first");
        }
        return correct.get().div(total.get()).to(torch.ScalarType.Float);
    }

    @Override
    public Tensor batchValue() {
        return last.get();
    }

    @Override
    public void reset() {
        correct.clear();
        total.clear();
        last.clear();
    }

    private Tensor hits(Tensor preds, Tensor target) {
        long[] p = preds.sizes().vec().get();
        long[] t = target.sizes().vec().get();
        boolean scores = p.length == t.length + 1 && p.length >= 2 && p[0] == t[0]
                && Arrays.equals(Arrays.copyOfRange(p, 2, p.length), Arrays.copyOfRange(t, 1, t.length));
        if (scores) {
            return preds.argmax(new LongOptional(1), false).eq(target);
        }
        if (!Arrays.equals(p, t)) {
            throw new IllegalArgumentException("Accuracy: preds of shape " + Arrays.toString(preds.sizes().vec().get())
                    + " do not fit target of shape " + Arrays.toString(target.sizes().vec().get())
                    + ": give class scores [N, C] with labels [N], or predictions of the target's shape");
        }
        if (preds.is_floating_point()) {
            return preds.ge(new Scalar(threshold)).eq(target.to(torch.ScalarType.Bool));
        }
        return preds.eq(target);
    }
}
