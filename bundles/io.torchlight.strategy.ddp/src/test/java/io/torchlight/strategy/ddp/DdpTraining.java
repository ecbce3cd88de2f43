package io.torchlight.strategy.ddp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.StringTensorDictItem;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.Limit;
import io.torchlight.api.LogOptions;
import io.torchlight.api.ReduceFx;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.api.optim.OptimizerConfig;
import io.torchlight.api.strategy.Strategy;
import io.torchlight.callback.checkpoint.ModelCheckpoint;
import io.torchlight.callback.earlystopping.EarlyStopping;
import io.torchlight.core.Torchlight;
import io.torchlight.demos.BoringModel;
import io.torchlight.logger.csv.CsvLogger;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;
import io.torchlight.utils.data.TensorDataset;

/**
 * One training run of the equivalence tests, the same in a worker process (a rank, with {@link DdpStrategy}) and in the
 * test's own JVM (the single-process reference): BoringModel over 64 fixed samples for two epochs with SGD or Adam,
 * logging its loss with {@code syncDist}; the weights and logged metrics end up in a file, one {@code name=value} a line.
 */
public final class DdpTraining {

    private DdpTraining() {
    }

    /**
     * Worker: {@code <sgd|adam> <batch per rank> <out file> [die|hang at step]}, the rank from the torchrun
     * environment; with the last two, rank 1 halts its JVM (or stops answering) after that many steps.
     */
    public static void main(String[] args) throws IOException {
        DdpStrategy strategy = new DdpStrategy();
        String mode = args.length > 3 ? args[3] : "";
        Path out = Path.of(args[2]);
        switch (mode) {
            case "files" -> trainWithFiles(strategy, Path.of(args[4]), out);
            case "early" -> trainUntilEarlyStop(strategy, out);
            case "unused" -> trainWithUnusedLayers(strategy, out);
            case "group" -> trainLoggingOverAGroup(strategy, out);
            case "stop" -> trainUntilStopped(strategy, out, false);
            case "time" -> trainUntilStopped(strategy, out, true);
            case "save" -> train(args[0], Integer.parseInt(args[1]), strategy, out, new Phase(1, Path.of(args[4]), null, -1, null));
            case "resume" -> train(args[0], Integer.parseInt(args[1]), strategy, out, new Phase(2, null, Path.of(args[4]), -1, null));
            case "die", "hang" -> train(args[0], Integer.parseInt(args[1]), strategy, out, new Phase(2, null, null,
                    strategy.globalRank() == 1 ? Integer.parseInt(args[4]) : -1, mode));
            default -> train(args[0], Integer.parseInt(args[1]), strategy, out);
        }
    }

    /** How long to train, what to save or resume from, and a fault for rank 1 to show ({@code die} or {@code hang}). */
    private record Phase(int epochs, Path saveTo, Path resumeFrom, int faultAt, String fault) {
    }

    static void train(String optimizer, int batch, Strategy strategy, Path out) throws IOException {
        train(optimizer, batch, strategy, out, new Phase(2, null, null, -1, null));
    }

    private static void train(String optimizer, int batch, Strategy strategy, Path out, Phase phase) throws IOException {
        int faultAt = phase.faultAt();
        String fault = phase.fault();
        List<String> ranks = new ArrayList<>();
        torch.manual_seed(11);
        Tensor x = torch.randn(64, 32);
        BoringModel model = new BoringModel() {
            @Override
            public Object configureOptimizers() {
                return OptimizerConfig.of(optimizer.equals("adam") ? new Adam(parameters(), new AdamOptions(0.05))
                        : new SGD(parameters(), new SGDOptions(0.1)));
            }

            @Override
            public Object trainingStep(Batch b, int batchIdx) {
                if (fault != null && batchIdx == faultAt) {
                    if (fault.equals("die")) {
                        Runtime.getRuntime().halt(3);
                    }
                    sleepForever();
                }
                if (ranks.isEmpty()) { // what the module sees of its place in the run (Lightning's self.global_rank, ...)
                    ranks.addAll(List.of("rank.world=" + worldSize(), "rank.global=" + globalRank(), "rank.local=" + localRank(),
                            "rank.node=" + nodeRank(), "rank.trainerWorld=" + trainer().worldSize()));
                }
                Tensor loss = loss(forward(b.input()));
                log("loss", loss, LogOptions.defaults().onStep(false).onEpoch(true).syncDist(true));
                return loss;
            }
        };
        TrainerConfig config = TrainerConfig.builder().maxEpochs(phase.epochs()).limitValBatches(Limit.count(0)).enableProgressBar(false)
                .enableCheckpointing(false).enableModelSummary(false).logger(false).build();
        List<String> lines = new ArrayList<>();
        try (Trainer trainer = Torchlight.trainer(config, TrainerPlugins.of(new CpuAccelerator(1), strategy))) {
            trainer.fit(model, Data.of(DataLoader.of(new TensorDataset(x)).batchSize(batch).build()),
                    phase.resumeFrom() == null ? CkptPath.NONE : CkptPath.of(phase.resumeFrom()));
            if (phase.saveTo() != null) {
                trainer.saveCheckpoint(phase.saveTo(), false); // rank 0 writes it; every rank resumes from it
            }
            lines.add("steps=" + trainer.view().globalStep());
            trainer.view().callbackMetrics().forEach((k, v) -> lines.add("metric." + k + "=" + v));
        }
        Map<String, Tensor> weights = Map.of("weight", model.parameters().get(0), "bias", model.parameters().get(1));
        weights.forEach((name, t) -> {
            Tensor flat = t.detach().reshape(-1);
            for (long i = 0; i < flat.numel(); i++) {
                lines.add(name + "." + i + "=" + flat.get(i).item_float());
            }
        });
        lines.addAll(ranks);
        Files.write(out, lines);
    }

