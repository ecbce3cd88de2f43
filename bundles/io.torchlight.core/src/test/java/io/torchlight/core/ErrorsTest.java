package io.torchlight.core;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.bytedeco.pytorch.AnomalyMode;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.Test;

import io.torchlight.api.Limit;
import io.torchlight.api.Stage;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.accelerator.Precision;
import io.torchlight.demos.BoringModel;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;
import io.torchlight.utils.data.Dataset;

/** Errors name the culprit and say what to do. */
public class ErrorsTest {

    private static TorchlightException fitFails(BoringModel model) {
        return fitFails(model, TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(3)).limitValBatches(Limit.NONE));
    }

    private static TorchlightException fitFails(BoringModel model, TrainerConfig.Builder config) {
        return assertThrows(TorchlightException.class, () -> Torchlight.trainer(config.build(), TestTrainers.plugins()).fit(model));
    }

    private static void contains(TorchlightException e, String... parts) {
        for (String part : parts) {
            assertTrue("'" + part + "' missing from: " + e.getMessage(), e.getMessage().contains(part));
        }
    }

    @Test
    public void aStepReturningAnUnsupportedType() {
        TorchlightException e = fitFails(new BoringModel() {
            @Override
            public Object trainingStep(Batch batch, int batchIdx) {
                return "oops";
            }
        });
        contains(e, "trainingStep returned a java.lang.String", "return a loss Tensor");
    }

    @Test
    public void sixteenBitMixedPrecisionIsRefusedOnTheCpuWhenTheTrainerIsMade() {
        TorchlightException half = assertThrows(TorchlightException.class,
                () -> Torchlight.trainer(TestTrainers.cpu().precision(Precision.FP16_MIXED).build(), TestTrainers.plugins()));

        contains(half, "precision=16-mixed is not supported by accelerator cpu", "use precision=32, 64, bf16-mixed there");
    }

    @Test
    public void aMapWithoutLoss() {
        TorchlightException e = fitFails(new BoringModel() {
            @Override
            public Object trainingStep(Batch batch, int batchIdx) {
                return Map.of("los", loss(forward(batch.input())));
            }
        });
        contains(e, "without \"loss\"", "key \"loss\"");
    }

    @Test
    public void automaticOptimizationWithoutAnOptimizer() {
        TorchlightException e = fitFails(new BoringModel() {
            @Override
            public Object configureOptimizers() {
                return null;
            }
        });
        contains(e, "configureOptimizers() returned no optimizer", "automaticOptimization(false)");
    }

    @Test
    public void loggingANonScalar() {
        TorchlightException e = fitFails(new BoringModel() {
            @Override
            public Object trainingStep(Batch batch, int batchIdx) {
                log("vector", torch.ones(3));
                return super.trainingStep(batch, batchIdx);
            }
        });
        contains(e, "log('vector') in trainingStep", "shape [3]", "scalar");
    }

    @Test
    public void loggingWhereItIsNotAllowed() {
        TorchlightException e = fitFails(new BoringModel() {
            @Override
            public void setup(Stage stage) {
                log("x", 1);
            }
        });
        contains(e, "log() is not allowed in setup");
    }

    /**
     * As Lightning 1.6.5's detect_anomaly=True (tests/trainer/test_trainer.py::test_detect_anomaly_nan), training runs
     * under libtorch's autograd anomaly mode: a finite loss whose backward produces NaN (sqrt at 0, times 0) fails naming the backward function.
     */
    @Test
    public void detectAnomalyTurnsOnAutogradAnomalyModeForNanGradients() {
        BoringModel model = new BoringModel() {
            @Override
            public Object trainingStep(Batch batch, int batchIdx) {
                return torch.sqrt(layer.weight().mul(new Scalar(0.0))).sum();
            }
        };
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxSteps(1).limitValBatches(Limit.NONE).detectAnomaly(true).build(),
                TestTrainers.plugins());

        RuntimeException e = assertThrows(RuntimeException.class, () -> trainer.fit(model));

        String message = String.valueOf(e.getMessage()) + " " + (e.getCause() == null ? "" : e.getCause().getMessage());
        assertTrue(message, message.contains("returned nan values in its 0th output"));
        assertFalse("the mode is off again after the fit", AnomalyMode.is_enabled());
    }

    @Test
    public void aNanLossWithDetectAnomalyNamesEpochAndBatch() {
        TorchlightException e = fitFails(new BoringModel() {
            @Override
            public Object trainingStep(Batch batch, int batchIdx) {
                Tensor loss = loss(forward(batch.input()));
                return batchIdx == 2 ? loss.mul(new Scalar(Double.NaN)) : loss;
            }
        }, TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(4)).limitValBatches(Limit.NONE).detectAnomaly(true));
        contains(e, "non-finite loss (NaN)", "epoch 0, batch 2", "detectAnomaly");
    }

    @Test
    public void aDataloaderThatThrowsIsNamed() {
        TorchlightException e = fitFails(new BoringModel() {
            @Override
            public DataLoader trainDataloader() {
                throw new IllegalStateException("dataset folder /data/x is missing");
            }
        });
        contains(e, "failed in trainDataloader", "dataset folder /data/x is missing");
    }

    @Test
    public void aDatasetThatFailsWhileIteratingFailsTheRun() {
        Dataset<Batch> broken = new Dataset<>() {
            @Override
            public long size() {
                return 8;
            }

            @Override
            public Batch get(long index) {
                if (index == 5) {
                    throw new TorchlightException("sample 5 of broken.bin is corrupt");
                }
                return Batch.of(torch.ones(32));
            }
        };
        TorchlightException e = fitFails(new BoringModel() {
            @Override
            public DataLoader trainDataloader() {
                return DataLoader.of(broken).batchSize(2).numWorkers(1).build();
            }
        }, TestTrainers.cpu().maxEpochs(1).limitValBatches(Limit.NONE));
        contains(e, "sample 5 of broken.bin is corrupt");
    }

    @Test
    public void aFailureDuringValidationLeavesGradientsOnForTheNextFit() {
        TorchlightException e = fitFails(new BoringModel() {
            @Override
            public void onValidationEnd() {
                throw new TorchlightException("validation end fails");
            }
        }, TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(1)).limitValBatches(Limit.count(1)));
        contains(e, "validation end fails");

        assertTrue(GradMode.is_enabled());
        Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(2)).limitValBatches(Limit.NONE).build(), TestTrainers.plugins())
                .fit(new BoringModel());
    }
}
