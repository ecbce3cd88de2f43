package io.torchlight.core;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.Test;

import io.torchlight.api.Callback;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Limit;
import io.torchlight.api.LogOptions;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerView;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;
import io.torchlight.utils.data.TensorDataset;

/** Resident memory stays flat over 20,000 training steps: every step's temporaries are freed. */
public class NativeMemoryTest {

    /** Long enough for the JIT and malloc arenas to settle (seen: a one-time ~15 MB step near 8,000). */
    private static final int WARM_UP = 10_000;
    private static final int STEPS = 20_000;

    static class SmallMlp extends LightningModule {
        final LinearImpl hidden = registerModule("hidden", new LinearImpl(64, 32));
        final LinearImpl out = registerModule("out", new LinearImpl(32, 4));

        @Override
        public Tensor forward(Tensor x) {
            return out.forward(torch.relu(hidden.forward(x)));
        }

        @Override
        public Object trainingStep(Batch batch, int batchIdx) {
            Tensor loss = torch.cross_entropy(forward(batch.input()), batch.target());
            log("loss", loss, LogOptions.defaults().onEpoch(true).progBar(true));
            return loss;
        }

        @Override
        public Object configureOptimizers() {
            return new Adam(parameters(), new AdamOptions(1e-3));
        }

        @Override
        public DataLoader trainDataloader() {
            Tensor x = torch.randn(512, 64);
            Tensor y = torch.randint(4, new long[] {512});
            return DataLoader.of(new TensorDataset(x, y)).batchSize(16).shuffle(true).build();
        }
    }

    private static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read /proc/self/status", e);
        }
        throw new AssertionError("no VmRSS in /proc/self/status");
    }

    @Test
    public void residentMemoryStaysFlatOverTwentyThousandSteps() {
        long[] rss = new long[2];
        Callback probe = new Callback() {
            @Override
            public void onTrainBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx) {
                if (trainer.globalStep() % 5000 == 0) {
                    System.out.printf("step %d: RSS %d kB, %d JavaCPP pointers alive%n", trainer.globalStep(), rssKb(),
                            Pointer.totalCount());
                }
                if (trainer.globalStep() == WARM_UP) {
                    System.gc();
                    rss[0] = rssKb();
                }
            }
        };
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxSteps(WARM_UP + STEPS).limitValBatches(Limit.NONE)
                .logEveryNSteps(10).seed(1L).build(), TestTrainers.plugins().withCallback(probe));
        trainer.fit(new SmallMlp());
        trainer.view().callbackMetrics();
        System.gc();
        rss[1] = rssKb();

        double growth = (rss[1] - rss[0]) / (double) rss[0];
        System.out.printf("RSS after warm-up %d kB, after %d more steps %d kB (%+.2f%%)%n", rss[0], STEPS, rss[1], growth * 100);
        assertTrue("RSS grew " + (growth * 100) + "% (" + rss[0] + " -> " + rss[1] + " kB)", growth < 0.05);
    }
}
