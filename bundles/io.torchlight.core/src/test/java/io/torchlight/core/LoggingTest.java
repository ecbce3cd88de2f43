package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.global.torch;
import org.junit.Test;

import io.torchlight.api.Limit;
import io.torchlight.api.LogOptions;
import io.torchlight.api.ReduceFx;
import io.torchlight.api.Trainer;
import io.torchlight.api.optim.LightningOptimizer;
import io.torchlight.demos.BoringModel;
import io.torchlight.demos.RandomDataset;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;

public class LoggingTest {

    /** Logs in the training and validation steps with several settings. */
    static class LoggingModel extends BoringModel {
        @Override
        public Object trainingStep(Batch batch, int batchIdx) {
            Object out = super.trainingStep(batch, batchIdx);
            log("step_default", batchIdx);
            log("both", (double) batchIdx, LogOptions.defaults().onEpoch(true).progBar(true));
            log("total", 1, LogOptions.defaults().onStep(false).onEpoch(true).reduceFx(ReduceFx.SUM));
            log("hidden", 5, LogOptions.defaults().logger(false));
            return out;
        }

        @Override
        public Object validationStep(Batch batch, int batchIdx) {
            // batches of 2, 2 and 1 samples: batch-size weighting makes the mean (0*2 + 1*2 + 2*1) / 5 = 0.8
            log("val_number", batchIdx);
            log("val_tensor", torch.scalar_tensor(new Scalar((double) batchIdx)));
            log("val_max", batchIdx, LogOptions.defaults().reduceFx(ReduceFx.MAX));
            log("val_min", batchIdx + 10, LogOptions.defaults().reduceFx(ReduceFx.MIN));
            return null;
        }

        @Override
        public Object testStep(Batch batch, int batchIdx) {
            log("test_value", batchIdx);
            return null;
        }

        @Override
        public DataLoader valDataloader() {
            return DataLoader.of(new RandomDataset(32, 5)).batchSize(2).build();
        }

        @Override
        public void onTrainEpochEnd() {
            log("epoch_hook", 42);
        }
    }

    private final RecordingLogger logger = new RecordingLogger();

