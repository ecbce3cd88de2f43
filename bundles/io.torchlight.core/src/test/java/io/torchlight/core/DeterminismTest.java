package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.Test;

import io.torchlight.api.Limit;
import io.torchlight.demos.BoringModel;
import io.torchlight.demos.RandomDataset;
import io.torchlight.utils.data.DataLoader;

public class DeterminismTest {

    /** BoringModel with shuffled batches of 4 and prefetching workers. */
    static class ShuffledModel extends BoringModel {
        @Override
        public DataLoader trainDataloader() {
            return DataLoader.of(new RandomDataset(32, 64)).batchSize(4).shuffle(true).numWorkers(2).build();
        }
    }

    private static List<Tensor> fitWeights(long seed) {
        torch.manual_seed(seed); // the model's initial weights and the data come from the same seed
        ShuffledModel model = new ShuffledModel();
        Torchlight.trainer(TestTrainers.cpu().maxEpochs(2).limitValBatches(Limit.count(2)).seed(seed).deterministic(true)
                .build(), TestTrainers.plugins()).fit(model);
        List<Tensor> weights = new ArrayList<>();
        for (Tensor p : model.parameters().get()) {
            weights.add(p.detach().clone());
        }
        return weights;
    }

    @Test
    public void sameSeedGivesBitIdenticalWeights() {
        List<Tensor> a = fitWeights(123);
        List<Tensor> b = fitWeights(123);
        List<Tensor> c = fitWeights(124);

        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertTrue("parameter " + i + " differs", a.get(i).equal(b.get(i)));
        }
        assertFalse("another seed trains differently", a.get(0).equal(c.get(0)));
    }
}
