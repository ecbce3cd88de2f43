package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;
import org.junit.Test;

import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.LightningDataModule;
import io.torchlight.api.Limit;
import io.torchlight.api.LogOptions;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.Trainer;
import io.torchlight.demos.BoringModel;
import io.torchlight.demos.RandomDataset;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;

/**
 * Several evaluation and prediction dataloaders, as Lightning 1.6.5's tests pin them:
 * tests/trainer/logging_/test_eval_loop_logging.py::test_multi_dataloaders_add_suffix_properly (the per-loader
 * suffix, one result dict per loader), tests/trainer/test_dataloaders.py::test_multiple_eval_dataloader and
 * test_multiple_dataloaders_passed_to_fit (every loader runs, each with its limit), and
 * tests/trainer/test_trainer.py::test_trainer_predict (a list of predictions per loader).
 */
public class MultipleDataloadersTest {

    private static DataLoader loader(int samples) {
        return DataLoader.of(new RandomDataset(32, samples)).batchSize(1).build();
    }

    /** Logs test_loss per step and epoch in every test step, as the Lightning test's model does, and records the calls. */
    static class TwoTestLoaders extends BoringModel {
        final List<String> steps = new ArrayList<>();
        final List<Integer> epochEndSizes = new ArrayList<>();
        int loaders = 2;

        @Override
        public Object testStep(Batch batch, int batchIdx, int dataloaderIdx) {
            steps.add(dataloaderIdx + ":" + batchIdx);
            Tensor loss = loss(forward(batch.input()));
            log("test_loss", loss, LogOptions.defaults().onStep(true).onEpoch(true));
            return loss;
        }

        @Override
        public void testEpochEnd(List<Object> outputs) {
            outputs.forEach(o -> epochEndSizes.add(o instanceof List<?> l ? l.size() : -1));
        }

        @Override
        public List<DataLoader> testDataloaders() {
            return loaders == 2 ? List.of(loader(64), loader(64)) : List.of(loader(64));
        }
    }

