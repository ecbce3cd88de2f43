package io.torchlight.core;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.junit.Test;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.LogOptions;
import io.torchlight.api.ReduceFx;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.api.strategy.ReduceOp;
import io.torchlight.demos.BoringModel;
import io.torchlight.demos.RandomDataset;
import io.torchlight.strategy.single.SingleDeviceStrategy;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;

/**
 * {@code log(..., syncDist)} reduces through the strategy, as Lightning's {@code sync_dist} goes through
 * {@code strategy.reduce}: a strategy standing in for two processes whose other rank logged the same values shows
 * which reduction each value gets; values without syncDist never reach it.
 */
public class SyncDistTest {

    /** Two identical ranks: a sum doubles, a mean, max or min keeps the value. */
    static final class TwoRanks extends SingleDeviceStrategy {
        final List<ReduceOp> ops = new ArrayList<>();

        @Override
        public Tensor reduce(Tensor value, ReduceOp op) {
            ops.add(op);
            return op == ReduceOp.SUM ? value.mul(new Scalar(2.0)) : value;
        }
    }

    @Test
    public void syncedValuesAreReducedAcrossProcessesAndOthersAreNot() {
        TwoRanks strategy = new TwoRanks();
        List<Double> losses = new ArrayList<>();
        BoringModel model = new BoringModel() {
            @Override
            public Object validationStep(Batch batch, int batchIdx) {
                Tensor loss = loss(forward(batch.input()));
                losses.add(loss.item_double());
                log("synced_mean", loss, LogOptions.defaults().syncDist(true));
                log("synced_sum", loss, LogOptions.defaults().syncDist(true).reduceFx(ReduceFx.SUM));
                log("synced_max", 3.0 + batchIdx, LogOptions.defaults().syncDist(true).reduceFx(ReduceFx.MAX));
                log("local", loss);
                return null;
            }
        };
        DataLoader data = DataLoader.of(new RandomDataset(32, 6)).batchSize(2).build();

        Map<String, Double> results = Torchlight.trainer(TestTrainers.cpu().build(),
                TrainerPlugins.of(new CpuAccelerator(), strategy)).validate(model, Data.of(data), CkptPath.NONE).get(0);

        double mean = losses.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double sum = losses.stream().mapToDouble(Double::doubleValue).sum();
        assertEquals("sums of values and of batch sizes: the mean of both ranks", mean, results.get("synced_mean"), 1e-6);
        assertEquals("both ranks' sums", 2 * sum, results.get("synced_sum"), 1e-5);
        assertEquals(5.0, results.get("synced_max"), 0.0);
        assertEquals(mean, results.get("local"), 1e-6);
        assertEquals(List.of(ReduceOp.SUM, ReduceOp.SUM, ReduceOp.SUM, ReduceOp.MAX), strategy.ops.subList(0, 4));
    }
}
