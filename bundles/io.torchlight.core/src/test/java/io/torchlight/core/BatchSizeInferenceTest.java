package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.junit.Test;

import io.torchlight.api.Data;
import io.torchlight.api.Limit;
import io.torchlight.api.LogOptions;
import io.torchlight.api.ReduceFx;
import io.torchlight.core.internal.DefaultTrainer;
import io.torchlight.core.internal.TrainerSetup;
import io.torchlight.core.internal.hooks.Hooks;
import io.torchlight.core.internal.plugins.Plugins;
import io.torchlight.demos.BoringModel;
import io.torchlight.demos.RandomDataset;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.Collate;
import io.torchlight.utils.data.DataLoader;
import io.torchlight.utils.data.Movable;

/**
 * How epoch means are weighted by the batch size, following Lightning 1.6.5's
 * {@code test_no_batch_size_extraction_with_specifying_explictly} and {@code test_result_collection_batch_size_extraction}
 * (tests/trainer/logging_/test_logger_connector.py) and {@code test_extract_batch_size} (tests/utilities/test_data.py):
 * the size is inferred from the first tensor only where a mean needs it, a disagreeing batch is a warning, and a batch
 * without tensors is an error only there.
 */
public class BatchSizeInferenceTest {

    private static final String AMBIGUOUS = "ambiguous collection";

    /** A value of the user's own type that moves but does not say what it holds. */
    record Opaque(String text) implements Movable {
        @Override
        public Movable to(Device device) {
            return this;
        }
    }

    private static DefaultTrainer trainer(int epochs, List<String> warnings) {
        DefaultTrainer trainer = DefaultTrainer.open(TrainerSetup.of(TestTrainers.cpu().maxEpochs(epochs)
                .limitValBatches(Limit.count(0)).build(), TestTrainers.plugins()), Plugins.instances(), Hooks.HookListener.NONE);
        trainer.onWarning(warnings::add);
        return trainer;
    }

    private static DataLoader loader(int samples, int batchSize) {
        return DataLoader.of(new RandomDataset(32, samples)).batchSize(batchSize).build();
    }

    /**
     * A model whose batches are ambiguous: a first tensor of another size (1, then 3) in front of each, as Lightning's
     * test builds {@code {"batch1": randn(batch_size, 10), "batch2": batch}}; {@link #logs} says what a step logs.
     */
    abstract static class AmbiguousModel extends BoringModel {
        private int calls;

        abstract void logs(int batchIdx);

        @Override
        public Batch onBeforeBatchTransfer(Batch batch, int dataloaderIdx) {
            return Batch.of(torch.zeros(calls++ % 2 == 0 ? 1 : 3, 10), batch.input());
        }

        @Override
        public Object trainingStep(Batch batch, int batchIdx) {
            logs(batchIdx);
            return Map.of("loss", loss(forward(batch.get(1))));
        }
    }

    @Test
    public void anAmbiguousBatchIsNotInspectedWhereNoSizeIsNeeded() {
        BoringModel model = new AmbiguousModel() {
            @Override
            void logs(int batchIdx) {
                double value = batchIdx + 1;
                log("step_log_val", value, LogOptions.defaults().onStep(true).onEpoch(false));
                log("epoch_log_val", value, LogOptions.defaults().onStep(false).onEpoch(true).batchSize(batchIdx + 1));
                log("epoch_sum_log_val", value, LogOptions.defaults().onStep(false).onEpoch(true).reduceFx(ReduceFx.SUM));
            }
        };
        List<String> warnings = new ArrayList<>();
        DefaultTrainer trainer = trainer(1, warnings);

        trainer.fit(model, Data.of(loader(4, 2)));

        assertTrue(warnings.toString(), warnings.stream().noneMatch(w -> w.contains(AMBIGUOUS)));
        Map<String, Double> metrics = trainer.view().callbackMetrics();
        assertEquals("weighted by the sizes given, 1 and 2", (1 * 1 + 2 * 2) / 3.0, metrics.get("epoch_log_val"), 1e-6);
        assertEquals(3.0, metrics.get("epoch_sum_log_val"), 1e-6);
        assertEquals(2.0, metrics.get("step_log_val"), 1e-6);
    }

