package io.torchlight.core;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.junit.Test;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.LogOptions;
import io.torchlight.api.ReduceFx;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.api.TrainerView;
import io.torchlight.api.strategy.ReduceOp;
import io.torchlight.demos.BoringModel;
import io.torchlight.demos.RandomDataset;
import io.torchlight.strategy.single.SingleDeviceStrategy;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;

/**
 * Logged values across processes, as Lightning 1.6.5's ResultMetric reduces them through {@code strategy.reduce}:
 * epoch values always (means as the sums of values and of batch sizes), step values with {@code syncDist}, nothing
 * with {@code rankZeroOnly}. A strategy standing in for two processes whose other rank logged the same values shows
 * which reduction each value gets.
 */
public class SyncDistTest {

    /** Two identical ranks: a sum doubles, a mean, max or min keeps the value. */
    static final class TwoRanks extends SingleDeviceStrategy {
        final List<ReduceOp> ops = new ArrayList<>();

        @Override
        public int worldSize() {
            return 2;
        }

        @Override
        public Tensor reduce(Tensor value, ReduceOp op) {
            ops.add(op);
            return op == ReduceOp.SUM ? value.mul(new Scalar(2.0)) : value;
        }
    }

    private record Run(Map<String, Double> results, Map<String, Double> callbackMetrics, List<ReduceOp> ops, List<Double> logged) {
    }

    /** Validates 3 batches of 2, logging {@code value(loss)} as "m" with the options. */
    private static Run validate(LogOptions options, Function<Tensor, Object> value) {
        TwoRanks strategy = new TwoRanks();
        List<Double> logged = new ArrayList<>();
        BoringModel model = new BoringModel() {
            @Override
            public Object validationStep(Batch batch, int batchIdx) {
                Tensor loss = loss(forward(batch.input()));
                logged.add(loss.item_double());
                log("m", value.apply(loss), options);
                return null;
            }
        };
        var trainer = Torchlight.trainer(TestTrainers.cpu().build(), TrainerPlugins.of(new CpuAccelerator(), strategy));
        Map<String, Double> results = trainer.validate(model, Data.of(DataLoader.of(new RandomDataset(32, 6)).batchSize(2).build()),
                CkptPath.NONE).get(0);
        TrainerView view = trainer.view();
        return new Run(results, view.callbackMetrics(), strategy.ops, logged);
    }

    @Test
    public void epochValuesAreAlwaysReducedAcrossProcesses() {
        Run mean = validate(LogOptions.defaults(), loss -> loss);
        double local = mean.logged().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertEquals("both ranks' sums of values over both ranks' batch sizes", local, mean.results().get("m"), 1e-6);
        assertEquals(List.of(ReduceOp.SUM, ReduceOp.SUM), mean.ops().subList(0, 2));

        Run sum = validate(LogOptions.defaults().reduceFx(ReduceFx.SUM), loss -> loss);
        assertEquals(2 * sum.logged().stream().mapToDouble(Double::doubleValue).sum(), sum.results().get("m"), 1e-5);

        Run max = validate(LogOptions.defaults().reduceFx(ReduceFx.MAX), loss -> 3.0);
        assertEquals(3.0, max.results().get("m"), 0.0);
        assertEquals(ReduceOp.MAX, max.ops().get(0));
    }

    @Test
    public void stepValuesAreReducedOnlyWithSyncDist() {
        LogOptions perStepSum = LogOptions.defaults().onStep(true).onEpoch(false).reduceFx(ReduceFx.SUM);

        Run local = validate(perStepSum, loss -> loss);
        Run synced = validate(perStepSum.syncDist(true), loss -> loss);

        double last = local.logged().get(2);
        assertEquals(last, local.callbackMetrics().get("m"), 1e-6);
        assertEquals(List.of(), local.ops());
        assertEquals("the last step's value, summed over both ranks", 2 * synced.logged().get(2), synced.callbackMetrics().get("m"),
                1e-6);
        assertEquals(ReduceOp.SUM, synced.ops().get(0));
    }

    @Test
    public void rankZeroOnlyValuesAreNeverReduced() {
        Run run = validate(LogOptions.defaults().syncDist(true).rankZeroOnly(true).reduceFx(ReduceFx.SUM), loss -> loss);

        assertEquals(List.of(), run.ops());
        assertEquals(run.logged().stream().mapToDouble(Double::doubleValue).sum(), run.results().get("m"), 1e-6);
    }
}
