package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.torchlight.api.Callback;
import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Limit;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerView;
import io.torchlight.demos.RegressionNet;
import io.torchlight.utils.checkpoint.CheckpointFile;
import io.torchlight.utils.checkpoint.StateDicts;
import io.torchlight.utils.data.Batch;

/** A fit interrupted and resumed from a checkpoint ends with the weights of an uninterrupted fit, bit for bit. */
public class ResumeTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final Tensor X;
    private static final Tensor Y;

    static {
        torch.manual_seed(2024);
        X = torch.randn(64, 8);
        Y = torch.randn(64, 1);
    }

    private static TrainerConfig.Builder config() {
        return TestTrainers.cpu().maxEpochs(3).limitValBatches(Limit.NONE).accumulateGradBatches(2).seed(5L).deterministic(true);
    }

    /** Fixed data, initial weights from this seed. */
    private static RegressionNet net(long initSeed) {
        torch.manual_seed(initSeed);
        return new RegressionNet(X, Y, 16, 4, 0.2, 0.5);
    }

    private static List<Tensor> weights(LightningModule m) {
        List<Tensor> w = new ArrayList<>();
        for (Tensor p : m.parameters().get()) {
            w.add(p.detach().clone());
        }
        return w;
    }

    /** Requests a stop once the global step reaches {@code at}. */
    private static Callback stopAt(long at) {
        return new Callback() {
            @Override
            public void onTrainBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx) {
                if (trainer.globalStep() == at) {
                    trainer.requestStop();
                }
            }
        };
    }

    private void resumesExactly(long stopStep) {
        RegressionNet uninterrupted = net(7);
        Trainer full = Torchlight.trainer(config().build(), TestTrainers.plugins());
        full.fit(uninterrupted);

        RegressionNet first = net(7);
        Trainer interrupted = Torchlight.trainer(config().build(), TestTrainers.plugins().withCallback(stopAt(stopStep)));
        interrupted.fit(first);
        Path ckpt = tmp.getRoot().toPath().resolve("stop-" + stopStep + ".ckpt");
        interrupted.saveCheckpoint(ckpt, false);
        assertEquals(stopStep, interrupted.view().globalStep());

        RegressionNet resumed = net(99); // different initial weights: all of them must come from the checkpoint
        Trainer again = Torchlight.trainer(config().build(), TestTrainers.plugins());
        again.fit(resumed, Data.fromModule(), CkptPath.of(ckpt));

        assertEquals(full.view().globalStep(), again.view().globalStep());
        List<Tensor> a = weights(uninterrupted);
        List<Tensor> b = weights(resumed);
        for (int i = 0; i < a.size(); i++) {
            assertTrue("parameter " + i + " differs after resuming at step " + stopStep, a.get(i).equal(b.get(i)));
        }
        Map<String, Double> fullMetrics = full.view().callbackMetrics();
        assertEquals(fullMetrics.get("train_loss_epoch"), again.view().callbackMetrics().get("train_loss_epoch"));
        assertEquals(full.view().optimizers().get(0).lr(0), again.view().optimizers().get(0).lr(0), 0);
    }

    @Test
    public void resumedMidEpochAtAnAccumulationBoundary() {
        resumesExactly(12); // 8 optimizer steps per epoch: epoch 1, after its 8th batch
    }

    @Test
    public void resumedAtAnEpochBoundary() {
        resumesExactly(8);
    }

    @Test
    public void aCheckpointNamesTheTorchlightVersionThatWroteIt() throws Exception {
        Trainer trainer = Torchlight.trainer(config().maxEpochs(1).build(), TestTrainers.plugins());
        trainer.fit(net(1));
        Path ckpt = tmp.getRoot().toPath().resolve("v.ckpt");
        trainer.saveCheckpoint(ckpt, true);

        String pom = Files.readString(Path.of("pom.xml"));
        Matcher version = Pattern.compile("<version>([^<]+)</version>").matcher(pom);
        assertTrue(version.find());
        assertEquals(version.group(1), CheckpointFile.read(ckpt).get("torchlight_version"));
    }

    @Test
    public void aWeightsOnlyOrForeignCheckpointCannotResume() {
        RegressionNet net = net(1);
        Trainer trainer = Torchlight.trainer(config().maxEpochs(1).build(), TestTrainers.plugins());
        trainer.fit(net);
        Path ckpt = tmp.getRoot().toPath().resolve("w.ckpt");
        CheckpointFile.write(ckpt, Map.of("state_dict",
                StateDicts.of(net)));

        TorchlightException e = assertThrows(TorchlightException.class,
                () -> Torchlight.trainer(config().build(), TestTrainers.plugins()).fit(net(1), Data.fromModule(), CkptPath.of(ckpt)));

        assertTrue(e.getMessage(), e.getMessage().contains("holds weights only"));
        assertFalse(e.getMessage().isEmpty());
    }
}
