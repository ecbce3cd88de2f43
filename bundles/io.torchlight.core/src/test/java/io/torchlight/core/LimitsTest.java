package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import io.torchlight.api.Callback;
import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Limit;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.api.TrainerView;
import io.torchlight.demos.BoringModel;
import io.torchlight.demos.RandomDataset;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;

public class LimitsTest {

    /** Counts validation runs and batches (outside the sanity check) and training batches per epoch. */
    static class Counter implements Callback {
        int validations;
        int valBatches;
        final List<Integer> trainBatchesPerEpoch = new ArrayList<>();

        @Override
        public void onTrainEpochStart(TrainerView trainer, LightningModule module) {
            trainBatchesPerEpoch.add(0);
        }

        @Override
        public void onTrainBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx) {
            int last = trainBatchesPerEpoch.size() - 1;
            trainBatchesPerEpoch.set(last, trainBatchesPerEpoch.get(last) + 1);
        }

        @Override
        public void onValidationStart(TrainerView trainer, LightningModule module) {
            if (!trainer.sanityChecking()) {
                validations++;
            }
        }

        @Override
        public void onValidationBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx,
                int dataloaderIdx) {
            if (!trainer.sanityChecking()) {
                valBatches++;
            }
        }
    }

    private final Counter counter = new Counter();

    private Trainer fit(TrainerConfig.Builder config, LightningModule model) {
        return fit(config, TestTrainers.plugins(), model);
    }

    private Trainer fit(TrainerConfig.Builder config, TrainerPlugins plugins, LightningModule model) {
        Trainer trainer = Torchlight.trainer(config.seed(11L).build(), plugins.withCallback(counter));
        trainer.fit(model);
        return trainer;
    }

    @Test
    public void limitsAsFractionAndCount() {
        Trainer trainer = fit(TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.fraction(0.25))
                .limitValBatches(Limit.count(3)), new BoringModel());

        assertEquals(16, trainer.view().globalStep());
        assertEquals(List.of(16), counter.trainBatchesPerEpoch);
        assertEquals(3, counter.valBatches);
    }

    @Test
    public void valCheckIntervalAsFractionValidatesTwicePerEpoch() {
        fit(TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(20)).limitValBatches(Limit.count(1))
                .valCheckInterval(Limit.fraction(0.5)), new BoringModel());

        assertEquals(2, counter.validations);
    }

    @Test
    public void valCheckIntervalAsCountValidatesEveryNBatches() {
        fit(TestTrainers.cpu().maxEpochs(2).limitTrainBatches(Limit.count(20)).limitValBatches(Limit.count(1))
                .valCheckInterval(Limit.count(5)), new BoringModel());

        assertEquals(8, counter.validations);
    }

    @Test
    public void maxStepsWinsOverMaxEpochs() {
        Trainer trainer = fit(TestTrainers.cpu().maxEpochs(3).maxSteps(5).limitValBatches(Limit.NONE), new BoringModel());

        assertEquals(5, trainer.view().globalStep());
        assertEquals(List.of(5), counter.trainBatchesPerEpoch);
    }

    @Test
    public void aStopRequestWaitsForMinEpochs() {
        Callback stopAtOnce = new Callback() {
            @Override
            public void onTrainEpochEnd(TrainerView trainer, LightningModule module) {
                trainer.setShouldStop(true);
            }
        };
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxEpochs(10).minEpochs(3).limitTrainBatches(Limit.count(2))
                .limitValBatches(Limit.NONE).build(), TestTrainers.plugins().withCallback(stopAtOnce).withCallback(counter));
        trainer.fit(new BoringModel());

        assertEquals(3, trainer.view().currentEpoch());
        assertEquals(3, counter.trainBatchesPerEpoch.size());
    }

    @Test
    public void fastDevRunRunsNBatchesOnceWithoutLoggers() {
        RecordingLogger logger = new RecordingLogger();
        Trainer trainer = fit(TestTrainers.cpu().maxEpochs(5).fastDevRun(2).logEveryNSteps(1), TestTrainers.plugins().withLogger(logger), new BoringModel());

        assertEquals(2, trainer.view().globalStep());
        assertEquals(List.of(2), counter.trainBatchesPerEpoch);
        assertEquals(2, counter.valBatches);
        assertTrue(logger.entries.isEmpty());
        assertTrue(trainer.view().loggers().isEmpty());
    }

    @Test
    public void overfitBatchesTrainsOnTheSameBatchesEveryEpoch() {
        List<Double> firstBatchSums = new ArrayList<>();
        BoringModel model = new BoringModel() {
            @Override
            public DataLoader trainDataloader() {
                return DataLoader.of(new RandomDataset(32, 64)).batchSize(4).shuffle(true).build();
            }

            @Override
            public int onTrainBatchStart(Batch batch, int batchIdx) {
                if (batchIdx == 0) {
                    firstBatchSums.add(batch.input().sum().item_double());
                }
                return 0;
            }
        };
        fit(TestTrainers.cpu().maxEpochs(3).overfitBatches(Limit.count(2)), model);

        assertEquals(List.of(2, 2, 2), counter.trainBatchesPerEpoch);
        assertEquals(3, firstBatchSums.size());
        assertEquals(firstBatchSums.get(0), firstBatchSums.get(1));
        assertEquals(firstBatchSums.get(0), firstBatchSums.get(2));
        assertEquals("validation runs on the same two training batches", 6, counter.valBatches);
    }

    @Test
    public void minusOneFromOnTrainBatchStartEndsTheEpoch() {
        BoringModel model = new BoringModel() {
            @Override
            public int onTrainBatchStart(Batch batch, int batchIdx) {
                return batchIdx == 3 ? -1 : 0;
            }
        };
        Trainer trainer = fit(TestTrainers.cpu().maxEpochs(2).limitValBatches(Limit.NONE), model);

        assertEquals(List.of(3, 3), counter.trainBatchesPerEpoch);
        assertEquals(6, trainer.view().globalStep());
    }

    @Test
    public void checkValEveryNEpochSkipsEpochs() {
        fit(TestTrainers.cpu().maxEpochs(4).limitTrainBatches(Limit.count(2)).limitValBatches(Limit.count(1))
                .checkValEveryNEpoch(2), new BoringModel());

        assertEquals(2, counter.validations);
    }

    @Test
    public void maxTimeStopsAtTheNextBatchBoundary() {
        Trainer trainer = fit(TestTrainers.cpu().maxEpochs(5).maxTime(Duration.ofNanos(1))
                .limitValBatches(Limit.NONE), new BoringModel());

        assertEquals(1, trainer.view().globalStep());
    }

    @Test
    public void validateWithTrainAndValLoadersRunsTheValidationOne() {
        DataLoader train = DataLoader.of(new RandomDataset(32, 40)).batchSize(4).build();
        DataLoader val = DataLoader.of(new RandomDataset(32, 12)).batchSize(4).build();
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().build(), TestTrainers.plugins().withCallback(counter));

        trainer.validate(new BoringModel(), Data.of(train, val), CkptPath.NONE);

        assertEquals("the 3 batches of the validation loader, not the 10 of the training one", 3, counter.valBatches);
    }
}