    /**
     * A run writing files: the CSV logger and ModelCheckpoint (the best by loss, and last.ckpt) under the shared
     * {@code root}; the output says where the best checkpoint is, as this rank knows it.
     */
    private static void trainWithFiles(Strategy strategy, Path root, Path out) throws IOException {
        BoringModel model = loggingLoss(LogOptions.defaults().onStep(true).onEpoch(true).syncDist(true));
        TrainerConfig config = TrainerConfig.builder().maxEpochs(3).limitValBatches(Limit.count(0)).enableProgressBar(false)
                .enableModelSummary(false).logEveryNSteps(1).defaultRootDir(root).build();
        ModelCheckpoint checkpoints = new ModelCheckpoint(ModelCheckpoint.Settings.defaults()
                .monitor("loss_epoch", ModelCheckpoint.Mode.MIN).topK(1).last(true));
        try (Trainer trainer = Torchlight.trainer(config, TrainerPlugins.of(new CpuAccelerator(1), strategy)
                .withLogger(new CsvLogger()).withCallback(checkpoints))) {
            trainer.fit(model, Data.of(DataLoader.of(new TensorDataset(samples())).batchSize(4).build()));
        }
        Files.write(out, List.of("best=" + checkpoints.bestModelPath().map(Path::toString).orElse("none")));
    }

    /**
     * EarlyStopping on the synced epoch loss in max mode with no patience: the loss falls, so it stops after the
     * second epoch of ten, the same on every rank; the output says where each rank stopped.
     */
    private static void trainUntilEarlyStop(Strategy strategy, Path out) throws IOException {
        BoringModel model = loggingLoss(LogOptions.defaults().onStep(false).onEpoch(true));
        TrainerConfig config = TrainerConfig.builder().maxEpochs(10).limitValBatches(Limit.count(0)).enableProgressBar(false)
                .enableCheckpointing(false).enableModelSummary(false).logger(false).build();
        EarlyStopping stopping = new EarlyStopping(EarlyStopping.Settings.of("loss").mode(EarlyStopping.Mode.MAX).patience(1, 0));
        try (Trainer trainer = Torchlight.trainer(config, TrainerPlugins.of(new CpuAccelerator(1), strategy).withCallback(stopping))) {
            trainer.fit(model, Data.of(DataLoader.of(new TensorDataset(samples())).batchSize(4).build()));
            Files.write(out, List.of("steps=" + trainer.view().globalStep(), "epoch=" + trainer.view().currentEpoch()));
        }
    }

    /**
     * Two extra layers beside BoringModel's: {@code branch} only rank 0's steps use, {@code idle} no step uses; SGD with
     * weight decay, which would move {@code idle} if it got a (zero) gradient. The output holds the three layers'
     * weights before ({@code start.}) and after training.
     */
    private static void trainWithUnusedLayers(Strategy strategy, Path out) throws IOException {
        torch.manual_seed(11);
        BoringModel model = new BoringModel() {
            final LinearImpl branch = registerModule("branch", new LinearImpl(32, 2));
            final LinearImpl idle = registerModule("idle", new LinearImpl(32, 2));

            @Override
            public Object trainingStep(Batch b, int batchIdx) {
                Tensor prediction = forward(b.input());
                if (globalRank() == 0) {
                    prediction = prediction.add(branch.forward(b.input()));
                }
                return loss(prediction);
            }

            @Override
            public Object configureOptimizers() {
                SGDOptions options = new SGDOptions(0.1);
                options.weight_decay().put(0.5);
                return OptimizerConfig.of(new SGD(parameters(), options));
            }
        };
        List<String> lines = new ArrayList<>();
        weights(model, "start.", lines);
        TrainerConfig config = TrainerConfig.builder().maxEpochs(1).limitValBatches(Limit.count(0)).enableProgressBar(false)
                .enableCheckpointing(false).enableModelSummary(false).logger(false).build();
        try (Trainer trainer = Torchlight.trainer(config, TrainerPlugins.of(new CpuAccelerator(1), strategy))) {
            trainer.fit(model, Data.of(DataLoader.of(new TensorDataset(samples())).batchSize(4).build()));
        }
        weights(model, "", lines);
        Files.write(out, lines);
    }

