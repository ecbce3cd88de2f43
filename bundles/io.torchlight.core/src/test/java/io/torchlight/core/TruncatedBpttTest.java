package io.torchlight.core;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.Test;

import io.torchlight.api.LightningModule;
import io.torchlight.api.Limit;
import io.torchlight.api.Trainer;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;
import io.torchlight.utils.data.TensorDataset;

/** Truncated back-propagation through time: a batch of 6 time steps in splits of 2, hidden state carried. */
public class TruncatedBpttTest {

    /** A tiny recurrent model: h = tanh(W [x_t, h]) over the split's time steps. */
    static class TinyRnn extends LightningModule {
        final LinearImpl cell = registerModule("cell", new LinearImpl(3 + 4, 4));
        final List<String> seen = new ArrayList<>();

        TinyRnn() {
            truncatedBpttSteps(2);
        }

        @Override
        public Object trainingStep(Batch split, int batchIdx, int optimizerIdx, Object hiddens) {
            Tensor x = split.input();
            seen.add(x.size(1) + ":" + (hiddens == null ? "none" : "carried"));
            Tensor h = hiddens == null ? torch.zeros(x.size(0), 4) : (Tensor) hiddens;
            for (long t = 0; t < x.size(1); t++) {
                h = torch.tanh(cell.forward(torch.cat(new TensorVector(x.select(1, t), h), 1)));
            }
            return Map.of("loss", h.pow(new Scalar(2)).mean(), "hiddens", h);
        }

        @Override
        public Object configureOptimizers() {
            return new SGD(parameters(), new SGDOptions(0.1));
        }

        @Override
        public DataLoader trainDataloader() {
            return DataLoader.of(new TensorDataset(torch.randn(8, 6, 3))).batchSize(4).build();
        }
    }

    @Test
    public void eachSplitIsAnOptimizerStepWithTheHiddenStateOfThePreviousSplit() {
        TinyRnn model = new TinyRnn();
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).limitValBatches(Limit.NONE).build(), TestTrainers.plugins());
        trainer.fit(model);

        assertEquals(List.of("2:none", "2:carried", "2:carried", "2:none", "2:carried", "2:carried"), model.seen);
        assertEquals(6, trainer.view().globalStep());
    }

    /** Lightning 1.6.5: with truncated back-propagation training_epoch_end gets, per batch, the outputs of its splits. */
    @Test
    public void trainingEpochEndGetsEachBatchsSplitOutputs() {
        List<Integer> splitsPerBatch = new ArrayList<>();
        TinyRnn model = new TinyRnn() {
            @Override
            public void trainingEpochEnd(List<Object> outputs) {
                for (Object batch : outputs) {
                    List<?> splits = (List<?>) batch;
                    if (splits.stream().allMatch(o -> o instanceof Map<?, ?> m && m.get("loss") instanceof Tensor)) {
                        splitsPerBatch.add(splits.size());
                    }
                }
            }
        };
        Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).limitValBatches(Limit.NONE).build(), TestTrainers.plugins()).fit(model);

        assertEquals("2 batches of 3 splits, each a map with its loss", List.of(3, 3), splitsPerBatch);
    }
}
