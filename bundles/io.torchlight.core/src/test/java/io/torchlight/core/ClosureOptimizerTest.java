package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.LBFGS;
import org.bytedeco.pytorch.LBFGSOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LossClosure;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.Test;

import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Limit;
import io.torchlight.api.Trainer;
import io.torchlight.core.internal.DefaultTrainer;
import io.torchlight.core.internal.TrainerSetup;
import io.torchlight.core.internal.hooks.Hooks;
import io.torchlight.core.internal.plugins.Plugins;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;
import io.torchlight.utils.data.TensorDataset;

/**
 * The optimizer is stepped with the closure, as Lightning 1.6.5's precision plug-in calls
 * {@code optimizer.step(closure=...)} (tests/trainer/optimization/test_optimizers.py trains with LBFGS): an optimizer
 * that evaluates the closure itself, several times per step, works, and ends where PyTorch's own loop ends.
 */
public class ClosureOptimizerTest {

    private static final Tensor X = torch.linspace(new Scalar(-1), new Scalar(1),
            16).reshape(16, 1);
    private static final Tensor Y = X.mul(new Scalar(3)).add(new Scalar(2));

    /** Least squares y = 3x + 2 with LBFGS; counts how often the training step runs. */
    static final class Regression extends LightningModule {
        final LinearImpl line = registerModule("line", new LinearImpl(1, 1));
        int steps;

        @Override
        public Tensor forward(Tensor x) {
            return line.forward(x);
        }

        @Override
        public Object trainingStep(Batch batch, int batchIdx) {
            steps++;
            return torch.mse_loss(forward(batch.input()), batch.target());
        }

        @Override
        public Object configureOptimizers() {
            return new LBFGS(parameters(), new LBFGSOptions(1.0));
        }

        @Override
        public DataLoader trainDataloader() {
            return DataLoader.of(new TensorDataset(X, Y)).batchSize(16).build();
        }
    }

    private static List<Double> weights(Module module) {
        List<Double> out = new ArrayList<>();
        for (Tensor p : module.parameters().get()) {
            out.add(p.item_double());
        }
        return out;
    }

    @Test
    public void lbfgsEvaluatesTheClosureAndMinimisesAsInPyTorch() {
        torch.manual_seed(0);
        Regression module = new Regression();
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).limitValBatches(Limit.NONE).build(),
                TestTrainers.plugins());
        trainer.fit(module);

        torch.manual_seed(0);
        LinearImpl raw = new LinearImpl(1, 1);
        LBFGS lbfgs = new LBFGS(raw.parameters(), new LBFGSOptions(1.0));
        int[] rawCalls = new int[1];
        try (LossClosure closure = new LossClosure() {
            @Override
            public Tensor call() {
                rawCalls[0]++;
                lbfgs.zero_grad();
                Tensor loss = torch.mse_loss(raw.forward(X), Y);
                loss.backward();
                return loss;
            }
        }) {
            lbfgs.step(closure);
        }

        assertEquals("one optimizer step", 1, trainer.view().globalStep());
        assertEquals("the training step ran as often as PyTorch's closure", rawCalls[0], module.steps);
        assertTrue("LBFGS evaluated its closure several times: " + module.steps, module.steps > 1);
        List<Double> ours = weights(module);
        List<Double> theirs = weights(raw);
        for (int i = 0; i < ours.size(); i++) {
            assertEquals(theirs.get(i), ours.get(i), 1e-6);
        }
        assertEquals("slope", 3.0, ours.get(0), 1e-3);
        assertEquals("intercept", 2.0, ours.get(1), 1e-3);
    }

    /**
     * libtorch 2.10 cannot archive LBFGS once it has stepped (its history holds undefined tensors). A checkpoint is
     * still written, with the weights and loop counters and a warning instead of the LBFGS state, and a fit resumed
     * from it goes on to its end; the history starts afresh, so its weights are close to, not equal to, an
     * uninterrupted fit's.
     */
    @Test
    public void anLbfgsFitIsCheckpointedWithoutItsHistoryAndResumes() throws IOException {
        Path ckpt = Files.createTempFile("lbfgs", ".ckpt");
        try {
            torch.manual_seed(0);
            DefaultTrainer two = DefaultTrainer.open(TrainerSetup.of(TestTrainers.cpu().maxSteps(2).limitValBatches(Limit.NONE)
                    .build(), TestTrainers.plugins()), Plugins.instances(), Hooks.HookListener.NONE);
            List<String> warnings = new ArrayList<>();
            two.onWarning(warnings::add);
            two.fit(new Regression());
            two.saveCheckpoint(ckpt, false);

            Regression resumed = new Regression();
            Trainer four = Torchlight.trainer(TestTrainers.cpu().maxSteps(4).limitValBatches(Limit.NONE).build(),
                    TestTrainers.plugins());
            four.fit(resumed, Data.fromModule(), CkptPath.of(ckpt));

            assertEquals(warnings.toString(), 1, warnings.size());
            assertTrue(warnings.get(0), warnings.get(0).contains("LBFGS"));
            assertEquals(4, four.view().globalStep());
            assertEquals(3.0, weights(resumed).get(0), 0.05);
        } finally {
            Files.deleteIfExists(ckpt);
        }
    }
}