    /**
     * A long fit that ends early: rank 0 alone is asked to stop at its step 5 (as the container's stop command asks
     * the run it hosts), or {@code max_time} of 3 s passes by each rank's own clock. The output says where each
     * rank stopped and how its stage ended.
     */
    private static void trainUntilStopped(Strategy strategy, Path out, boolean byTime) throws IOException {
        BoringModel model = new BoringModel() {
            @Override
            public Object trainingStep(Batch b, int batchIdx) {
                if (!byTime && globalRank() == 0 && trainer().globalStep() == 5) {
                    trainer().requestStop();
                }
                return loss(forward(b.input()));
            }
        };
        TrainerConfig.Builder config = TrainerConfig.builder().maxEpochs(byTime ? 1000 : 10).limitValBatches(Limit.count(0))
                .enableProgressBar(false).enableCheckpointing(false).enableModelSummary(false).logger(false);
        if (byTime) {
            config.maxTime(Duration.ofSeconds(3));
        }
        try (Trainer trainer = Torchlight.trainer(config.build(), TrainerPlugins.of(new CpuAccelerator(1), strategy))) {
            trainer.fit(model, Data.of(DataLoader.of(new TensorDataset(samples())).batchSize(4).build()));
            Files.write(out, List.of("steps=" + trainer.view().globalStep(), "epoch=" + trainer.view().currentEpoch()));
        }
    }

    /**
     * Each rank logs 10 to the power of its rank each step, reduced over ranks 0 and 1 only ({@code syncDistGroup}), by
     * mean and by sum; the output holds the epoch values this rank ends with.
     */
    private static void trainLoggingOverAGroup(Strategy strategy, Path out) throws IOException {
        BoringModel model = new BoringModel() {
            @Override
            public Object trainingStep(Batch b, int batchIdx) {
                Tensor mine = torch.tensor(Math.pow(10, globalRank()));
                LogOptions group = LogOptions.defaults().onStep(false).onEpoch(true).syncDist(true).syncDistGroup(List.of(1, 0));
                log("mean", mine, group);
                log("sum", mine, group.reduceFx(ReduceFx.SUM));
                return loss(forward(b.input()));
            }
        };
        TrainerConfig config = TrainerConfig.builder().maxEpochs(1).limitValBatches(Limit.count(0)).enableProgressBar(false)
                .enableCheckpointing(false).enableModelSummary(false).logger(false).build();
        try (Trainer trainer = Torchlight.trainer(config, TrainerPlugins.of(new CpuAccelerator(1), strategy))) {
            trainer.fit(model, Data.of(DataLoader.of(new TensorDataset(samples())).batchSize(4).build()));
            List<String> lines = new ArrayList<>();
            trainer.view().callbackMetrics().forEach((k, v) -> lines.add(k + "=" + v));
            Files.write(out, lines);
        }
    }

    private static void weights(BoringModel model, String prefix, List<String> lines) {
        StringTensorDict named = model.named_parameters();
        for (long i = 0; i < named.size(); i++) {
            StringTensorDictItem item = named.get(i);
            Tensor flat = item.value().detach().reshape(-1);
            for (long j = 0; j < flat.numel(); j++) {
                lines.add(prefix + item.key().getString() + "." + j + "=" + flat.get(j).item_float());
            }
        }
    }

    /** BoringModel with its seeded weights, logging its loss as "loss" with these options. */
    private static BoringModel loggingLoss(LogOptions options) {
        torch.manual_seed(11);
        return new BoringModel() {
            @Override
            public Object trainingStep(Batch b, int batchIdx) {
                Tensor loss = loss(forward(b.input()));
                log("loss", loss, options);
                return loss;
            }
        };
    }

    /** The 64 fixed samples every run trains on. */
    private static Tensor samples() {
        torch.manual_seed(12);
        return torch.randn(64, 32);
    }

    private static void sleepForever() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
