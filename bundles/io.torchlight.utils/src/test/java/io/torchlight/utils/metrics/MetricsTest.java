package io.torchlight.utils.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.Test;

public class MetricsTest {

    private static Tensor floats(float... values) {
        return Tensor.create(values);
    }

    private static Tensor longs(long... values) {
        return Tensor.create(values);
    }

    @Test
    public void accuracyOfClassScoresCountsTheLargestScoreAndAccumulatesOverBatches() {
        Accuracy acc = new Accuracy();
        assertNull(acc.batchValue());
        // 2 samples, 3 classes: predicted 2 and 0; targets 2 and 1 -> one of two right
        Tensor first = acc.forward(floats(0.1f, 0.2f, 0.7f, 0.9f, 0.05f, 0.05f).view(2, 3), longs(2, 1));
        assertEquals(0.5, first.item_double(), 1e-6);
        // 2 more, both right
        Tensor second = acc.forward(floats(0.8f, 0.1f, 0.1f, 0.2f, 0.7f, 0.1f).view(2, 3), longs(0, 1));
        assertEquals(1.0, second.item_double(), 1e-6);
        assertEquals(1.0, acc.batchValue().item_double(), 1e-6);
        assertEquals(0.75, acc.compute().item_double(), 1e-6);

        acc.reset();
        assertNull(acc.batchValue());
        IllegalStateException e = assertThrows(IllegalStateException.class, acc::compute);
        assertTrue(e.getMessage(), e.getMessage().contains("before any update"));
    }

    @Test
    public void accuracyOfBinaryProbabilitiesAndOfLabels() {
        Accuracy binary = new Accuracy(0.5);
        binary.update(floats(0.9f, 0.4f, 0.6f, 0.1f), floats(1, 0, 0, 0));
        assertEquals(0.75, binary.compute().item_double(), 1e-6);

        Accuracy labels = new Accuracy();
        labels.update(longs(1, 2, 3), longs(1, 2, 0));
        assertEquals(2.0 / 3, labels.compute().item_double(), 1e-6);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> labels.update(floats(1, 2, 3, 4).view(2, 2), longs(1, 2, 3)));
        assertTrue(e.getMessage(), e.getMessage().contains("do not fit target of shape [3]"));
    }

    @Test
    public void meanMetricWeighsEveryElement() {
        MeanMetric mean = new MeanMetric();
        assertEquals(2.0, mean.forward(floats(1, 3)).item_double(), 1e-6);
        assertEquals(10.0, mean.forward(floats(10), 2.0).item_double(), 1e-6);
        // (1 + 3 + 2 * 10) / (1 + 1 + 2)
        assertEquals(6.0, mean.compute().item_double(), 1e-6);
        assertEquals(torch.ScalarType.Float.value, mean.compute().scalar_type().value);
        assertThrows(IllegalArgumentException.class, () -> mean.forward(floats(1), 0));
        mean.reset();
        assertThrows(IllegalStateException.class, mean::compute);
    }
}