    @Test
    public void anAmbiguousBatchIsWeighedByItsFirstTensorWithOneWarning() {
        BoringModel model = new AmbiguousModel() {
            @Override
            void logs(int batchIdx) {
                log("m", batchIdx + 1.0, LogOptions.defaults().onStep(false).onEpoch(true));
            }
        };
        List<String> warnings = new ArrayList<>();
        DefaultTrainer trainer = trainer(2, warnings);

        trainer.fit(model, Data.of(loader(4, 2)));

        List<String> ambiguity = warnings.stream().filter(w -> w.contains(AMBIGUOUS)).toList();
        assertEquals(warnings.toString(), 1, ambiguity.size());
        assertTrue(ambiguity.get(0), ambiguity.get(0).contains("batchSize(n)"));
        assertEquals("weighted by the first tensors' sizes, 1 and 3", (1 * 1 + 2 * 3) / 4.0,
                trainer.view().callbackMetrics().get("m"), 1e-6);
    }

    @Test
    public void aBatchOfValuesOnlyTrainsAndIsSizedFromItsNestedTensors() {
        Collate<Batch> nested = samples -> Batch.ofValues(Map.of("features", List.of(Collate.stack().collate(samples).input()),
                "ids", List.of("a")));
        BoringModel model = new BoringModel() {
            @Override
            public Object trainingStep(Batch batch, int batchIdx) {
                log("m", batchIdx + 1.0, LogOptions.defaults().onStep(false).onEpoch(true));
                return Map.of("loss", loss(forward(batch.allTensors().get(0))));
            }
        };
        List<String> warnings = new ArrayList<>();
        DefaultTrainer trainer = trainer(1, warnings);

        trainer.fit(model, Data.of(DataLoader.of(new RandomDataset(32, 5), nested).batchSize(2).build()));

        assertEquals("batches of 2, 2 and 1", (1 * 2 + 2 * 2 + 3 * 1) / 5.0, trainer.view().callbackMetrics().get("m"), 1e-6);
        assertEquals(3, trainer.view().globalStep());
        assertTrue(warnings.toString(), warnings.stream().noneMatch(w -> w.contains(AMBIGUOUS)));
    }

    @Test
    public void aBatchWithoutTensorsFailsOnlyWhereAnEpochMeanNeedsItsSize() {
        Collate<Batch> opaque = samples -> Batch.ofValues(Map.of("raw", new Opaque("x"), "ids", List.of(samples.size())));
        List<String> logged = new ArrayList<>();
        BoringModel model = new BoringModel() {
            @Override
            public Object trainingStep(Batch batch, int batchIdx) {
                log("count", 1.0, LogOptions.defaults().onStep(true).onEpoch(false));
                log("total", 1.0, LogOptions.defaults().onStep(false).onEpoch(true).reduceFx(ReduceFx.SUM));
                logged.add("step " + batchIdx);
                log("mean", 1.0, LogOptions.defaults().onStep(false).onEpoch(true));
                return Map.of("loss", loss(forward(torch.ones(2, 32))));
            }
        };
        DefaultTrainer trainer = trainer(1, new ArrayList<>());

        RuntimeException e = assertThrows(RuntimeException.class,
                () -> trainer.fit(model, Data.of(DataLoader.of(new RandomDataset(32, 4), opaque).batchSize(2).build())));

        assertEquals("the step-only and sum logs went through", List.of("step 0"), logged);
        String message = String.valueOf(e.getMessage()) + " " + (e.getCause() == null ? "" : e.getCause().getMessage());
        assertTrue(message, message.contains("log('mean')") && message.contains("batchSize(n)") && message.contains("raw"));
    }
}
