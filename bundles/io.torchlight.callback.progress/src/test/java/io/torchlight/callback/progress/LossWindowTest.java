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
            assertFalse(window.mean(0).isPresent());
            for (int step = 1; step <= 25; step++) {
                try (PointerScope scope = new PointerScope()) { // as each training batch runs
                    Tensor loss = torch.tensor((double) step).requires_grad_(true).mul(torch.tensor(1.0));
                    window.add(step, step % 5 == 0 ? (Object) (double) step : loss);
                }
            }
            assertEquals("steps 6 to 25", 15.5, window.mean(25).getAsDouble(), 1e-9);

            window.add(26, "not a loss");
            window.add(26, torch.ones(2));
            assertEquals("only one-element tensors and numbers count", 15.5, window.mean(25).getAsDouble(), 1e-9);
        }
    }

    @Test
    public void lossesOfBatchesBeforeTheWindowDoNotCount() {
        try (LossWindow window = new LossWindow(20)) {
            window.add(3, 100.0); // kept for a line that came early, 40 batches before the next one
            for (long batch = 31; batch <= 43; batch++) { // the bar kept nothing from batch 4 to 30
                window.add(batch, (double) batch);
            }
            assertEquals("batches 31 to 43 of the last 20 (24 to 43)", 37.0, window.mean(43).getAsDouble(), 1e-9);
            assertEquals("none in the window: the latest kept", (100.0 + 13 * 37.0) / 14, window.mean(80).getAsDouble(), 1e-9);
        }
    }

    @Test
    public void aClosedWindowIsEmpty() {
        LossWindow window = new LossWindow(3);
        window.add(1, torch.tensor(2.0));
        window.close();
        assertFalse(window.mean(1).isPresent());
    }
}
