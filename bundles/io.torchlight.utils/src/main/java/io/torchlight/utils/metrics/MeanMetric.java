package io.torchlight.utils.metrics;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The weighted mean of every value given since the last reset, as torchmetrics' {@code MeanMetric}: a value may be
 * a scalar or a tensor (each element counts, with the weight given).
 */
public final class MeanMetric implements Metric {

    private final MetricState sum = new MetricState();
    private final MetricState weight = new MetricState();
    private final MetricState last = new MetricState();

    /** Adds the elements of {@code value}, each of weight 1, and returns their mean. */
    public Tensor forward(Tensor value) {
        return forward(value, 1.0);
    }

    /** Adds the elements of {@code value}, each of weight {@code w}, and returns their mean. */
    public Tensor forward(Tensor value, double w) {
        if (!(w > 0) || Double.isInfinite(w)) {
            throw new IllegalArgumentException("MeanMetric: the weight must be positive and finite, got " + w);
        }
        Tensor v = value.detach().to(torch.ScalarType.Double);
        Tensor batchSum = v.sum().mul(new Scalar(w));
        Tensor batchWeight = torch.zeros_like(batchSum).add_(new Scalar(w * v.numel()));
        sum.accumulate(batchSum);
        weight.accumulate(batchWeight);
        Tensor batch = batchSum.div(batchWeight).to(torch.ScalarType.Float);
        last.set(batch);
        return batch;
    }

    /** Adds the elements of {@code value}, each of weight 1. */
    public void update(Tensor value) {
        forward(value);
    }

    @Override
    public Tensor compute() {
        if (weight.get() == null) {
            throw new IllegalStateException("MeanMetric.compute() before any update: give it a value first");
        }
        return sum.get().div(weight.get()).to(torch.ScalarType.Float);
    }

    @Override
    public Tensor batchValue() {
        return last.get();
    }

    @Override
    public void reset() {
        sum.clear();
        weight.clear();
        last.clear();
    }
}