    private static Trainer trainer(int limitTest) {
        return Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(0))
                .limitValBatches(Limit.count(0)).limitTestBatches(Limit.count(limitTest)).limitPredictBatches(Limit.count(2))
                .logEveryNSteps(1).build(), TestTrainers.plugins());
    }

    @Test
    public void eachTestLoaderGetsItsIndexItsLimitAndItsOwnSuffixedResults() {
        TwoTestLoaders model = new TwoTestLoaders();

        List<Map<String, Double>> results = trainer(2).test(model);

        assertEquals(List.of("0:0", "0:1", "1:0", "1:1"), model.steps);
        assertEquals(2, results.size());
        for (int i = 0; i < 2; i++) {
            assertEquals(Set.of("test_loss/dataloader_idx_" + i, "test_loss_epoch/dataloader_idx_" + i), results.get(i).keySet());
            assertEquals(results.get(i).get("test_loss/dataloader_idx_" + i), results.get(i).get("test_loss_epoch/dataloader_idx_" + i));
        }
        assertEquals("testEpochEnd gets one list of outputs per loader", List.of(2, 2), model.epochEndSizes);
    }

    @Test
    public void oneTestLoaderAddsNoSuffix() {
        TwoTestLoaders model = new TwoTestLoaders();
        model.loaders = 1;

        List<Map<String, Double>> results = trainer(2).test(model);

        assertEquals(1, results.size());
        assertEquals(Set.of("test_loss", "test_loss_epoch"), results.get(0).keySet());
        assertEquals(List.of(-1, -1), model.epochEndSizes); // the flat list of the two outputs
    }

    @Test
    public void withoutTheIndexSuffixOneMetricGathersEveryLoader() {
        List<Double> losses = new ArrayList<>();
        BoringModel model = new BoringModel() {
            @Override
            public Object testStep(Batch batch, int batchIdx, int dataloaderIdx) {
                Tensor loss = loss(forward(batch.input()));
                losses.add(loss.item_double());
                log("shared", loss, LogOptions.defaults().addDataloaderIdx(false));
                return null;
            }
        };

        List<Map<String, Double>> results = trainer(2).test(model, Data.of(List.of(loader(64), loader(64))), CkptPath.NONE);

        double mean = losses.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertEquals(4, losses.size());
        assertEquals(2, results.size());
        assertEquals(mean, results.get(0).get("shared"), 1e-6);
        assertEquals(results.get(0), results.get(1));
    }

    @Test
    public void fitValidatesOnEveryLoaderGivenAndValidateRunsThemAll() {
        List<String> seen = new ArrayList<>();
        BoringModel model = new BoringModel() {
            @Override
            public Object validationStep(Batch batch, int batchIdx, int dataloaderIdx) {
                seen.add(String.valueOf(dataloaderIdx));
                log("val_loss", loss(forward(batch.input())));
                return null;
            }
        };
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(2))
                .limitValBatches(Limit.count(3)).numSanityValSteps(0).build(), TestTrainers.plugins());

        trainer.fit(model, Data.of(loader(8), loader(64), loader(2)));

        assertEquals("3 batches of the first, the 2 the second has", List.of("0", "0", "0", "1", "1"), seen);
        Set<String> names = trainer.view().callbackMetrics().keySet();
        assertTrue(names.toString(), names.containsAll(List.of("val_loss/dataloader_idx_0", "val_loss/dataloader_idx_1")));

        seen.clear();
        List<Map<String, Double>> results = trainer.validate(model, Data.of(loader(8), loader(64), loader(64)), CkptPath.NONE);
        assertEquals(List.of("0", "0", "0", "1", "1", "1"), seen);
        assertEquals(Set.of("val_loss/dataloader_idx_1"), results.get(1).keySet());
    }

    @Test
    public void aDataModuleMaySupplySeveralValidationLoaders() {
        List<String> seen = new ArrayList<>();
        BoringModel model = new BoringModel() {
            @Override
            public Object validationStep(Batch batch, int batchIdx, int dataloaderIdx) {
                seen.add(String.valueOf(dataloaderIdx));
                return null;
            }
        };
        LightningDataModule data = new LightningDataModule() {
            @Override
            public List<DataLoader> valDataloaders() {
                return List.of(loader(1), loader(1), loader(1));
            }
        };

        Torchlight.trainer(TestTrainers.cpu().build(), TestTrainers.plugins()).validate(model, Data.of(data), CkptPath.NONE);

        assertEquals(List.of("0", "1", "2"), seen);
    }

    @Test
    public void predictReturnsAListOfPredictionsPerLoader() {
        BoringModel model = new BoringModel();

        List<Object> several = trainer(2).predict(model, Data.of(List.of(loader(64), loader(64))), CkptPath.NONE);
        List<Object> one = trainer(2).predict(model, Data.of(loader(64)), CkptPath.NONE);

        assertEquals(2, several.size());
        for (Object perLoader : several) {
            List<?> predictions = (List<?>) perLoader;
            assertEquals(2, predictions.size());
            assertEquals("[1, 2]", Arrays.toString(((Tensor) predictions.get(0)).sizes().vec().get()));
        }
        assertEquals("one loader: the predictions themselves", 2, one.size());
        assertTrue(one.get(0) instanceof Tensor);
    }

    @Test
    public void aNullLoaderInTheListIsNamedWithItsHookAndIndex() {
        TwoTestLoaders model = new TwoTestLoaders() {
            @Override
            public List<DataLoader> testDataloaders() {
                return Arrays.asList(loader(4), null);
            }
        };

        TorchlightException e = assertThrows(TorchlightException.class, () -> trainer(2).test(model));

        assertTrue(e.getMessage(), e.getMessage().contains("testDataloader returned a null loader at index 1"));
        assertThrows(IllegalArgumentException.class, () -> Data.of(List.of()));
    }
}