    private Trainer fit() {
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(4))
                .numSanityValSteps(0).logEveryNSteps(2).seed(5L).build(), TestTrainers.plugins().withLogger(logger));
        trainer.fit(new LoggingModel());
        return trainer;
    }

    @Test
    public void stepMetricsReachLoggersEveryNStepsWithDefaultNames() {
        fit();

        // Lightning 1.6.5 logs a batch's values at the count of batches that stepped before it: batches 2 and 4
        assertEquals(List.of(1L, 3L), logger.steps("step_default"));
        assertEquals(List.of(1.0, 3.0), logger.values("step_default"));
        assertEquals(List.of(1.0, 3.0), logger.values("both_step"));
        assertTrue("per-step only: no epoch value", logger.values("step_default_epoch").isEmpty());
        assertTrue("logger(false) never reaches loggers", logger.values("hidden").isEmpty());
        assertEquals("success", logger.status);
    }

    @Test
    public void epochMetricsAreReducedAndLoggedAtEpochEnd() {
        Trainer trainer = fit();

        assertEquals(List.of(1.5), logger.values("both_epoch"));
        assertEquals(List.of(4.0), logger.values("total"));
        assertEquals(List.of(42.0), logger.values("epoch_hook"));
        Map<String, Double> metrics = trainer.view().callbackMetrics();
        assertEquals(1.5, metrics.get("both"), 0);
        assertEquals(3.0, metrics.get("both_step"), 0);
        assertEquals(1.5, metrics.get("both_epoch"), 0);
    }

    @Test
    public void evaluationMeansAreWeightedByBatchSizeAndReduceFunctionsApply() {
        Trainer trainer = fit();

        Map<String, Double> metrics = trainer.view().callbackMetrics();
        assertEquals(0.8, metrics.get("val_number"), 1e-9);
        assertEquals(0.8, metrics.get("val_tensor"), 1e-6);
        assertEquals(2.0, metrics.get("val_max"), 0);
        assertEquals(10.0, metrics.get("val_min"), 0);
        assertEquals(List.of(0.8), logger.values("val_number").stream().map(v -> Math.round(v * 10) / 10.0).toList());
    }

    /**
     * Lightning 1.6.5's tests/loggers/test_all.py::test_loggers_fit_test_all: one training and one validation batch
     * with {@code log_every_n_steps=1} log the step value, then the epoch and validation values, all at step 0; the
     * test after the fit logs at step 1.
     */
    @Test
    public void stepsOfTrainValidationAndTestRowsAreLightnings() {
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(1))
                .limitValBatches(Limit.count(1)).limitTestBatches(Limit.count(1)).numSanityValSteps(0).logEveryNSteps(1)
                .seed(5L).build(), TestTrainers.plugins().withLogger(logger));
        LoggingModel model = new LoggingModel();
        trainer.fit(model);
        trainer.test(model);

        assertEquals(List.of(0L), logger.steps("step_default"));
        assertEquals(List.of(0L), logger.steps("both_epoch"));
        assertEquals(List.of(0L), logger.steps("val_number"));
        assertEquals(List.of(1L), logger.steps("test_value"));
    }

    /**
     * With accumulation, step rows come only where a window of {@code accumulate_grad_batches} ends (Lightning 1.6.5's
     * LoggerConnector.update_train_step_metrics returns while accumulating, and the step counts windows), the epoch
     * row at the last window's step.
     */
    @Test
    public void withAccumulationRowsComeWhereWindowsEnd() {
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxEpochs(2).limitTrainBatches(Limit.count(4))
                .limitValBatches(Limit.NONE).numSanityValSteps(0).logEveryNSteps(1).accumulateGradBatches(2).seed(5L).build(),
                TestTrainers.plugins().withLogger(logger));
        trainer.fit(new LoggingModel());

        assertEquals("batches 1 and 3 of each epoch end a window", List.of(1.0, 3.0, 1.0, 3.0), logger.values("step_default"));
        assertEquals(List.of(0L, 1L, 2L, 3L), logger.steps("step_default"));
        assertEquals(List.of(1L, 3L), logger.steps("both_epoch"));
    }

    /**
     * Lightning 1.6.5's track_grad_norm (tests/models/test_grad_norm.py::test_grad_tracking): at each logging step the
     * p-norm of every parameter's gradient and of all of them, rounded to 4 places, as the module computes them in
     * onBeforeOptimizerStep; none at steps that do not log.
     */
    @Test
    public void trackGradNormLogsEachParametersNormAndTheTotalAtLoggingSteps() {
        List<Map<String, Double>> expected = new ArrayList<>();
        BoringModel model = new BoringModel() {
            @Override
            public void onBeforeOptimizerStep(LightningOptimizer optimizer, int optimizerIdx) {
                double w = layer.weight().grad().norm(new Scalar(2)).item_double();
                double b = layer.bias().grad().norm(new Scalar(2)).item_double();
                expected.add(Map.of("w", w, "b", b, "total", Math.sqrt(w * w + b * b)));
            }
        };
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxSteps(4).limitValBatches(Limit.NONE).logEveryNSteps(2)
                .trackGradNorm(2).build(), TestTrainers.plugins().withLogger(logger));

        trainer.fit(model);

        assertEquals("logged at steps 1 and 3 only", List.of(1L, 3L), logger.steps("grad_2.0_norm_total_step"));
        List<Double> totals = logger.values("grad_2.0_norm_total_step");
        List<Double> weights = logger.values("grad_2.0_norm/layer.weight_step");
        for (int i = 0; i < 2; i++) {
            Map<String, Double> at = expected.get(2 * i + 1);
            assertEquals(at.get("total"), totals.get(i), 1e-4);
            assertEquals(at.get("w"), weights.get(i), 1e-4);
        }
        assertEquals(List.of(2L), List.of((long) logger.values("grad_2.0_norm/layer.bias_step").size()));
    }

    @Test
    public void trackGradNormMustBeAPositiveOrderOrMinusOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TestTrainers.cpu().trackGradNorm(0).build());

        assertTrue(e.getMessage(), e.getMessage().startsWith("trackGradNorm must be -1 (off) or a norm order > 0"));
    }

    @Test
    public void onlyProgBarMetricsShowInTheProgressBar() {
        Trainer trainer = fit();

        Map<String, Double> bar = trainer.view().progressBarMetrics();
        assertTrue(bar.toString(), bar.containsKey("both_step") && bar.containsKey("both_epoch"));
        assertFalse(bar.toString(), bar.containsKey("step_default") || bar.containsKey("total") || bar.containsKey("val_number"));
    }
}
