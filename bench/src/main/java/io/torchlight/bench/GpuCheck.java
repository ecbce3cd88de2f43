package io.torchlight.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.accelerator.cuda.CudaAccelerator;
import io.torchlight.api.Callback;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Limit;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.api.TrainerView;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.accelerator.Precision;
import io.torchlight.core.internal.DefaultTrainer;
import io.torchlight.core.internal.TrainerSetup;
import io.torchlight.core.internal.hooks.Hooks;
import io.torchlight.core.internal.plugins.Plugins;
import io.torchlight.examples.fashion.FashionData;
import io.torchlight.strategy.single.SingleDeviceStrategy;
import io.torchlight.utils.data.Batch;

/**
 * The prepared GPU check (bench/gpu-check.sh runs it with the GPU build's natives): the fashion CNN for one epoch
 * (batch 128, same seed and batch order) on CUDA in {@code 32} and {@code 16-mixed} and on the CPU, loss curves
 * compared; a live run moved CPU to CUDA and back; CUDA steps/s of the Trainer against a raw libtorch CUDA loop in
 * this process. Prints a short report; exits 0 when every check passes, 1 when one fails, 2 without a CUDA device.
 */
public final class GpuCheck {

    /** Mean |loss difference| over the epoch, relative to the mean loss: CUDA fp32 against the CPU. */
    static final double FP32_TOLERANCE = 0.02;
    /** The same for 16-mixed against fp32 on CUDA. */
    static final double MIXED_TOLERANCE = 0.05;
    private static final int BATCH = 128;

    private GpuCheck() {
    }

    public static void main(String[] args) throws Exception {
        if (!torch.cuda_is_available()) {
            System.out.println("gpu-check: libtorch sees no CUDA device in this process (GPU build natives, NVIDIA driver and a GPU are needed)");
            System.exit(2);
        }
        CudaAccelerator cuda = CudaAccelerator.probe();
        CpuAccelerator cpu = new CpuAccelerator();
        FashionData data = FashionData.locate(null);
        FashionData.Split train = data.split(true);
        int batches = (int) Math.min(469, train.images().size(0) / BATCH);
        System.out.printf("gpu-check: %d CUDA device(s); fashion-cnn, %d batches of %d (%s)%n", cuda.deviceCount(), batches, BATCH,
                data.source());
        boolean ok = true;

        List<Double> onCpu = curve(train, cpu, Precision.FP32, batches);
        List<Double> on32 = curve(train, cuda, Precision.FP32, batches);
        List<Double> on16 = curve(train, cuda, Precision.FP16_MIXED, batches);
        double d32 = relativeGap(on32, onCpu);
        double d16 = relativeGap(on16, on32);
        ok &= report("CUDA 32 vs CPU loss curve", d32, FP32_TOLERANCE, last(on32), last(onCpu));
        ok &= report("CUDA 16-mixed vs CUDA 32 loss curve", d16, MIXED_TOLERANCE, last(on16), last(on32));

        ok &= moved(train, cpu, cuda, batches, last(onCpu));
        ok &= speed(train, cuda, args.length > 0 ? Integer.parseInt(args[0]) : 10);
        System.out.println(ok ? "gpu-check: all checks passed" : "gpu-check: FAILED (see above)");
        System.exit(ok ? 0 : 1);
    }

    private static DefaultTrainer trainer(Accelerator accelerator, Precision precision, int batches, Callback... callbacks) {
        TrainerConfig config = TrainerConfig.builder().maxEpochs(1).limitTrainBatches(Limit.count(batches)).limitValBatches(Limit.count(0))
                .precision(precision).enableProgressBar(false).enableCheckpointing(false).enableModelSummary(false).logger(false).build();
        TrainerPlugins plugins = TrainerPlugins.of(accelerator, new SingleDeviceStrategy());
        for (Callback callback : callbacks) {
            plugins = plugins.withCallback(callback);
        }
        return DefaultTrainer.open(TrainerSetup.of(config, plugins), Plugins.instances(), Hooks.HookListener.NONE);
    }

    /** The training loss of every step of one epoch. */
    private static List<Double> curve(FashionData.Split train, Accelerator accelerator, Precision precision, int batches) {
        torch.manual_seed(0);
        Models.Cnn model = new Models.Cnn(train.images(), train.labels(), BATCH, false);
        List<Double> losses = new ArrayList<>();
        try (DefaultTrainer trainer = trainer(accelerator, precision, batches, losses(losses))) {
            trainer.fit(model);
        }
        return losses;
    }

