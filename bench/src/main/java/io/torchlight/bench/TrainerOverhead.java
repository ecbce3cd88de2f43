package io.torchlight.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Limit;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.callback.Callback;
import io.torchlight.api.data.Batch;
import io.torchlight.api.data.DataLoader;
import io.torchlight.api.data.TensorDataset;
import io.torchlight.core.Torchlight;
import io.torchlight.strategy.single.SingleDeviceStrategy;

/**
 * Trainer overhead against a hand-written libtorch loop: the same MLP (784-128-10, batch 64, Adam) on
 * the same in-memory data, alternating one Trainer epoch with one raw epoch in this process, and
 * printing the ratio of their median epoch times and the resident memory before and after. Arguments:
 * [rounds=20] [batches per epoch=200].
 */
public final class TrainerOverhead {

    static final int BATCH = 64;

    /** The MLP as a LightningModule. */
    static final class Mlp extends LightningModule {
        final LinearImpl hidden = registerModule("hidden", new LinearImpl(784, 128));
        final LinearImpl out = registerModule("out", new LinearImpl(128, 10));
        final Tensor x;
        final Tensor y;

        Mlp(Tensor x, Tensor y) {
            this.x = x;
            this.y = y;
        }

        @Override
        public Tensor forward(Tensor input) {
            return out.forward(torch.relu(hidden.forward(input)));
        }

        @Override
        public Object trainingStep(Batch batch, int batchIdx) {
            return torch.cross_entropy(forward(batch.input()), batch.target());
        }

        @Override
        public Object configureOptimizers() {
            return new Adam(parameters(), new AdamOptions(1e-3));
        }

        @Override
        public DataLoader trainDataloader() {
            return DataLoader.of(new TensorDataset(x, y)).batchSize(BATCH).build();
        }
    }

    private TrainerOverhead() {
    }

    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        torch.manual_seed(0);
        Tensor x = torch.randn(batches * BATCH, 784);
        Tensor y = torch.randint(10, new long[] {batches * BATCH});
        Mlp rawModel = new Mlp(x, y);
        Adam rawOptimizer = new Adam(rawModel.parameters(), new AdamOptions(1e-3));
        Mlp trainerModel = new Mlp(x, y);

        List<Long> rawTimes = new ArrayList<>();
        List<Long> trainerTimes = new ArrayList<>();
        long[] epochStart = new long[1];
        long[] rss = new long[2];
        Callback alternate = new Callback() {
            @Override
            public void onTrainEpochStart(Trainer trainer, LightningModule module) {
                epochStart[0] = System.nanoTime();
            }

            @Override
            public void onTrainEpochEnd(Trainer trainer, LightningModule module) {
                trainerTimes.add(System.nanoTime() - epochStart[0]);
                rawTimes.add(rawEpoch(rawModel, rawOptimizer, x, y, batches));
                if (trainer.currentEpoch() == 1) {
                    rss[0] = rssKb();
                }
            }
        };
        TrainerConfig config = TrainerConfig.builder().accelerator(new CpuAccelerator()).strategy(new SingleDeviceStrategy())
                .maxEpochs(rounds + 2).limitValBatches(Limit.NONE).enableProgressBar(false).enableModelSummary(false)
                .enableCheckpointing(false).callback(alternate).build();
        try (Trainer trainer = Torchlight.trainer(config)) {
            trainer.fit(trainerModel);
        }
        rss[1] = rssKb();
        // the first two rounds warm up the JIT and libtorch's allocator
        List<Long> raw = rawTimes.subList(2, rawTimes.size());
        List<Long> trained = trainerTimes.subList(2, trainerTimes.size());
        double rawMedian = median(raw) / 1e6;
        double trainerMedian = median(trained) / 1e6;
        System.out.printf("MLP 784-128-10, batch %d, Adam, %d batches per epoch, %d measured rounds, %d intra-op threads%n",
                BATCH, batches, raw.size(), torch.get_num_threads());
        System.out.printf("median epoch: raw loop %.1f ms, Trainer %.1f ms%n", rawMedian, trainerMedian);
        System.out.printf("Trainer/raw ratio: %.3f%n", trainerMedian / rawMedian);
        System.out.printf("RSS after warm-up %d kB, at the end %d kB%n", rss[0], rss[1]);
    }

    /** One epoch of the hand-written loop; each step's temporaries freed with a scope, as the Trainer does. */
    static long rawEpoch(Mlp model, Adam optimizer, Tensor x, Tensor y, int batches) {
        long start = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            try (PointerScope scope = new PointerScope()) {
                Tensor input = x.narrow(0, (long) b * BATCH, BATCH);
                Tensor target = y.narrow(0, (long) b * BATCH, BATCH);
                optimizer.zero_grad();
                Tensor loss = torch.cross_entropy(model.forward(input), target);
                loss.backward();
                optimizer.step();
            }
        }
        return System.nanoTime() - start;
    }

    private static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
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
