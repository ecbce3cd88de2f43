package io.torchlight.core;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.junit.Test;

import io.torchlight.api.Limit;
import io.torchlight.api.optim.LightningOptimizer;
import io.torchlight.demos.BoringModel;
import io.torchlight.utils.data.Batch;

/** Which of trainingStep, zero-grad, backward and the update happen on which batch, with and without accumulation. */
public class AccumulationTest {

    /** Records "<batch>:<event>" for every optimization event. */
    static class SpyModel extends BoringModel {
        final List<String> events = new ArrayList<>();
        final List<Double> backwardLosses = new ArrayList<>();
        int batch;

        @Override
        public Object trainingStep(Batch b, int batchIdx) {
            batch = batchIdx;
            events.add(batchIdx + ":trainingStep");
            return super.trainingStep(b, batchIdx);
        }

        @Override
        public void optimizerZeroGrad(int epoch, int batchIdx, LightningOptimizer optimizer, int optimizerIdx) {
            events.add(batchIdx + ":zeroGrad");
            super.optimizerZeroGrad(epoch, batchIdx, optimizer, optimizerIdx);
        }

        @Override
        public void backward(Tensor loss, LightningOptimizer optimizer, int optimizerIdx) {
            events.add(batch + ":backward");
            backwardLosses.add(loss.item_double());
            super.backward(loss, optimizer, optimizerIdx);
        }

        @Override
        public void onBeforeOptimizerStep(LightningOptimizer optimizer, int optimizerIdx) {
            events.add(batch + ":step");
        }
    }

    private static SpyModel fit(int accumulate) {
        SpyModel model = new SpyModel();
        Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(7)).limitValBatches(Limit.NONE)
                .accumulateGradBatches(accumulate).seed(3L).build(), TestTrainers.plugins()).fit(model);
        return model;
    }

    @Test
    public void withoutAccumulationEveryBatchZeroesBackpropagatesAndSteps() {
        SpyModel model = fit(1);

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            expected.addAll(List.of(i + ":trainingStep", i + ":zeroGrad", i + ":backward", i + ":step"));
        }
        assertEquals(expected, model.events);
    }

    @Test
    public void accumulatingThreeZeroesOnWindowStartsAndStepsOnWindowEndsAndTheLastBatch() {
        SpyModel model = fit(3);

        assertEquals(List.of(
                "0:trainingStep", "0:zeroGrad", "0:backward",
                "1:trainingStep", "1:backward",
                "2:trainingStep", "2:backward", "2:step",
                "3:trainingStep", "3:zeroGrad", "3:backward",
                "4:trainingStep", "4:backward",
                "5:trainingStep", "5:backward", "5:step",
                "6:trainingStep", "6:zeroGrad", "6:backward", "6:step"), model.events);
    }

    @Test
    public void accumulatedLossIsDividedByTheWindow() {
        SpyModel plain = fit(1);
        SpyModel accumulated = fit(3);

        // same seed, same first batch and weights: the first backward sees a third of the loss
        assertEquals(plain.backwardLosses.get(0) / 3, accumulated.backwardLosses.get(0), 1e-7);
    }
}
