package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.Test;

import io.torchlight.api.Data;
import io.torchlight.api.Limit;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.core.internal.TrainerArgs;
import io.torchlight.demos.BoringModel;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.CombinedMode;
import io.torchlight.utils.data.DataLoader;
import io.torchlight.utils.data.TensorDataset;

/**
 * Several training loaders combined, as Lightning 1.6.5's CombinedLoader (tests/trainer/test_supporters.py and
 * test_dataloaders.py::test_multiple_train_dataloaders_with_mode): the step gets one batch of each loader under its
 * key; {@code max_size_cycle} runs as long as the longest loader with the shorter ones starting over, {@code min_size}
 * as long as the shortest.
 */
public class CombinedLoaderTest {

    /** Loader of {@code n} one-sample batches whose only value is its index plus {@code offset}. */
    private static DataLoader counting(int n, float offset) {
        Tensor values = torch.arange(new Scalar(n)).to(torch.ScalarType.Float)
                .add(new Scalar(offset)).view(n, 1).expand(n, 32).contiguous();
        return DataLoader.of(new TensorDataset(values)).batchSize(1).build();
    }

    /** Records the first value of each part of every batch. */
    static final class Seeing extends BoringModel {
        final List<String> seen = new ArrayList<>();

        @Override
        public Object trainingStep(Batch batch, int batchIdx) {
            StringBuilder line = new StringBuilder();
            batch.parts().forEach((key, part) -> line.append(key).append('=').append((int) part.get(0).get(0).get(0).item_double())
                    .append(' '));
            seen.add(line.toString().trim());
            Batch first = batch.parts().values().iterator().next();
            return Map.of("loss", loss(forward(first.get(0))));
        }
    }

    private static List<String> fit(DataLoader train, TrainerConfig.Builder config) {
        Seeing model = new Seeing();
        Trainer trainer = Torchlight.trainer(config.maxEpochs(1).limitValBatches(Limit.count(0)).build(), TestTrainers.plugins());
        trainer.fit(model, Data.of(train));
        return model.seen;
    }

    private static Map<String, DataLoader> aAndB() {
        Map<String, DataLoader> loaders = new LinkedHashMap<>();
        loaders.put("a", counting(4, 0));
        loaders.put("b", counting(2, 100));
        return loaders;
    }

    @Test
    public void maxSizeCycleRunsTheLongestLoaderAndCyclesTheShorter() {
        assertEquals(List.of("a=0 b=100", "a=1 b=101", "a=2 b=100", "a=3 b=101"),
                fit(DataLoader.combined(aAndB()), TestTrainers.cpu()));
    }

    @Test
    public void minSizeStopsWithTheShortestEitherFromTheLoaderOrFromTheTrainerFlag() {
        assertEquals(List.of("a=0 b=100", "a=1 b=101"),
                fit(DataLoader.combined(aAndB(), CombinedMode.MIN_SIZE), TestTrainers.cpu()));
        assertEquals(List.of("a=0 b=100", "a=1 b=101"),
                fit(DataLoader.combined(aAndB()), TestTrainers.cpu().multipleTrainloaderMode("min_size")));
    }

    @Test
    public void aListOfLoadersGivesNumberedParts() {
        List<String> seen = fit(DataLoader.combined(List.of(counting(2, 0), counting(2, 10)), null), TestTrainers.cpu());
        assertEquals(List.of("0=0 1=10", "0=1 1=11"), seen);
    }

    @Test
    public void aCombinedBatchSaysHowToReachItsParts() {
        Batch batch = DataLoader.combined(aAndB()).iterator().next();
        IllegalStateException e = assertThrows(IllegalStateException.class, batch::input);
        assertTrue(e.getMessage(), e.getMessage().contains("combines the loaders [a, b]: take part(key).input()"));
        assertEquals(List.of("a/0", "b/0"), batch.names().orElseThrow());
        assertEquals(1, batch.size());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> batch.part("c"));
        assertTrue(missing.getMessage(), missing.getMessage().contains("parts: [a, b]"));
        TorchlightException bad = assertThrows(TorchlightException.class, () -> TrainerArgs.parse(
                Map.of("multiple_trainloader_mode", "longest")));
        assertTrue(bad.getMessage(), bad.getMessage().startsWith("multiple_trainloader_mode: "));
    }
}
