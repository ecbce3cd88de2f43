package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.global.torch;
import org.junit.Test;

import io.torchlight.api.Data;
import io.torchlight.api.TorchlightException;
import io.torchlight.demos.BoringModel;
import io.torchlight.demos.RandomDataset;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;

/**
 * The batch-size scaler as Lightning 1.6.5's tests/tuner/test_scale_batch_size.py pins it
 * (test_scale_batch_size_method_with_model_or_datamodule: binsearch from 4 with 2 trials ends at 16, and the module
 * keeps it), and its search when memory runs out: a step asking libtorch for an impossible tensor above 24 samples
 * gets libtorch's real allocator error.
 */
public class BatchSizeScalingTest {

    /** Reads its batch size from the hyperparameters, as Lightning's BatchSizeModel reads self.batch_size. */
    static class Sized extends BoringModel {
        final List<Integer> tried = new ArrayList<>();
        int limit = Integer.MAX_VALUE;

        @Override
        public DataLoader trainDataloader() {
            int size = ((Number) hparams().getOrDefault("batch_size", 1)).intValue();
            tried.add(size);
            return DataLoader.of(new RandomDataset(32, 64)).batchSize(size).build();
        }

        @Override
        public Object trainingStep(Batch batch, int batchIdx) {
            if (batch.size() > limit) {
                torch.empty(1L << 42); // 16 TiB of floats: the CPU allocator refuses
            }
            return super.trainingStep(batch, batchIdx);
        }
    }

    private static Tuner tuner() {
        return new Tuner(TestTrainers.cpu().build(), TestTrainers.plugins());
    }

    @Test
    public void binsearchFromFourWithTwoTrialsEndsAtSixteenAsLightnings() {
        Sized model = new Sized();

        int size = tuner().scaleBatchSize(model, Data.fromModule(), Tuner.ScaleMode.BINSEARCH, 1, 4, 2);

        assertEquals(16, size);
        assertEquals(16, model.hparams().get("batch_size"));
        assertEquals(List.of(4, 8), model.tried);
    }

    @Test
    public void runningOutOfMemoryEndsPowerScalingAtHalfAndBinsearchAtTheLargestThatFits() {
        Sized power = new Sized();
        power.limit = 24;
        assertEquals(16, tuner().scaleBatchSize(power, Data.fromModule(), Tuner.ScaleMode.POWER, 1, 2, 25));
        assertEquals(List.of(2, 4, 8, 16, 32), power.tried);

        Sized bisect = new Sized();
        bisect.limit = 24;
        assertEquals(24, tuner().scaleBatchSize(bisect, Data.fromModule(), Tuner.ScaleMode.BINSEARCH, 1, 2, 25));
        assertEquals(List.of(2, 4, 8, 16, 32, 24, 28, 26, 25), bisect.tried);
    }

    @Test
    public void otherErrorsEndTheSearchAndAreThrown() {
        Sized model = new Sized() {
            @Override
            public Object trainingStep(Batch batch, int batchIdx) {
                throw new IllegalStateException("a bug in the step");
            }
        };
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> tuner().scaleBatchSize(model, Data.fromModule(), Tuner.ScaleMode.POWER, 1, 2, 5));
        assertTrue(e.getMessage(), e.getMessage().contains("a bug in the step"));
        assertTrue(Tuner.outOfMemory(new TorchlightException("step failed", new RuntimeException("CUDA out of memory. Tried"))));
    }
}
