package io.torchlight.callback.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.Callback;
import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Limit;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.api.TrainerView;
import io.torchlight.core.Torchlight;
import io.torchlight.demos.RegressionNet;
import io.torchlight.strategy.single.SingleDeviceStrategy;
import io.torchlight.utils.data.Batch;

/**
 * A training process for {@link KilledTrainingTest}: fits a small net (shuffled data, dropout, Adam, an epoch
 * StepLR) with ModelCheckpoint every 8 steps plus last.ckpt in {@code args[0]}, resuming from last.ckpt when it
 * exists; prints each step so the parent can kill it at any point, and saves the final state to {@code args[1]}.
 */
public final class TrainingChild {

    static final int EPOCHS = 3;
    static final int BATCHES = 40;
    static final int EVERY = 8;

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Path last = dir.resolve("last.ckpt");
        ModelCheckpoint checkpoint = new ModelCheckpoint(ModelCheckpoint.Settings.defaults().file(dir, "{step}")
                .every(EVERY, 0).last(true));
        Callback announce = new Callback() {
            @Override
            public void onTrainBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx) {
                System.out.println("step " + trainer.globalStep());
            }
        };
        Trainer trainer = Torchlight.trainer(TrainerConfig.builder()
                .maxEpochs(EPOCHS).limitValBatches(Limit.NONE).seed(5L).deterministic(true)
                .enableProgressBar(false).enableModelSummary(false).defaultRootDir(dir.resolve("run"))
                .build(), TrainerPlugins.of(new CpuAccelerator(1), new SingleDeviceStrategy()).withCallback(checkpoint).withCallback(announce));
        torch.manual_seed(11); // the same initial weights and data in every process
        Tensor x = torch.randn(BATCHES * 4, 16);
        Tensor y = torch.randn(BATCHES * 4, 1);
        RegressionNet net = new RegressionNet(x, y, 32, 4, 0.3, 0.5);
        if (Files.exists(last)) {
            trainer.fit(net, Data.fromModule(), CkptPath.of(last));
        } else {
            trainer.fit(net);
        }
        trainer.saveCheckpoint(Path.of(args[1]), false);
        System.out.println("done " + trainer.view().globalStep());
    }
}
