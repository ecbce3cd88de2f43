package io.torchlight.callback.progress;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.Limit;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.core.Torchlight;
import io.torchlight.demos.BoringModel;
import io.torchlight.demos.RandomDataset;
import io.torchlight.strategy.single.SingleDeviceStrategy;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;

/**
 * The bar's {@code loss} is the mean of the last 20 training losses at every line it draws, although it keeps the
 * losses only of the batches a line can still show (most batches of a fast model keep none). The window is Lightning
 * 1.6.5's: {@code TrainingBatchLoop.running_loss = TensorRunningAccum(window_length=20)}, whose mean the bar shows.
 */
public class RunningLossTest {

    private static final Pattern LINE = Pattern.compile("Epoch 0: (\\d+)/(\\d+) \\[[^\\]]*?loss=([^,\\]]+)");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    /** Batch n (from 1) has the loss n; each training step moves the test clock on by {@code stepNanos}. */
    private static class CountingModel extends BoringModel {
        private final int batches;
        private final AtomicLong clock;
        private final long stepNanos;

        CountingModel(int batches, AtomicLong clock, long stepNanos) {
            this.batches = batches;
            this.clock = clock;
            this.stepNanos = stepNanos;
        }

        @Override
        public DataLoader trainDataloader() {
            return DataLoader.of(new RandomDataset(32, batches)).batchSize(1).build();
        }

        @Override
        public Object trainingStep(Batch batch, int batchIdx) {
            clock.addAndGet(stepNanos);
            Tensor zero = forward(batch.input()).sum().mul(torch.tensor(0.0)); // a loss with a graph, of value batchIdx + 1
            return zero.add(torch.tensor((double) batchIdx + 1));
        }
    }

    private void fit(CountingModel model, ProgressBar bar) {
        TrainerConfig config = TrainerConfig.builder().maxEpochs(1).limitValBatches(Limit.NONE).numSanityValSteps(0)
                .enableModelSummary(false).logger(false).defaultRootDir(tmp.getRoot().toPath()).build();
        Torchlight.trainer(config, TrainerPlugins.of(new CpuAccelerator(), new SingleDeviceStrategy()).withCallback(bar)).fit(model);
    }

    /** Each drawn line's batch and the loss it shows, in order. */
    private List<long[]> drawn(List<String> shown) {
        List<long[]> lines = new ArrayList<>();
        Matcher m = LINE.matcher(bytes.toString(StandardCharsets.UTF_8));
        while (m.find()) {
            lines.add(new long[] {Long.parseLong(m.group(1))});
            shown.add(m.group(3));
        }
        return lines;
    }

    /** What the bar should show after batch n: the mean of the losses 1..n of its last 20 batches, as the bar formats it. */
    private static String expected(long n) {
        long from = Math.max(1, n - 19);
        return ProgressLine.value((from + n) / 2.0);
    }

    private void assertEveryLineShowsTheLastTwenty(List<Long> batches) {
        List<String> shown = new ArrayList<>();
        List<long[]> lines = drawn(shown);
        assertEquals(bytes.toString(StandardCharsets.UTF_8), batches, lines.stream().map(l -> l[0]).toList());
        for (int i = 0; i < lines.size(); i++) {
            assertEquals("the line at batch " + lines.get(i)[0], expected(lines.get(i)[0]), shown.get(i));
        }
    }

    @Test
    public void plainLinesShowTheMeanOfTheLastTwentyLosses() {
        // lines every 30 batches and at the end: the bar keeps batches 11-30, 41-60 and 45-64 only
        fit(new CountingModel(64, new AtomicLong(), 0), new ProgressBar(new ProgressBar.Settings(30, ProgressBar.Mode.LINES, out)));

        assertEveryLineShowsTheLastTwenty(List.of(30L, 60L, 64L));
    }

    @Test
    public void aTerminalRedrawShowsTheMeanOfTheLastTwentyLosses() {
        // a batch takes 1 ms on the test clock: redrawn at batch 1, then every 100 ms, at the last batch and once more
        // as the epoch ends
        AtomicLong clock = new AtomicLong(1_000_000_000L);
        ProgressBar bar = new ProgressBar(new ProgressBar.Settings(0, ProgressBar.Mode.TERMINAL, out), clock::get);
        fit(new CountingModel(300, clock, 1_000_000L), bar);

        assertEveryLineShowsTheLastTwenty(List.of(1L, 101L, 201L, 300L, 300L));
    }

    @Test
    public void aTerminalRedrawAfterASuddenlySlowBatchStillShowsTheLatestLoss() {
        // batches of 1 ms, then one of 90 ms at batch 50: the redraw it brings at once could not be foreseen
        AtomicLong clock = new AtomicLong(1_000_000_000L);
        ProgressBar bar = new ProgressBar(new ProgressBar.Settings(0, ProgressBar.Mode.TERMINAL, out), clock::get);
        CountingModel model = new CountingModel(200, clock, 1_000_000L) {
            @Override
            public Object trainingStep(Batch batch, int batchIdx) {
                if (batchIdx == 49) {
                    clock.addAndGet(89_000_000L);
                }
                return super.trainingStep(batch, batchIdx);
            }
        };
        fit(model, bar);

        List<String> shown = new ArrayList<>();
        List<long[]> lines = drawn(shown);
        assertEquals(List.of(1L, 50L, 150L, 200L, 200L), lines.stream().map(l -> l[0]).toList());
        assertEquals("batch 50 alone: 31-49 were not kept", ProgressLine.value(50.0), shown.get(1));
        assertEquals("the next redraw is foreseen again", expected(150), shown.get(2));
        assertEquals(expected(200), shown.get(3));
    }
}
