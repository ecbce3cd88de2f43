package io.torchlight.utils.optim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.junit.Test;

public class SchedulersTest {

    private static SGD sgd(double lr) {
        return new SGD(new LinearImpl(2, 1).parameters(), new SGDOptions(lr));
    }

    private static List<Double> run(LrScheduler scheduler, int steps) {
        List<Double> lrs = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            lrs.add(scheduler.lastLr().get(0));
            scheduler.step();
        }
        return lrs;
    }

    private static void near(List<Double> expected, List<Double> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals("step " + i, expected.get(i), actual.get(i), 1e-12);
        }
    }

    @Test
    public void stepLr() {
        near(List.of(1.0, 1.0, 0.5, 0.5, 0.25), run(new StepLR(sgd(1), 2, 0.5), 5));
    }

    @Test
    public void multiStepLr() {
        near(List.of(1.0, 0.1, 0.1, 0.01, 0.01), run(new MultiStepLR(sgd(1), new int[] {3, 1}, 0.1), 5));
    }

    @Test
    public void exponentialLr() {
        near(List.of(2.0, 1.0, 0.5), run(new ExponentialLR(sgd(2), 0.5), 3));
    }

    @Test
    public void cosineAnnealingLr() {
        near(List.of(1.0, 0.5, 0.0), run(new CosineAnnealingLR(sgd(1), 2, 0.0), 3));
    }

    @Test
    public void lambdaLr() {
        near(List.of(0.0, 0.1, 0.2), run(new LambdaLR(sgd(0.1), step -> step), 3));
    }

    @Test
    public void oneCycleRisesToMaxThenAnnealsToTheFloor() {
        List<Double> lrs = run(new OneCycleLR(sgd(1), 1.0, 10), 10);

        assertEquals(1.0 / 25, lrs.get(0), 1e-12);
        assertEquals(1.0, lrs.get(2), 1e-12);
        assertEquals(1.0 / 25 / 1e4, lrs.get(9), 1e-12);
        assertThrows(IllegalStateException.class, () -> {
            OneCycleLR tooShort = new OneCycleLR(sgd(1), 1.0, 2);
            tooShort.step();
            tooShort.step();
            tooShort.step();
        });
    }

    @Test
    public void reduceOnPlateauAfterPatience() {
        ReduceLROnPlateau plateau = new ReduceLROnPlateau(sgd(1), ReduceLROnPlateau.Mode.MIN, 0.5, 1);
        List<Double> lrs = new ArrayList<>();
        for (double loss : new double[] {1.0, 0.9, 0.95, 0.95, 0.95, 0.95}) {
            plateau.step(loss);
            lrs.add(plateau.lastLr().get(0));
        }
        near(List.of(1.0, 1.0, 1.0, 0.5, 0.5, 0.25), lrs);
    }

    @Test
    public void stateRoundTrips() {
        StepLR a = new StepLR(sgd(1), 1, 0.5);
        a.step();
        a.step();
        SGD other = sgd(1);
        StepLR b = new StepLR(other, 1, 0.5);

        b.loadStateDict(a.stateDict());

        assertEquals(0.25, b.lastLr().get(0), 1e-12);
        b.step();
        assertEquals(0.125, b.lastLr().get(0), 1e-12);
    }
}
