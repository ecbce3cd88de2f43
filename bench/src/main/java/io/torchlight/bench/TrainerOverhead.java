package io.torchlight.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.Callback;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Limit;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.api.TrainerView;
import io.torchlight.callback.checkpoint.ModelCheckpoint;
import io.torchlight.callback.progress.ProgressBar;
import io.torchlight.core.Torchlight;
import io.torchlight.examples.fashion.FashionData;
import io.torchlight.logger.csv.CsvLogger;
import io.torchlight.logger.tensorboard.TensorBoardLogger;
import io.torchlight.strategy.single.SingleDeviceStrategy;
import io.torchlight.utils.data.Batch;

/**
 * Trainer overhead against a hand-written libtorch loop, as users run it, each case interleaved with the raw loop
 * in this process in chunks of 50 batches (see {@link Interleaved}), recorded after a warm-up of 20,000 batches (the
 * CNN's after 100): (a) bare; (b) progress bar, CSV and TensorBoard loggers and a per-step {@code log(..., progBar)}
 * with {@code log_every_n_steps=50}, the bar printing plain lines, and ({@code bt}) redrawing as on a terminal; (c) (b)
 * plus ModelCheckpoint every epoch, over epochs of 938 batches; the fashion CNN (batch 128) in (b); and the resident memory growth over 20,000 steps in (b), after the same warm-up;
 * with {@code data}, the MLP over the full Fashion-MNIST training set (Debian's dataset-fashion-mnist) with shuffled
 * batches, bare, as steps/s against the raw loop over the same tensors. Arguments: [epochs recorded=20; (c) a quarter
 * of them, data too] [batches per epoch=200] [cases=a,b,bt,c,cnn,rss; data too when named].
 */
public final class TrainerOverhead {

    private static final int MLP_BATCH = 64;
    private static final int CNN_BATCH = 128;
    /** Batches per paired chunk: one logging period ({@code log_every_n_steps=50}), so each chunk logs once. */
    private static final int CHUNK = 50;
    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

    private TrainerOverhead() {
    }

    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Set<String> cases = Set.of((args.length > 2 ? args[2] : "a,b,bt,c,cnn,rss").split(","));
        Path out = Files.createTempDirectory("torchlight-bench");
        torch.manual_seed(0);
        Tensor x = torch.randn(938L * MLP_BATCH, 784);
        Tensor y = torch.randint(10, new long[] {938L * MLP_BATCH});
        Tensor images = torch.randn(50L * CNN_BATCH, 1, 28, 28);
        Tensor labels = torch.randint(10, new long[] {50L * CNN_BATCH});
        System.out.printf("%d intra-op threads; %d recorded epochs a case, paired in chunks of %d batches%n", torch.get_num_threads(), rounds, CHUNK);

