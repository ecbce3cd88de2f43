package io.torchlight.callback.progress;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.Test;

/** The bar's running loss: the mean of the last 20, kept past each step's native scope, read only when shown. */
public class LossWindowTest {

    @Test
    public void theMeanOfTheLastLossesOutlivesEachStepsScope() {
        try (LossWindow window = new LossWindow(20)) {
            assertFalse(window.mean().isPresent());
            for (int step = 1; step <= 25; step++) {
                try (PointerScope scope = new PointerScope()) { // as each training batch runs
                    Tensor loss = torch.tensor((double) step).requires_grad_(true).mul(torch.tensor(1.0));
                    window.add(step % 5 == 0 ? (Object) (double) step : loss);
                }
            }
            assertEquals("steps 6 to 25", 15.5, window.mean().getAsDouble(), 1e-9);

            window.add("not a loss");
            window.add(torch.ones(2));
            assertEquals("only one-element tensors and numbers count", 15.5, window.mean().getAsDouble(), 1e-9);
        }
    }

    @Test
    public void aClosedWindowIsEmpty() {
        LossWindow window = new LossWindow(3);
        window.add(torch.tensor(2.0));
        window.close();
        assertFalse(window.mean().isPresent());
    }
}
