package io.torchlight.core;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.torchlight.api.Data;
import io.torchlight.api.Limit;
import io.torchlight.demos.BoringModel;
import io.torchlight.demos.RandomDataset;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.Collate;
import io.torchlight.utils.data.DataLoader;

/** A batch's values that are not tensors reach the training step through the trainer's transfer hooks. */
public class BatchValuesTrainingTest {

    @Test
    public void theStepSeesTheIdsItsCollateFunctionAdded() {
        List<Object> seen = new ArrayList<>();
        BoringModel model = new BoringModel() {
            @Override
            public Object trainingStep(Batch batch, int batchIdx) {
                seen.add(batch.value("ids"));
                return super.trainingStep(batch, batchIdx);
            }
        };
        RandomDataset data = new RandomDataset(32, 4);
        List<Long> order = new ArrayList<>();
        Collate<Batch> withIds = samples -> {
            Batch stacked = Collate.stack().collate(samples);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < samples.size(); i++) {
                ids.add("sample-" + (order.size()));
                order.add((long) order.size());
            }
            return stacked.withValues(Map.of("ids", ids));
        };

        Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).limitValBatches(Limit.count(0)).build(), TestTrainers.plugins())
                .fit(model, Data.of(DataLoader.of(data, withIds).batchSize(2).build()));

        assertEquals(List.of(List.of("sample-0", "sample-1"), List.of("sample-2", "sample-3")), seen);
    }
}
