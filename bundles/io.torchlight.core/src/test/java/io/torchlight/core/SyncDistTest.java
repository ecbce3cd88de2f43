package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

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
    static class TwoRanks extends SingleDeviceStrategy {
        final List<ReduceOp> ops = new ArrayList<>();
        final List<List<Integer>> groups = new ArrayList<>();

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

    /** Two ranks that can reduce over a subgroup: a group of one rank leaves a sum as it is. */
    static final class TwoRanksWithGroups extends TwoRanks {
        @Override
        public Tensor reduce(Tensor value, ReduceOp op, List<Integer> group) {
            groups.add(group);
            return group.size() == 1 ? value : reduce(value, op);
        }
    }

    private record Run(Map<String, Double> results, Map<String, Double> callbackMetrics, List<ReduceOp> ops, List<Double> logged,
            List<List<Integer>> groups) {
    }

    /** Validates 3 batches of 2, logging {@code value(loss)} as "m" with the options. */
    private static Run validate(LogOptions options, Function<Tensor, Object> value) {
        return validate(new TwoRanks(), options, value);
    }

    private static Run validate(TwoRanks strategy, LogOptions options, Function<Tensor, Object> value) {
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
        // the stand-in ranks see the same data (no sharding), so the other rank logged exactly these values
        var trainer = Torchlight.trainer(TestTrainers.cpu().replaceSamplerDdp(false).build(), TrainerPlugins.of(new CpuAccelerator(), strategy));
        Map<String, Double> results = trainer.validate(model, Data.of(DataLoader.of(new RandomDataset(32, 6)).batchSize(2).build()),
                CkptPath.NONE).get(0);
        TrainerView view = trainer.view();
        return new Run(results, view.callbackMetrics(), strategy.ops, logged, strategy.groups);
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

    @Test
    public void syncDistGroupReachesTheStrategysReduceWithTheValue() {
        LogOptions perStepSum = LogOptions.defaults().onStep(true).onEpoch(false).reduceFx(ReduceFx.SUM).syncDist(true);

        Run world = validate(new TwoRanksWithGroups(), perStepSum, loss -> loss);
        Run alone = validate(new TwoRanksWithGroups(), perStepSum.syncDistGroup(List.of(0)), loss -> loss);

        assertEquals("no group is every process", List.of(), world.groups().get(0));
        assertEquals(2 * world.logged().get(2), world.callbackMetrics().get("m"), 1e-6);
        assertEquals(List.of(0), alone.groups().get(0));
        assertEquals("a group of rank 0 alone sums nothing more", alone.logged().get(2), alone.callbackMetrics().get("m"), 1e-6);
    }

    @Test
    public void aStrategyWithoutSubgroupsReducesTheWholeWorldAndRefusesAPart() {
        Run whole = validate(perStep().syncDistGroup(List.of(1, 0)), loss -> loss);
        assertEquals(2 * whole.logged().get(2), whole.callbackMetrics().get("m"), 1e-6);

        RuntimeException e = assertThrows(RuntimeException.class, () -> validate(perStep().syncDistGroup(List.of(1)), loss -> loss));
        String message = String.valueOf(e.getMessage()) + e.getCause();
        assertTrue(message, message.contains("cannot reduce over the process group [1]"));
    }

    @Test
    public void syncDistGroupTakesRanks() {
        assertThrows(IllegalArgumentException.class, () -> LogOptions.defaults().syncDistGroup(List.of(0, -1)));
    }

    private static LogOptions perStep() {
        return LogOptions.defaults().onStep(true).onEpoch(false).reduceFx(ReduceFx.SUM).syncDist(true);
    }
}
