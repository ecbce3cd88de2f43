package io.torchlight.core;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.junit.Test;

import io.torchlight.api.Limit;
import io.torchlight.api.Trainer;
import io.torchlight.api.optim.Interval;
import io.torchlight.api.optim.LrSchedulerConfig;
import io.torchlight.api.optim.OptimizerConfig;
import io.torchlight.demos.BoringModel;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.optim.LrScheduler;
import io.torchlight.utils.optim.StepLR;

/** When schedulers step, as Lightning 1.6.5's TrainingEpochLoop._update_learning_rates decides it. */
public class SchedulerSteppingTest {

    /** A StepLR halving the rate, stepping every 2 batches; records each lrSchedulerStep call as epoch:batch. */
    static final class EverySecondBatch extends BoringModel {
        final List<String> steps = new ArrayList<>();
        int batch;

        @Override
        public Object configureOptimizers() {
            SGD sgd = new SGD(parameters(), new SGDOptions(0.1));
            return OptimizerConfig.of(sgd).scheduler(LrSchedulerConfig.of(new StepLR(sgd, 1, 0.5)).interval(Interval.STEP)
                    .frequency(2));
        }

        @Override
        public int onTrainBatchStart(Batch b, int batchIdx) {
            batch = batchIdx;
            return 0;
        }

        @Override
        public void lrSchedulerStep(LrScheduler scheduler, int optimizerIdx, Double metric) {
            steps.add(currentEpoch() + ":" + batch + ":" + optimizerIdx);
            super.lrSchedulerStep(scheduler, optimizerIdx, metric);
        }
    }

    /**
     * Step-interval frequency counts the batch index within the epoch ((batch_idx + 1) % frequency), not the global
     * step: with 3 batches an epoch and frequency 2, one step per epoch, at batch 1.
     */
    @Test
    public void stepFrequencyCountsBatchesWithinTheEpochThroughTheLrSchedulerStepHook() {
        EverySecondBatch model = new EverySecondBatch();
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxEpochs(2).limitTrainBatches(Limit.count(3))
                .limitValBatches(Limit.NONE).build(), TestTrainers.plugins());

        trainer.fit(model);

        assertEquals(List.of("0:1:0", "1:1:0"), model.steps);
        assertEquals(0.1 * 0.5 * 0.5, trainer.view().optimizers().get(0).lr(0), 1e-12);
    }

    /** A user's own scheduler: linear warm-up over three steps, as Lightning users write with LambdaLR or a subclass. */
    static final class WarmUp extends LrScheduler {
        WarmUp(SGD optimizer) {
            super(optimizer);
            initialize();
        }

        @Override
        protected double lrAt(int epoch, double baseLr) {
            return baseLr * Math.min(1.0, (epoch + 1) / 3.0);
        }
    }

    /**
     * Lightning 1.6.5 steps any scheduler the module configures (its lr_scheduler_step hook exists for custom ones): a
     * subclass of LrScheduler is stepped like the built-in ones, once per batch here.
     */
    @Test
    public void aUsersOwnSchedulerIsSteppedByTheTrainer() {
        List<Double> rates = new ArrayList<>();
        BoringModel model = new BoringModel() {
            @Override
            public Object configureOptimizers() {
                SGD sgd = new SGD(parameters(), new SGDOptions(0.3));
                return OptimizerConfig.of(sgd).scheduler(LrSchedulerConfig.of(new WarmUp(sgd)).interval(Interval.STEP));
            }

            @Override
            public int onTrainBatchStart(Batch batch, int batchIdx) {
                rates.add(optimizer().lr(0));
                return 0;
            }
        };

        Torchlight.trainer(TestTrainers.cpu().maxSteps(4).limitValBatches(Limit.NONE).build(), TestTrainers.plugins()).fit(model);

        assertEquals(4, rates.size());
        for (int i = 0; i < 4; i++) {
            assertEquals("rate at step " + i, 0.3 * Math.min(1.0, (i + 1) / 3.0), rates.get(i), 1e-12);
        }
    }
}
