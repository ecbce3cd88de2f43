package io.torchlight.core;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.LightningDataModule;
import io.torchlight.api.Limit;
import io.torchlight.api.Stage;
import io.torchlight.api.Trainer;
import io.torchlight.demos.BoringModel;
import io.torchlight.demos.RandomDataset;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;

/**
 * Where each stage's data comes from, in Lightning 1.6.5's precedence (DataConnector): loaders passed to the stage,
 * then the data module, then the module's own dataloader methods.
 */
public class DataSourcesTest {

    private static DataLoader loader(int samples) {
        return DataLoader.of(new RandomDataset(32, samples)).batchSize(2).build();
    }

    /** Counts the batches of each stage; its own loaders must not be asked for when others are given. */
    static final class Counting extends BoringModel {
        final List<String> seen = new ArrayList<>();
        boolean ownLoadersAllowed;

        @Override
        public Object trainingStep(Batch batch, int batchIdx) {
            seen.add("train");
            return super.trainingStep(batch, batchIdx);
        }

        @Override
        public Object validationStep(Batch batch, int batchIdx) {
            seen.add("val");
            return null;
        }

        @Override
        public Object testStep(Batch batch, int batchIdx) {
            seen.add("test");
            return null;
        }

        @Override
        public DataLoader trainDataloader() {
            if (!ownLoadersAllowed) {
                throw new AssertionError("the module's trainDataloader was asked for");
            }
            return loader(64);
        }

        @Override
        public DataLoader valDataloader() {
            if (!ownLoadersAllowed) {
                throw new AssertionError("the module's valDataloader was asked for");
            }
            return loader(64);
        }
    }

    /** A data module of 3 training, 2 validation and 1 test batches, recording its hooks. */
    static final class Small extends LightningDataModule {
        final List<String> calls = new ArrayList<>();

        @Override
        public void prepareData() {
            calls.add("prepareData");
        }

        @Override
        public void setup(Stage stage) {
            calls.add("setup " + stage.lightningName());
        }

        @Override
        public DataLoader trainDataloader() {
            return loader(6);
        }

        @Override
        public DataLoader valDataloader() {
            return loader(4);
        }

        @Override
        public DataLoader testDataloader() {
            return loader(2);
        }

        @Override
        public void teardown(Stage stage) {
            calls.add("teardown " + stage.lightningName());
        }
    }

    private static Trainer trainer() {
        return Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).numSanityValSteps(0).build(), TestTrainers.plugins());
    }

    @Test
    public void loadersGivenToTheStageComeBeforeTheModulesOwn() {
        Counting model = new Counting();
        Trainer trainer = trainer();

        trainer.fit(model, Data.of(loader(4), loader(2)));
        trainer.test(model, Data.of(loader(6)), CkptPath.NONE);

        assertEquals(List.of("train", "train", "val", "test", "test", "test"), model.seen);
    }

    @Test
    public void aDataModuleSuppliesEveryStageWithItsHooks() {
        Counting model = new Counting();
        Small data = new Small();
        Trainer trainer = trainer();

        trainer.fit(model, Data.of(data));
        trainer.validate(model, Data.of(data), CkptPath.NONE);
        trainer.test(model, Data.of(data), CkptPath.NONE);

        assertEquals(List.of("train", "train", "train", "val", "val", "val", "val", "test"), model.seen);
        assertEquals(List.of("prepareData", "setup fit", "teardown fit", "prepareData", "setup validate", "teardown validate",
                "prepareData", "setup test", "teardown test"), data.calls);
    }

    @Test
    public void withoutGivenDataTheModulesOwnLoadersAreUsed() {
        Counting model = new Counting();
        model.ownLoadersAllowed = true;

        Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(2)).limitValBatches(Limit.count(1))
                .numSanityValSteps(0).build(), TestTrainers.plugins()).fit(model);

        assertEquals(List.of("train", "train", "val"), model.seen);
    }
}
