package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.junit.Test;

import io.torchlight.api.GradientClipAlgorithm;
import io.torchlight.api.Limit;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.Trainer;
import io.torchlight.api.optim.Interval;
import io.torchlight.api.optim.LightningOptimizer;
import io.torchlight.api.optim.LrSchedulerConfig;
import io.torchlight.api.optim.OptimizerConfig;
import io.torchlight.core.internal.DefaultTrainer;
import io.torchlight.core.internal.TrainerSetup;
import io.torchlight.core.internal.hooks.Hooks;
import io.torchlight.core.internal.plugins.Plugins;
import io.torchlight.demos.BoringModel;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.optim.LrScheduler;
import io.torchlight.utils.optim.ReduceLROnPlateau;
import io.torchlight.utils.optim.StepLR;

public class OptimizationTest {

    /** Records the gradient norm and largest element right before each update (after clipping). */
    static class GradientModel extends BoringModel {
        final List<Double> norms = new ArrayList<>();
        final List<Double> maxAbs = new ArrayList<>();

        @Override
        public void optimizerStep(int epoch, int batchIdx, LightningOptimizer optimizer, int optimizerIdx, Runnable closure) {
            closure.run();
            configureGradientClipping(optimizer, optimizerIdx, trainer().config().gradientClipVal().getAsDouble(),
                    trainer().config().gradientClipAlgorithm());
            double sq = 0;
            double max = 0;
            for (Tensor p : parameters().get()) {
                sq += p.grad().pow(new Scalar(2)).sum().item_double();
                max = Math.max(max, p.grad().abs().max().item_double());
            }
            norms.add(Math.sqrt(sq));
            maxAbs.add(max);
            optimizer.optimizer().step();
        }
    }

