package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Tensor;
import org.junit.Test;

import io.torchlight.api.Limit;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.optim.LightningOptimizer;
import io.torchlight.api.optim.OptimizerConfig;
import io.torchlight.demos.BoringModel;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.optim.StepLR;

/** What the trainer leaves to a module that optimizes itself, as Lightning 1.6.5 does. */
public class ManualOptimizationTest {

    /** Steps its one optimizer itself; its StepLR halves the rate every epoch only when someone steps it. */
    static class Manual extends BoringModel {
        Manual() {
            automaticOptimization(false);
        }

        @Override
        public Object trainingStep(Batch batch, int batchIdx) {
            LightningOptimizer optimizer = optimizer();
            optimizer.zeroGrad();
            Tensor loss = loss(forward(batch.input()));
            manualBackward(loss);
            optimizer.step();
            return null;
        }

        @Override
        public Object configureOptimizers() {
            SGD sgd = new SGD(parameters(), new SGDOptions(0.1));
            return OptimizerConfig.of(sgd).scheduler(new StepLR(sgd, 1, 0.5));
        }
    }

    private static TrainerConfig.Builder config() {
        return TestTrainers.cpu().maxEpochs(3).limitTrainBatches(Limit.count(4)).limitValBatches(Limit.NONE);
    }

    /**
     * Lightning 1.6.5's TrainingEpochLoop._update_learning_rates returns at once without automatic optimization
     * (tests/trainer/optimization/test_manual_optimization.py steps lr_schedulers() in training_step itself).
     */
    @Test
    public void schedulersAreNotSteppedForAModuleThatOptimizesItself() {
        Trainer trainer = Torchlight.trainer(config().build(), TestTrainers.plugins());
        trainer.fit(new Manual());

        assertEquals(12, trainer.view().globalStep());
        assertEquals("three epochs, the rate untouched", 0.1, trainer.view().optimizers().get(0).lr(0), 0);
    }

    /** Lightning 1.6.5's configuration_validator.__verify_manual_optimization_support, before any hook runs. */
    @Test
    public void gradientClippingAndAccumulationAreConfigurationErrors() {
        TorchlightException clip = assertThrows(TorchlightException.class,
                () -> Torchlight.trainer(config().gradientClipVal(0.5).build(), TestTrainers.plugins()).fit(new Manual()));
        TorchlightException accumulate = assertThrows(TorchlightException.class,
                () -> Torchlight.trainer(config().accumulateGradBatches(2).build(), TestTrainers.plugins()).fit(new Manual()));

        assertTrue(clip.getMessage(), clip.getMessage().startsWith("Automatic gradient clipping is not supported for manual "
                + "optimization: remove gradient_clip_val=0.5"));
        assertTrue(accumulate.getMessage(), accumulate.getMessage().startsWith("Automatic gradient accumulation is not "
                + "supported for manual optimization: remove accumulate_grad_batches=2"));
    }
}