    private static Callback losses(List<Double> into) {
        return new Callback() {
            @Override
            public void onTrainBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx) {
                Object loss = outputs instanceof Map<?, ?> m ? m.get("loss") : outputs;
                if (loss instanceof Tensor t) {
                    into.add(t.item_double());
                }
            }
        };
    }

    /** A run on the CPU moved to CUDA a third of the way in and back at two thirds; it must end near the CPU run. */
    private static boolean moved(FashionData.Split train, CpuAccelerator cpu, CudaAccelerator cuda, int batches, double cpuLoss)
            throws Exception {
        torch.manual_seed(0);
        Models.Cnn model = new Models.Cnn(train.images(), train.labels(), BATCH, false);
        List<Double> losses = new ArrayList<>();
        List<CompletableFuture<String>> moves = new ArrayList<>();
        DefaultTrainer[] holder = new DefaultTrainer[1];
        Callback mover = new Callback() {
            @Override
            public void onTrainBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx) {
                if (batchIdx == batches / 3) {
                    moves.add(holder[0].moveTo(cuda, 0));
                } else if (batchIdx == 2 * batches / 3) {
                    moves.add(holder[0].moveTo(cpu, 0));
                }
            }
        };
        try (DefaultTrainer trainer = trainer(cpu, Precision.FP32, batches, mover, losses(losses))) {
            holder[0] = trainer;
            trainer.fit(model);
        }
        boolean ok = moves.size() == 2;
        for (CompletableFuture<String> move : moves) {
            try {
                System.out.println("  " + move.get(1, TimeUnit.SECONDS));
            } catch (Exception e) {
                System.out.println("  move failed: " + e.getMessage());
                ok = false;
            }
        }
        boolean onCpu = model.parameters().get(0).device().is_cpu();
        ok &= onCpu;
        return report("moved CPU -> CUDA -> CPU, final loss vs the CPU run", Math.abs(last(losses) - cpuLoss) / cpuLoss,
                FP32_TOLERANCE * 5, last(losses), cpuLoss) && ok;
    }

    /** Trainer against a raw libtorch loop on CUDA, data on the device for both, interleaved in chunks of 50 batches. */
    private static boolean speed(FashionData.Split train, CudaAccelerator cuda, int rounds) {
        Device device = cuda.device(0);
        int batches = 200;
        Tensor x = train.images().narrow(0, 0, (long) batches * BATCH).to(device, train.images().scalar_type());
        Tensor y = train.labels().narrow(0, 0, (long) batches * BATCH).to(device, train.labels().scalar_type());
        Models.Cnn trained = new Models.Cnn(x, y, BATCH, true);
        Models.Cnn raw = new Models.Cnn(x, y, BATCH, false);
        raw.to(device, false);
        Runnable sync = torch::cuda_synchronize;
        trained.sync = sync;
        raw.sync = sync;
        TrainerOverhead.Setup setup = new TrainerOverhead.Setup(TrainerConfig.builder().limitTrainBatches(Limit.count(batches))
                .limitValBatches(Limit.count(0)).enableProgressBar(false).enableCheckpointing(false).enableModelSummary(false)
                .logger(false), TrainerPlugins.of(cuda, new SingleDeviceStrategy()));
        Interleaved.Result r = Interleaved.measure(setup, trained, raw, rounds, batches, 50, 2 * batches);
        System.out.printf("  CUDA fashion-cnn: Trainer %.0f steps/s, raw libtorch %.0f steps/s, ratio %.3f (%d epochs)%n",
                batches / (r.steady().trainerMs() / 1e3), batches / (r.steady().rawMs() / 1e3), r.ratio(), rounds);
        return true;
    }

    private static double relativeGap(List<Double> a, List<Double> b) {
        int n = Math.min(a.size(), b.size());
        double gap = 0;
        double mean = 0;
        for (int i = 0; i < n; i++) {
            gap += Math.abs(a.get(i) - b.get(i));
            mean += Math.abs(b.get(i));
        }
        return n == 0 || mean == 0 ? Double.NaN : gap / mean;
    }

    private static double last(List<Double> values) {
        return values.isEmpty() ? Double.NaN : values.get(values.size() - 1);
    }

    private static boolean report(String what, double gap, double tolerance, double a, double b) {
        boolean ok = gap <= tolerance;
        System.out.printf("  %s: mean relative gap %.4f (tolerance %.2f) %s; final losses %.4f / %.4f%n", what, gap, tolerance,
                ok ? "ok" : "FAILED", a, b);
        return ok;
    }
}
