package io.torchlight.core;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import io.torchlight.api.Limit;
import io.torchlight.demos.BoringModel;
import io.torchlight.utils.data.DataLoader;

/**
 * Lightning 1.6.5's tests/trainer/test_dataloaders.py::test_dataloaders_load_every_n_epochs: with
 * reload_dataloaders_every_n_epochs=n over 5 epochs, both dataloaders are asked for at the epochs 0, n, 2n, ...
 * (the validation one first for the sanity check), training before validation within an epoch.
 */
public class DataloaderReloadTest {

    static final class Counting extends BoringModel {
        final List<String> asked = new ArrayList<>();

        @Override
        public DataLoader trainDataloader() {
            asked.add("train@" + currentEpoch());
            return super.trainDataloader();
        }

        @Override
        public DataLoader valDataloader() {
            asked.add("val@" + currentEpoch());
            return super.valDataloader();
        }
    }

    private static List<String> fit(int n) {
        Counting model = new Counting();
        Torchlight.trainer(TestTrainers.cpu().maxEpochs(5).limitTrainBatches(Limit.count(2)).limitValBatches(Limit.count(1))
                .reloadDataloadersEveryNEpochs(n).build(), TestTrainers.plugins()).fit(model);
        return model.asked;
    }

    @Test
    public void everyEpoch() {
        assertEquals(List.of("val@0", "train@0", "train@1", "val@1", "train@2", "val@2", "train@3", "val@3", "train@4", "val@4"),
                fit(1));
    }

    @Test
    public void everySecondEpoch() {
        assertEquals(List.of("val@0", "train@0", "train@2", "val@2", "train@4", "val@4"), fit(2));
    }

    @Test
    public void neverByDefault() {
        assertEquals(List.of("val@0", "train@0"), fit(0));
    }
}
