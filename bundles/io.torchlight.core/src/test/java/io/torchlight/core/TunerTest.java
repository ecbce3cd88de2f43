package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Tensor;
import org.junit.Test;

import io.torchlight.api.Data;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.optim.OptimizerConfig;
import io.torchlight.demos.BoringModel;
import io.torchlight.demos.RandomDataset;
import io.torchlight.utils.checkpoint.StateDicts;
import io.torchlight.utils.data.DataLoader;

/**
 * The learning-rate finder as Lightning 1.6.5's tests/tuner/test_lr_finder.py pins it: the module's weights are the
 * same afterwards (test_model_reset_correctly), the rates rise exponentially from min_lr to max_lr over num_training
 * steps, a diverging loss stops the sweep early (test_call_to_trainer_method with early_stop_threshold), and the
 * suggestion is the rate of the steepest fall.
 */
public class TunerTest {

    private static Data data() {
        return Data.of(DataLoader.of(new RandomDataset(32, 256)).batchSize(4).build());
    }

    /** BoringModel with one plain SGD (its own configuration adds a scheduler). */
    static class Plain extends BoringModel {
        @Override
        public Object configureOptimizers() {
            return new SGD(parameters(), new SGDOptions(0.1));
        }
    }

    private static Tuner tuner() {
        return new Tuner(TestTrainers.cpu().seed(7L).build(), TestTrainers.plugins());
    }

    @Test
    public void theSweepRisesExponentiallyAndLeavesTheWeightsAsTheyWere() {
        Plain model = new Plain();
        Map<String, Tensor> before = new LinkedHashMap<>();
        StateDicts.of(model).forEach((k, v) -> before.put(k, ((Tensor) v).clone()));

        LrFinder finder = tuner().lrFind(model, data(), 1e-5, 1e-1, 40, 0);

        assertEquals(40, finder.lrs().size());
        assertEquals(1e-5, finder.lrs().get(0), 1e-12);
        double ratio = finder.lrs().get(1) / finder.lrs().get(0);
        for (int i = 1; i < 40; i++) {
            assertEquals(ratio, finder.lrs().get(i) / finder.lrs().get(i - 1), 1e-9);
        }
        assertEquals(Math.pow(1e4, 1.0 / 40), ratio, 1e-9);
        StateDicts.of(model).forEach((k, v) -> assertTrue(k, before.get(k).equal((Tensor) v)));
        double lr = finder.suggestion().orElseThrow();
        assertTrue(finder.lrs().subList(10, 39).contains(lr));
    }

    @Test
    public void aDivergingLossStopsTheSweepEarly() {
        LrFinder finder = tuner().lrFind(new Plain(), data(), 1e-3, 1e4, 60, 4.0);

        int n = finder.losses().size();
        assertTrue("stopped after " + n + " of 60", n < 60);
        double best = finder.losses().subList(0, n - 1).stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        assertTrue(finder.losses().get(n - 1) > 4 * best);
    }

    @Test
    public void theSuggestionIsTheSteepestFall() {
        LrFinder finder = new LrFinder(List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0), List.of(5.0, 4.9, 3.0, 1.0, 0.9, 2.0));
        // gradient: -0.1, -1.0, -1.95, -1.05, 0.5, 1.1 -> index 2
        assertEquals(3.0, finder.suggestion(0, 0).orElseThrow(), 0.0);
        assertEquals("too few points", true, finder.suggestion(10, 1).isEmpty());
    }

    @Test
    public void severalOptimizersAndBadRangesAreRefused() {
        BoringModel two = new BoringModel() {
            @Override
            public Object configureOptimizers() {
                return OptimizerConfig.of(List.of(new SGD(parameters(), new SGDOptions(0.1)), new SGD(parameters(), new SGDOptions(0.1))));
            }
        };
        TorchlightException e = assertThrows(TorchlightException.class, () -> tuner().lrFind(two, data()));
        assertTrue(e.getMessage(), e.getMessage().contains("lrFind works with one optimizer"));
        assertThrows(IllegalArgumentException.class, () -> tuner().lrFind(new Plain(), data(), 1, 0.1, 10, 4));
    }
}