    @Test
    public void clippingByNormAndByValue() {
        GradientModel byNorm = new GradientModel();
        Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(3)).limitValBatches(Limit.NONE)
                .gradientClipVal(0.01).build(), TestTrainers.plugins()).fit(byNorm);
        GradientModel byValue = new GradientModel();
        Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(3)).limitValBatches(Limit.NONE)
                .gradientClipVal(0.001).gradientClipAlgorithm(GradientClipAlgorithm.VALUE).build(), TestTrainers.plugins()).fit(byValue);

        byNorm.norms.forEach(n -> assertTrue("norm " + n, n <= 0.01 + 1e-6));
        byValue.maxAbs.forEach(m -> assertTrue("max " + m, m <= 0.001 + 1e-9));
    }

    /** BoringModel whose optimizer has a step-interval and an epoch-interval schedule. */
    static class ScheduledModel extends BoringModel {
        final Interval interval;
        final int frequency;

        ScheduledModel(Interval interval, int frequency) {
            this.interval = interval;
            this.frequency = frequency;
        }

        @Override
        public Object configureOptimizers() {
            SGD sgd = new SGD(parameters(), new SGDOptions(1.0));
            return OptimizerConfig.of(sgd).scheduler(LrSchedulerConfig.of(new StepLR(sgd, 1, 0.5)).interval(interval).frequency(frequency));
        }
    }

    private static double lrAfter(ScheduledModel model, int epochs, int batches) {
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxEpochs(epochs).limitTrainBatches(Limit.count(batches))
                .limitValBatches(Limit.NONE).build(), TestTrainers.plugins());
        trainer.fit(model);
        return trainer.view().optimizers().get(0).lr(0);
    }

    @Test
    public void schedulersStepPerIntervalAndFrequency() {
        assertEquals(Math.pow(0.5, 6), lrAfter(new ScheduledModel(Interval.STEP, 1), 2, 3), 1e-12);
        // Lightning 1.6.5 counts (batch_idx + 1) % frequency within each epoch: batch 1 of each 3-batch epoch
        assertEquals(Math.pow(0.5, 2), lrAfter(new ScheduledModel(Interval.STEP, 2), 2, 3), 1e-12);
        assertEquals(Math.pow(0.5, 2), lrAfter(new ScheduledModel(Interval.EPOCH, 1), 2, 3), 1e-12);
    }

    @Test
    public void plateauSchedulerReadsItsMonitoredMetric() {
        BoringModel model = new BoringModel() {
            @Override
            public Object validationStep(Batch batch, int batchIdx) {
                log("val_loss", 1.0); // never improves
                return null;
            }

            @Override
            public Object configureOptimizers() {
                SGD sgd = new SGD(parameters(), new SGDOptions(1.0));
                return OptimizerConfig.of(sgd).scheduler(LrSchedulerConfig.of(
                        new ReduceLROnPlateau(sgd, ReduceLROnPlateau.Mode.MIN, 0.5, 0)).monitor("val_loss"));
            }
        };
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxEpochs(3).limitTrainBatches(Limit.count(2))
                .limitValBatches(Limit.count(1)).numSanityValSteps(0).build(), TestTrainers.plugins());
        trainer.fit(model);

        // epoch 0 sets the best value; epochs 1 and 2 are plateaus
        assertEquals(0.25, trainer.view().optimizers().get(0).lr(0), 1e-12);
    }

    @Test
    public void aMissingMonitoredMetricIsAnErrorListingTheLoggedOnes() {
        BoringModel model = new BoringModel() {
            @Override
            public Object trainingStep(Batch batch, int batchIdx) {
                log("train_loss", 1.0);
                return super.trainingStep(batch, batchIdx);
            }

            @Override
            public Object configureOptimizers() {
                SGD sgd = new SGD(parameters(), new SGDOptions(1.0));
                return OptimizerConfig.of(sgd).scheduler(LrSchedulerConfig.of(
                        new ReduceLROnPlateau(sgd, ReduceLROnPlateau.Mode.MIN, 0.5, 0)).monitor("val_acc"));
            }
        };
        TorchlightException e = assertThrows(TorchlightException.class, () -> Torchlight.trainer(TestTrainers.cpu()
                .maxEpochs(1).limitTrainBatches(Limit.count(2)).limitValBatches(Limit.NONE).build(), TestTrainers.plugins()).fit(model));

        assertTrue(e.getMessage(), e.getMessage().contains("'val_acc'") && e.getMessage().contains("train_loss"));
    }

    /**
     * Lightning 1.6.5's tests/trainer/optimization/test_optimizers.py::test_lr_scheduler_strict, strict=False: a missing
     * monitor is a RuntimeWarning (once per trainer), and the scheduler does not step.
     */
    @Test
    public void aMissingMonitorWithStrictOffWarnsOnceAndSkipsTheStep() {
        BoringModel model = new BoringModel() {
            @Override
            public Object configureOptimizers() {
                SGD sgd = new SGD(parameters(), new SGDOptions(1.0));
                return OptimizerConfig.of(sgd).scheduler(LrSchedulerConfig.of(
                        new ReduceLROnPlateau(sgd, ReduceLROnPlateau.Mode.MIN, 0.5, 0)).monitor("val_acc").strict(false));
            }
        };
        DefaultTrainer trainer = DefaultTrainer.open(TrainerSetup.of(TestTrainers.cpu().maxEpochs(3).limitTrainBatches(Limit.count(2))
                .limitValBatches(Limit.NONE).build(), TestTrainers.plugins()), Plugins.instances(), Hooks.HookListener.NONE);
        List<String> warnings = new ArrayList<>();
        trainer.onWarning(warnings::add);

        trainer.fit(model);

        assertEquals(warnings.toString(), 1, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).contains("'val_acc'") && warnings.get(0).contains("strict is set to false"));
        assertEquals(1.0, trainer.view().optimizers().get(0).lr(0), 0);
    }

    /**
     * test_lr_scheduler_strict with complete_epoch=False: an epoch cut short by max_steps never steps the monitored
     * epoch scheduler, so even strict=True raises nothing.
     */
    @Test
    public void anEpochCutShortByMaxStepsNeverReadsTheMonitor() {
        BoringModel model = new BoringModel() {
            @Override
            public Object configureOptimizers() {
                SGD sgd = new SGD(parameters(), new SGDOptions(1.0));
                return OptimizerConfig.of(sgd).scheduler(LrSchedulerConfig.of(
                        new ReduceLROnPlateau(sgd, ReduceLROnPlateau.Mode.MIN, 0.5, 0)).monitor("giraffe"));
            }
        };
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxSteps(1).limitTrainBatches(Limit.count(4))
                .limitValBatches(Limit.NONE).build(), TestTrainers.plugins());

        trainer.fit(model);

        assertEquals(1, trainer.view().globalStep());
    }

    /**
     * Optimizer frequencies alternate the optimizers as Lightning 1.6.5's _get_active_optimizers: with frequencies 1
     * and 3, batch_idx % 4 == 0 trains the first, the other three batches the second; the step still gets the
     * optimizer index, trainingEpochEnd gets one output per batch, and only the active optimizer's scheduler steps.
     */
    @Test
    public void frequenciesAlternateTheOptimizersByBatchIndex() {
        List<Integer> steppedSchedulers = new ArrayList<>();
        List<Object> epochOutputs = new ArrayList<>();
        TwoOptimizers model = new TwoOptimizers() {
            @Override
            public Object configureOptimizers() {
                SGD first = new SGD(layer.parameters(), new SGDOptions(0.1));
                SGD critic = new SGD(second.parameters(), new SGDOptions(0.1));
                return OptimizerConfig.of(first, critic).frequencies(1, 3)
                        .scheduler(LrSchedulerConfig.of(new StepLR(first, 1, 0.5)).interval(Interval.STEP))
                        .scheduler(LrSchedulerConfig.of(new StepLR(critic, 1, 0.5)).interval(Interval.STEP));
            }

            @Override
            public void lrSchedulerStep(LrScheduler scheduler, int optimizerIdx, Double metric) {
                steppedSchedulers.add(optimizerIdx);
                super.lrSchedulerStep(scheduler, optimizerIdx, metric);
            }

            @Override
            public void trainingEpochEnd(List<Object> outputs) {
                epochOutputs.addAll(outputs);
            }
        };
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(6))
                .limitValBatches(Limit.NONE).build(), TestTrainers.plugins());

        trainer.fit(model);

        assertEquals(List.of("0:true/false", "1:true/false", "1:true/false", "1:true/false", "0:true/false", "1:true/false"),
                model.seen);
        assertEquals(List.of(0, 1, 1, 1, 0, 1), steppedSchedulers);
        assertEquals(6, epochOutputs.size());
        assertEquals(6, trainer.view().globalStep());
        assertEquals(0.1 * 0.5 * 0.5, trainer.view().optimizers().get(0).lr(0), 1e-12);
    }

    @Test
    public void frequenciesNeedOnePositiveValuePerOptimizer() {
        SGD a = new SGD(new LinearImpl(2, 2).parameters(), new SGDOptions(0.1));
        SGD b = new SGD(new LinearImpl(2, 2).parameters(), new SGDOptions(0.1));

        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> OptimizerConfig.of(a, b).frequencies(1));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> OptimizerConfig.of(a, b).frequencies(1, 0));

        assertTrue(count.getMessage(), count.getMessage().contains("one per optimizer (2), got 1"));
        assertTrue(zero.getMessage(), zero.getMessage().contains("positive"));
    }

    /** Two optimizers, each owning one layer, like a GAN's generator and discriminator. */
    static class TwoOptimizers extends BoringModel {
        final LinearImpl second = registerModule("second", new LinearImpl(32, 2));
        final List<String> seen = new ArrayList<>();

        boolean bothTrainable() {
            return layer.weight().requires_grad() && second.weight().requires_grad();
        }

        @Override
        public Object trainingStep(Batch batch, int batchIdx, int optimizerIdx) {
            LinearImpl mine = optimizerIdx == 0 ? layer : second;
            LinearImpl other = optimizerIdx == 0 ? second : layer;
            seen.add(optimizerIdx + ":" + mine.weight().requires_grad() + "/" + other.weight().requires_grad());
            return Map.of("loss", loss(mine.forward(batch.input())));
        }

        @Override
        public Object configureOptimizers() {
            return List.of(new SGD(layer.parameters(), new SGDOptions(0.1)), new SGD(second.parameters(), new SGDOptions(0.1)));
        }
    }

    @Test
    public void severalOptimizersStepInTurnWithOnlyTheirParametersToggledOn() {
        TwoOptimizers model = new TwoOptimizers();
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(2))
                .limitValBatches(Limit.NONE).build(), TestTrainers.plugins());
        trainer.fit(model);

        assertEquals(List.of("0:true/false", "1:true/false", "0:true/false", "1:true/false"), model.seen);
        assertEquals("one step per optimizer per batch", 4, trainer.view().globalStep());
        assertTrue("untoggled afterwards", model.bothTrainable());
    }

    /**
     * Lightning 1.6.5's TrainingEpochLoop._prepare_outputs_training_epoch_end: with several optimizers training_epoch_end
     * gets one list per optimizer, each holding every batch's output (its "loss" detached).
     */
    @Test
    public void withSeveralOptimizersTrainingEpochEndGetsTheOutputsPerOptimizer() {
        List<List<Integer>> shape = new ArrayList<>();
        TwoOptimizers model = new TwoOptimizers() {
            @Override
            public void trainingEpochEnd(List<Object> outputs) {
                for (Object perOptimizer : outputs) {
                    List<Integer> losses = new ArrayList<>();
                    for (Object output : (List<?>) perOptimizer) {
                        losses.add(((Map<?, ?>) output).get("loss") instanceof Tensor t && !t.requires_grad() ? 1 : 0);
                    }
                    shape.add(losses);
                }
            }
        };
        Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(3)).limitValBatches(Limit.NONE)
                .build(), TestTrainers.plugins()).fit(model);

        assertEquals("2 optimizers x 3 batches, each with a detached loss", List.of(List.of(1, 1, 1), List.of(1, 1, 1)), shape);
    }

    @Test
    public void evaluationRunsInEvalModeWithoutGradients() {
        List<String> modes = new ArrayList<>();
        BoringModel model = new BoringModel() {
            @Override
            public Object validationStep(Batch batch, int batchIdx) {
                modes.add(is_training() + "/" + GradMode.is_enabled());
                return super.validationStep(batch, batchIdx);
            }

            @Override
            public Object trainingStep(Batch batch, int batchIdx) {
                modes.add(is_training() + "/" + GradMode.is_enabled());
                return super.trainingStep(batch, batchIdx);
            }
        };
        Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(1)).limitValBatches(Limit.count(1))
                .numSanityValSteps(0).build(), TestTrainers.plugins()).fit(model);

        assertEquals(List.of("true/true", "false/false"), modes);
        assertTrue(model.is_training());
        assertTrue(GradMode.is_enabled());
    }

    @Test
    public void skippingABatchByReturningNullSkipsItsUpdate() {
        BoringModel model = new BoringModel() {
            @Override
            public Object trainingStep(Batch batch, int batchIdx) {
                return batchIdx % 2 == 0 ? null : super.trainingStep(batch, batchIdx);
            }
        };
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(6))
                .limitValBatches(Limit.NONE).build(), TestTrainers.plugins());
        trainer.fit(model);

        assertEquals(3, trainer.view().globalStep());
        assertFalse(trainer.view().optimizers().isEmpty());
    }
}
