package io.torchlight.bench;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.Callback;
import io.torchlight.api.Data;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Limit;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.api.TrainerView;
import io.torchlight.core.Torchlight;
import io.torchlight.strategy.ddp.DdpStrategy;
import io.torchlight.utils.data.DataLoader;
import io.torchlight.utils.data.TensorDataset;

/**
 * One rank of the DDP throughput bench (bench/ddp.sh starts one or two): the fashion CNN or the MLP at a fixed global
 * batch split over the ranks, one intra-op thread per process, on synthetic Fashion-MNIST-shaped data; prints this
 * rank's steps/s after the first (warm-up) epoch and the mean gradient all-reduce time. Arguments: {@code cnn|mlp
 * <global batch> <steps per epoch> <epochs>}.
 */
public final class DdpThroughput {

    private DdpThroughput() {
    }

    public static void main(String[] args) {
        String model = args[0];
        int globalBatch = Integer.parseInt(args[1]);
        int steps = Integer.parseInt(args[2]);
        int epochs = Integer.parseInt(args[3]);
        DdpStrategy ddp = new DdpStrategy();
        int batch = globalBatch / ddp.worldSize();
        torch.manual_seed(0);
        long samples = (long) globalBatch * steps;
        Tensor x = model.equals("cnn") ? torch.randn(samples, 1, 28, 28) : torch.randn(samples, 784);
        Tensor y = torch.randint(10, new long[] {samples});
        Models.Benched module = model.equals("cnn") ? new Models.Cnn(x, y, batch, false) : new Models.Mlp(x, y, batch, false);
        long[] epochStart = new long[1];
        double[] lastEpochSeconds = new double[1];
        Callback clock = new Callback() {
            @Override
            public void onTrainEpochStart(TrainerView trainer, LightningModule m) {
                epochStart[0] = System.nanoTime();
            }

            @Override
            public void onTrainEpochEnd(TrainerView trainer, LightningModule m) {
                lastEpochSeconds[0] = (System.nanoTime() - epochStart[0]) / 1e9;
            }
        };
        TrainerConfig config = TrainerConfig.builder().maxEpochs(epochs).limitValBatches(Limit.count(0)).enableProgressBar(false)
                .enableCheckpointing(false).enableModelSummary(false).logger(false).build();
        try (Trainer trainer = Torchlight.trainer(config, TrainerPlugins.of(new CpuAccelerator(1), ddp).withCallback(clock))) {
            trainer.fit(module, Data.of(DataLoader.of(new TensorDataset(x, y)).batchSize(batch).build()));
        }
        System.out.printf("rank %d of %d: %s global batch %d (%d per rank), %.1f steps/s in the last epoch, gradient wait after backward %.2f ms%n",
                ddp.globalRank(), ddp.worldSize(), model, globalBatch, batch, steps / lastEpochSeconds[0], ddp.meanGradientSyncMillis());
    }
}
