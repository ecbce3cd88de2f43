package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.Test;

import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.Limit;
import io.torchlight.api.LogOptions;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.Trainer;
import io.torchlight.demos.BoringModel;
import io.torchlight.demos.RandomDataset;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;
import io.torchlight.utils.metrics.Accuracy;
import io.torchlight.utils.metrics.MeanMetric;

/**
 * Metric objects logged as torchmetrics' are in Lightning code ({@code self.log("acc", self.accuracy)} after
 * {@code self.accuracy(preds, target)}): the step value is the batch's, the epoch value {@code compute()} over the
 * epoch, and the object is reset between epochs, so epochs never mix.
 */
public class MetricObjectsTest {

    private static DataLoader loader(int samples, int batch) {
        return DataLoader.of(new RandomDataset(32, samples)).batchSize(batch).build();
    }

    /** "Predicts" class 1 when the first output is positive; the target is class 1 when the input's first value is. */
    static class Classifier extends BoringModel {
        final Accuracy trainAcc = new Accuracy();
        final Accuracy valAcc = new Accuracy();
        final MeanMetric valMean = new MeanMetric();
        final List<Double> stepAccs = new ArrayList<>();
        final List<List<Double>> valHits = new ArrayList<>();

        Tensor preds(Tensor x) {
            return forward(x).select(1, 0).gt(new Scalar(0.0)).to(torch.ScalarType.Long);
        }

        Tensor target(Tensor x) {
            return x.select(1, 0).gt(new Scalar(0.0)).to(torch.ScalarType.Long);
        }

        @Override
        public Object trainingStep(Batch batch, int batchIdx) {
            Tensor x = batch.input();
            stepAccs.add(trainAcc.forward(preds(x), target(x)).item_double());
            log("train_acc", trainAcc, LogOptions.defaults().onStep(true).onEpoch(true));
            return super.trainingStep(batch, batchIdx);
        }

        @Override
        public Object validationStep(Batch batch, int batchIdx) {
            Tensor x = batch.input();
            Tensor hits = preds(x).eq(target(x));
            if (batchIdx == 0) {
                valHits.add(new ArrayList<>());
            }
            for (long i = 0; i < hits.numel(); i++) {
                valHits.get(valHits.size() - 1).add(hits.get(i).item_bool() ? 1.0 : 0.0);
            }
            valAcc.update(preds(x), target(x));
            valMean.update(hits.to(torch.ScalarType.Float));
            log("val_acc", valAcc);
            log("val_mean", valMean);
            return null;
        }
    }

    @Test
    public void validationLogsComputeOverTheWholeEpochAndEpochsDoNotMix() {
        Classifier model = new Classifier();
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().build(), TestTrainers.plugins());

        Map<String, Double> first = trainer.validate(model, Data.of(loader(10, 4)), CkptPath.NONE).get(0);
        Map<String, Double> second = trainer.validate(model, Data.of(loader(6, 4)), CkptPath.NONE).get(0);

        assertEquals(mean(model.valHits.get(0)), first.get("val_acc"), 1e-6);
        assertEquals(mean(model.valHits.get(0)), first.get("val_mean"), 1e-6);
        assertEquals("the second run counts only its own 6 samples", mean(model.valHits.get(1)), second.get("val_acc"), 1e-6);
        assertEquals(6, model.valHits.get(1).size());
    }

    @Test
    public void trainingLogsTheBatchValuePerStepAndComputePerEpoch() {
        Classifier model = new Classifier();
        RecordingLogger logger = new RecordingLogger();
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxEpochs(2).limitValBatches(Limit.count(0)).logEveryNSteps(1)
                .build(), TestTrainers.plugins().withLogger(logger));

        trainer.fit(model, Data.of(loader(12, 4)));

        assertEquals(model.stepAccs, logger.values("train_acc_step"));
        List<Double> epochs = logger.values("train_acc_epoch");
        assertEquals(2, epochs.size());
        // equal batches: the epoch accuracy is the mean of its three batch accuracies, of that epoch only
        assertEquals(mean(model.stepAccs.subList(0, 3)), epochs.get(0), 1e-6);
        assertEquals(mean(model.stepAccs.subList(3, 6)), epochs.get(1), 1e-6);
    }

    @Test
    public void twoMetricObjectsUnderOneNameAreRefused() {
        BoringModel model = new BoringModel() {
            @Override
            public Object validationStep(Batch batch, int batchIdx) {
                Accuracy fresh = new Accuracy();
                fresh.update(Tensor.create(1L), Tensor.create(1L));
                log("acc", fresh);
                return null;
            }
        };
        TorchlightException e = assertThrows(TorchlightException.class, () -> Torchlight.trainer(TestTrainers.cpu().build(),
                TestTrainers.plugins()).validate(model, Data.of(loader(4, 2)), CkptPath.NONE));
        assertTrue(e.getMessage(), e.getMessage().contains("log each Metric under its own name"));
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
