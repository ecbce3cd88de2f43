package io.torchlight.core.internal.precision;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.Test;


/** The loss-scaling arithmetic of 16-mixed, on CPU tensors. */
public class GradScalerTest {

    /** A parameter whose gradient, after a real backward pass, is {@code grad}. */
    private static Tensor parameterWithGrad(double... grad) {
        Tensor p = torch.zeros(grad.length).requires_grad_(true);
        Tensor coefficients = torch.zeros(grad.length);
        for (int i = 0; i < grad.length; i++) {
            coefficients.get(i).fill_(new Scalar(grad[i]));
        }
        p.mul(coefficients).sum().backward();
        return p;
    }

    @Test
    public void gradientsAreDividedByTheScaleAndFiniteOnesPass() {
        GradScaler scaler = new GradScaler(8.0, 2.0, 0.5, 3);
        Tensor p = parameterWithGrad(8.0, -16.0);
        SGD sgd = new SGD(new TensorVector(p), new SGDOptions(0.1));

        assertEquals(24.0, scaler.scale(torch.ones(1).mul(new Scalar(3.0))).item_double(), 0.0);
        assertTrue(scaler.unscale(sgd));
        assertEquals(1.0, p.grad().get(0).item_double(), 0.0);
        assertEquals(-2.0, p.grad().get(1).item_double(), 0.0);
    }

    @Test
    public void infOrNanGradientsSkipTheStepAndLowerTheScale() {
        GradScaler scaler = new GradScaler(8.0, 2.0, 0.5, 3);
        SGD withInf = new SGD(new TensorVector(parameterWithGrad(1.0, Double.POSITIVE_INFINITY)), new SGDOptions(0.1));
        SGD withNan = new SGD(new TensorVector(parameterWithGrad(Double.NaN)), new SGDOptions(0.1));

        boolean infFinite = scaler.unscale(withInf);
        scaler.update(infFinite);
        boolean nanFinite = scaler.unscale(withNan);
        scaler.update(nanFinite);

        assertFalse(infFinite);
        assertFalse(nanFinite);
        assertEquals(2.0, scaler.scale(), 0.0);
    }

    @Test
    public void theScaleGrowsAfterGrowthIntervalFiniteStepsInARow() {
        GradScaler scaler = new GradScaler(8.0, 2.0, 0.5, 3);
        for (boolean finite : List.of(true, true, false, true, true, true)) {
            scaler.update(finite);
        }
        assertEquals("backed off once, then grew once", 8.0, scaler.scale(), 0.0);

        GradScaler restored = new GradScaler(1.0, 2.0, 0.5, 3);
        scaler.update(true);
        restored.load(scaler.state());
        restored.update(true);
        restored.update(true);
        assertEquals("the growth tracker travels with the state", 16.0, restored.scale(), 0.0);
    }
}
