package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.Test;

import io.torchlight.api.Limit;
import io.torchlight.api.LogOptions;
import io.torchlight.api.Trainer;
import io.torchlight.api.optim.LightningOptimizer;
import io.torchlight.api.optim.OptimizerConfig;
import io.torchlight.demos.BoringModel;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.optim.LrScheduler;
import io.torchlight.utils.optim.StepLR;

/** LightningModule methods users call from their steps: logDict, print, lrSchedulers, several optimizers by hand. */
public class ModuleSurfaceTest {

    private static Trainer trainer(long steps) {
        return Torchlight.trainer(TestTrainers.cpu().maxSteps(steps).limitValBatches(Limit.NONE).build(), TestTrainers.plugins());
    }

    /** As Lightning's log_dict: every entry is logged with the same options. */
    @Test
    public void logDictLogsEveryEntryWithTheGivenOptions() {
        BoringModel model = new BoringModel() {
            @Override
            public Object trainingStep(Batch batch, int batchIdx) {
                logDict(Map.of("a", 1.0, "b", 2.0), LogOptions.defaults().progBar(true));
                logDict(Map.of("c", 3));
                return super.trainingStep(batch, batchIdx);
            }
        };
        Trainer trainer = trainer(2);

        trainer.fit(model);

        Map<String, Double> metrics = trainer.view().callbackMetrics();
        assertEquals(Map.of("a", 1.0, "b", 2.0, "c", 3.0), Map.of("a", metrics.get("a"), "b", metrics.get("b"), "c", metrics.get("c")));
        Map<String, Double> bar = trainer.view().progressBarMetrics();
        assertTrue(bar.toString(), bar.containsKey("a") && bar.containsKey("b") && !bar.containsKey("c"));
    }

    /** Lightning's LightningModule.print: the parts joined with spaces, once per process (global rank 0 only). */
    @Test
    public void printWritesOneLineFromTheGlobalZeroProcess() {
        BoringModel model = new BoringModel() {
            @Override
            public void onTrainStart() {
                print("epoch", currentEpoch(), "of", 1);
            }
        };
        PrintStream before = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            trainer(1).fit(model);
        } finally {
            System.setOut(before);
        }

        assertEquals("epoch 0 of 1" + System.lineSeparator(), captured.toString(StandardCharsets.UTF_8));
    }

    /**
     * Manual optimization steps its own schedulers through lrSchedulers(), as in Lightning 1.6.5's
     * tests/trainer/optimization/test_manual_optimization.py: two steps of a StepLR halving each step leave a quarter of
     * the rate.
     */
    @Test
    public void manualOptimizationStepsItsSchedulersThroughLrSchedulers() {
        List<Integer> seen = new ArrayList<>();
        BoringModel model = new BoringModel() {
            {
                automaticOptimization(false);
            }

            @Override
            public Object configureOptimizers() {
                SGD sgd = new SGD(parameters(), new SGDOptions(0.4));
                return OptimizerConfig.of(sgd).scheduler(new StepLR(sgd, 1, 0.5));
            }

            @Override
            public Object trainingStep(Batch batch, int batchIdx) {
                LightningOptimizer opt = optimizer();
                opt.zeroGrad();
                manualBackward(loss(forward(batch.input())));
                opt.step();
                List<LrScheduler> schedulers = lrSchedulers();
                seen.add(schedulers.size());
                schedulers.get(0).step();
                return null;
            }
        };
        Trainer trainer = trainer(2);

        trainer.fit(model);

        assertEquals(List.of(1, 1), seen);
        assertEquals(0.1, trainer.view().optimizers().get(0).lr(0), 1e-12);
    }

    /**
     * A GAN-style manual step with two optimizers, as test_manual_optimization.py's multiple-optimizer tests: each
     * optimizer updates its own layer only, and both step on every batch.
     */
    @Test
    public void manualOptimizationWithTwoOptimizersStepsEachOnItsOwnLayer() {
        final class TwoLayers extends BoringModel {
            final LinearImpl second = registerModule("second", new LinearImpl(32, 2));
            int steps;

            TwoLayers() {
                automaticOptimization(false);
            }

            LinearImpl first() {
                return layer;
            }

            @Override
            public Object configureOptimizers() {
                return List.of(new SGD(layer.parameters(), new SGDOptions(0.1)), new SGD(second.parameters(), new SGDOptions(0.1)));
            }

            @Override
            public Object trainingStep(Batch batch, int batchIdx) {
                List<LightningOptimizer> opts = optimizers();
                for (int i = 0; i < 2; i++) {
                    LinearImpl mine = i == 0 ? layer : second;
                    toggleOptimizer(opts.get(i));
                    opts.get(i).zeroGrad();
                    manualBackward(loss(mine.forward(batch.input())));
                    opts.get(i).step();
                    untoggleOptimizer();
                }
                steps++;
                return null;
            }
        }
        TwoLayers model = new TwoLayers();
        Tensor firstBefore = model.first().weight().detach().clone();
        Tensor secondBefore = model.second.weight().detach().clone();
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(3))
                .limitValBatches(Limit.NONE).build(), TestTrainers.plugins());

        trainer.fit(model);

        assertEquals(3, model.steps);
        // Lightning 1.6.5's global_step counts every optimizer step: limit_train_batches * 2
        assertEquals(6, trainer.view().globalStep());
        assertFalse(torch.equal(firstBefore, model.first().weight()));
        assertFalse(torch.equal(secondBefore, model.second.weight()));
        assertTrue("untoggled: both layers trainable again",
                model.first().weight().requires_grad() && model.second.weight().requires_grad());
    }
}