        if (cases.contains("a")) {
            report("(a) MLP bare", Interleaved.measure(bare(batches), mlp(x, y, false), mlp(x, y, false), rounds, batches, CHUNK));
        }
        if (cases.contains("b")) {
            report("(b) MLP as used", Interleaved.measure(used(out.resolve("b"), batches), mlp(x, y, true), mlp(x, y, false),
                    rounds, batches, CHUNK));
        }
        if (cases.contains("bt")) {
            report("(b) with the bar as on a terminal", Interleaved.measure(used(out.resolve("bt"), batches, ProgressBar.Mode.TERMINAL),
                    mlp(x, y, true), mlp(x, y, false), rounds, batches, CHUNK));
        }
        if (cases.contains("c")) {
            report("(c) MLP as used + ModelCheckpoint, 938 batches", Interleaved.measure(checkpointing(used(out.resolve("c"), 938)),
                    mlp(x, y, true), mlp(x, y, false), Math.max(5, rounds / 4), 938, CHUNK));
        }
        if (cases.contains("cnn")) {
            report("(b) CNN batch 128 as used", Interleaved.measure(used(out.resolve("cnn"), 50),
                    new Models.Cnn(images, labels, CNN_BATCH, true), new Models.Cnn(images, labels, CNN_BATCH, false), rounds, 50, CHUNK, 100));
        }
        if (cases.contains("data")) {
            data(Math.max(3, rounds / 4));
        }
        if (cases.contains("rss")) {
            memory(out.resolve("rss"), x, y);
        }
    }

    private static Models.Mlp mlp(Tensor x, Tensor y, boolean logged) {
        torch.manual_seed(1);
        return new Models.Mlp(x, y, MLP_BATCH, logged);
    }

    /** A trainer's flags and plug-ins, before the epochs of a measurement are set. */
    record Setup(TrainerConfig.Builder config, TrainerPlugins plugins) {

        Setup with(Callback callback) {
            return new Setup(config, plugins.withCallback(callback));
        }
    }

    private static Setup bare(int batches) {
        return new Setup(TrainerConfig.builder().limitTrainBatches(Limit.count(batches)).limitValBatches(Limit.NONE).enableProgressBar(false)
                .enableModelSummary(false).enableCheckpointing(false), TrainerPlugins.of(new CpuAccelerator(), new SingleDeviceStrategy()));
    }

    /** {@code used} plus the default ModelCheckpoint, saving every epoch. */
    private static Setup checkpointing(Setup used) {
        used.config().enableCheckpointing(true);
        return used.with(new ModelCheckpoint());
    }

    /** What a user runs: progress bar (plain lines, to nowhere), CSV and TensorBoard loggers, logging every 50 steps. */
    private static Setup used(Path dir, int batches) {
        return used(dir, batches, ProgressBar.Mode.LINES);
    }

    /** As {@link #used(Path, int)}, the bar in {@code mode}: on a terminal it redraws its line at most ten times a second. */
    private static Setup used(Path dir, int batches, ProgressBar.Mode mode) {
        Setup bare = bare(batches);
        return new Setup(bare.config().enableProgressBar(true).logEveryNSteps(50).defaultRootDir(dir),
                bare.plugins().withLogger(new CsvLogger(dir)).withLogger(new TensorBoardLogger(dir))
                        .withCallback(new ProgressBar(new ProgressBar.Settings(0, mode, NOWHERE))));
    }

    private static void report(String what, Interleaved.Result r) {
        Interleaved.Window w = r.steady();
        System.out.printf("%-48s ratio %.3f: Trainer %6.0f us/batch, raw %6.0f us/batch (median of %d paired chunks: %.3f), "
                + "epoch boundary %.2f ms over %d batches%n", what, w.ratio(), w.trainerBatchUs(), w.rawBatchUs(), w.pairs(),
                w.chunkRatio(), w.boundaryMs(), w.batches());
        if (r.early() != null) {
            System.out.printf("%-48s ratio %.3f in batches 5,000-10,000 of the fit, before the JIT has compiled it all%n", "",
                    r.early().ratio());
        }
    }

    /** The data path: full Fashion-MNIST (60,000 images), shuffled, 937 batches of 64 an epoch, bare. */
    private static void data(int rounds) {
        FashionData.Split train = FashionData.locate(null).split(true);
        Tensor images = train.images().reshape(train.images().size(0), 784);
        int batches = (int) (images.size(0) / MLP_BATCH);
        Models.Mlp trained = mlp(images, train.labels(), false);
        Models.Mlp raw = mlp(images, train.labels(), false);
        trained.shuffle = true;
        raw.shuffle = true;
        Interleaved.Result r = Interleaved.measure(bare(batches), trained, raw, rounds, batches, CHUNK);
        report("data path (bare, shuffled, 60,000 images)", r);
        double rawSteps = 1e6 / r.rawBatchUs();
        System.out.printf("data path, full Fashion-MNIST shuffled: raw %.0f steps/s, Trainer %.0f steps/s: %.3f of raw%n", rawSteps,
                rawSteps / r.ratio(), 1 / r.ratio());
        // the 188 MB of images go now, not when a later GC finds them: the resident-memory case may run next
        images.close();
        train.images().close();
        train.labels().close();
    }

    /**
     * Resident memory in configuration (b): after the warm-up the ratios are recorded after (until then HotSpot compiles
     * and the allocator grows: standalone, 30 MB in the first 10,000 steps here), then after 20,000 more steps.
     */
    private static void memory(Path dir, Tensor x, Tensor y) {
        long warmUp = Interleaved.WARM_UP_BATCHES;
        long[] rss = new long[2];
        Callback sample = new Callback() {
            @Override
            public void onTrainBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx) {
                if (trainer.globalStep() == warmUp) {
                    rss[0] = rssKb();
                }
            }
        };
        Setup rssRun = used(dir, 938);
        try (Trainer trainer = Torchlight.trainer(rssRun.config().maxSteps(warmUp + 20_000).maxEpochs(-1).build(),
                rssRun.plugins().withCallback(sample))) {
            trainer.fit(mlp(x, y, true));
        }
        rss[1] = rssKb();
        System.out.printf("resident memory in (b): %d kB after %,d steps, %d kB after 20,000 more (%+.1f %%)%n", rss[0], warmUp, rss[1],
                100.0 * (rss[1] - rss[0]) / rss[0]);
    }

    private static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
