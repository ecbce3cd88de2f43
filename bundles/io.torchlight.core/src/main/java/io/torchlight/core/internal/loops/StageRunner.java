package io.torchlight.core.internal.loops;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.bytedeco.pytorch.AnomalyMode;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.LBFGS;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.api.Callback;
import io.torchlight.api.LightningDataModule;
import io.torchlight.api.Stage;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.TrainerLink;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.accelerator.Precision;
import io.torchlight.core.internal.checkpoint.CheckpointConnector;
import io.torchlight.core.internal.hooks.CallbackOrder;
import io.torchlight.core.internal.hooks.Hook;
import io.torchlight.core.internal.hooks.Overrides;
import io.torchlight.core.internal.optim.FitOptimizers;
import io.torchlight.core.internal.optim.OptimizerSetup;
import io.torchlight.core.internal.optim.TrainerOptimizer;
import io.torchlight.core.internal.plugins.DeviceSpec;
import io.torchlight.utils.checkpoint.CheckpointFile;
import io.torchlight.utils.data.DataLoader;

/**
 * The sequence of one stage in Lightning 1.6's order: set-up hooks, the stage's loops, tear-down hooks;
 * on failure {@code onException}, failed loggers and device release before the error propagates.
 */
public final class StageRunner {

    private final RunContext ctx;
    private final Accelerator accelerator;
    private final List<Callback> trainerCallbacks;
    private final TrainerLink link;

    public StageRunner(RunContext ctx, Accelerator accelerator, List<Callback> trainerCallbacks, TrainerLink link) {
        this.link = link;
        this.ctx = ctx;
        this.accelerator = accelerator;
        this.trainerCallbacks = trainerCallbacks;
    }

    public void fit(Path ckptPath) {
        verifyManualOptimization();
        guarded(Stage.FIT, () -> {
            setUp(Stage.FIT);
            CheckpointConnector checkpoints = new CheckpointConnector(ctx);
            Map<String, Object> ckpt = ckptPath == null ? null : CheckpointFile.read(ckptPath);
            if (ckpt != null) {
                checkpoints.restoreModel(ckpt, ckptPath);
            }
            OptimizerSetup setup = ctx.module.automaticOptimization()
                    ? OptimizerSetup.of(ctx.hooks.module(Hook.CONFIGURE_OPTIMIZERS, ctx.module::configureOptimizers), ctx.moduleName())
                    : optionalOptimizers();
            List<TrainerOptimizer> optimizers = new ArrayList<>();
            for (int i = 0; i < setup.optimizers().size(); i++) {
                if (ctx.config.precision() == Precision.FP16_MIXED && setup.optimizers().get(i) instanceof LBFGS) {
                    // Lightning 1.6.5's NativeMixedPrecisionPlugin refuses it: the scaler cannot follow a closure
                    // evaluated several times per step
                    throw new TorchlightException("precision=16-mixed and the LBFGS optimizer of " + ctx.moduleName()
                            + " are not compatible: use precision=32 or bf16-mixed with LBFGS");
                }
                optimizers.add(new TrainerOptimizer(setup.optimizers().get(i), i, ctx));
            }
            ctx.optimization(new FitOptimizers(optimizers, setup.schedulers(), setup.frequencies()));
            if (ckpt != null) {
                checkpoints.restoreTraining(ckpt, ckptPath);
            }
            ctx.hooks.both(Hook.ON_FIT_START, c -> c.onFitStart(ctx.view, ctx.module), ctx.module::onFitStart);
            ctx.logging.logHyperparams(ctx.module.hparams());
            ctx.hooks.both(Hook.ON_PRETRAIN_ROUTINE_START, c -> c.onPretrainRoutineStart(ctx.view, ctx.module), ctx.module::onPretrainRoutineStart);
            ctx.hooks.both(Hook.ON_PRETRAIN_ROUTINE_END, c -> c.onPretrainRoutineEnd(ctx.view, ctx.module), ctx.module::onPretrainRoutineEnd);
            runFitLoop();
            ctx.hooks.both(Hook.ON_FIT_END, c -> c.onFitEnd(ctx.view, ctx.module), ctx.module::onFitEnd);
            tearDown(Stage.FIT);
            return null;
        });
    }

    /**
     * The fit loop; with {@code detectAnomaly} under libtorch's autograd anomaly mode, as Lightning 1.6.5 runs its
     * training under {@code torch.autograd.set_detect_anomaly}: a backward function returning NaN is an error naming it.
     */
    private void runFitLoop() {
        boolean detect = ctx.config.detectAnomaly();
        boolean before = AnomalyMode.is_enabled();
        boolean checkedNan = AnomalyMode.should_check_nan();
        if (detect) {
            AnomalyMode.set_enabled(true, true);
        }
        try {
            new FitLoop(ctx).run();
        } finally {
            if (detect) {
                AnomalyMode.set_enabled(before, checkedNan);
            }
        }
    }

    public List<Map<String, Double>> evaluate(Stage stage) {
        return guarded(stage, () -> {
            setUp(stage);
            boolean validate = stage == Stage.VALIDATE;
            List<DataLoader> loaders = validate ? ctx.data.val() : ctx.data.test();
            String step = validate ? "validationStep" : "testStep";
            if (!Overrides.overridesStep(ctx.module, step)) {
                throw new TorchlightException(ctx.moduleName() + " does not override " + step + "(Batch, int): nothing to "
                        + stage.lightningName());
            }
            if (loaders.isEmpty()) {
                throw new TorchlightException("no " + (validate ? "validation" : "test") + " data for " + ctx.moduleName()
                        + ": pass a DataLoader, override " + (validate ? "valDataloader()" : "testDataloader()")
                        + ", or use a LightningDataModule");
            }
            loaders = Loaders.prepared(ctx, loaders);
            List<Integer> batches = Loaders.limits(loaders, validate ? ctx.limits.val() : ctx.limits.test());
            List<Map<String, Double>> results = List.of();
            // no batches at all (limit_*_batches=0): Lightning skips the loop, hooks included, after asking for the data
            if (batches.stream().anyMatch(n -> n > 0)) {
                EvaluationLoop loop = new EvaluationLoop(ctx, validate
                        ? new ValidationHooks(ctx.hooks, ctx.view, ctx.module) : new TestHooks(ctx.hooks, ctx.view, ctx.module));
                loop.configure(loaders, batches, true);
                results = loop.run();
            }
            tearDown(stage);
            return results;
        });
    }

    public List<List<Object>> predict() {
        return guarded(Stage.PREDICT, () -> {
            setUp(Stage.PREDICT);
            List<DataLoader> loaders = ctx.data.predict();
            if (loaders.isEmpty()) {
                throw new TorchlightException("no prediction data for " + ctx.moduleName()
                        + ": pass a DataLoader, override predictDataloader(), or use a LightningDataModule");
            }
            loaders = Loaders.prepared(ctx, loaders);
            List<Integer> batches = Loaders.limits(loaders, ctx.limits.predict());
            List<List<Object>> predictions = List.of();
            // no batches at all (limit_predict_batches=0): Lightning 1.6.5's PredictionLoop skips, hooks included
            if (batches.stream().anyMatch(n -> n > 0)) {
                PredictionLoop loop = new PredictionLoop(ctx);
                loop.configure(loaders, batches);
                predictions = loop.run();
            }
            tearDown(Stage.PREDICT);
            return predictions;
        });
    }

    /** Lightning 1.6's configuration_validator: what the trainer cannot do for a module that optimizes itself. */
    private void verifyManualOptimization() {
        if (ctx.module.automaticOptimization()) {
            return;
        }
        double clip = ctx.config.gradientClipVal().orElse(0);
        if (clip > 0) {
            throw new TorchlightException("Automatic gradient clipping is not supported for manual optimization: remove "
                    + "gradient_clip_val=" + clip + " or switch " + ctx.moduleName() + " to automatic optimization "
                    + "(clip in trainingStep with clipGradients)");
        }
        if (ctx.config.accumulateGradBatches() != 1 || ctx.config.accumulationSchedule().isPresent()) {
            throw new TorchlightException("Automatic gradient accumulation is not supported for manual optimization: remove "
                    + "accumulate_grad_batches=" + ctx.config.accumulationSchedule().map(Object::toString)
                            .orElse(String.valueOf(ctx.config.accumulateGradBatches())) + " or switch " + ctx.moduleName()
                    + " to automatic optimization");
        }
    }

    private OptimizerSetup optionalOptimizers() {
        Object returned = ctx.hooks.module(Hook.CONFIGURE_OPTIMIZERS, () -> {
            try {
                return ctx.module.configureOptimizers();
            } catch (TorchlightException e) {
                return null;
            }
        });
        return returned == null ? new OptimizerSetup(List.of(), List.of()) : OptimizerSetup.of(returned, ctx.moduleName());
    }

    private void setUp(Stage stage) {
        ctx.state.stage(stage);
        ctx.module.attach(link);
        ctx.config.seed().ifPresent(torch::manual_seed);
        if (ctx.config.deterministic()) {
            torch.globalContext().setDeterministicAlgorithms(true, false);
        }
        List<Callback> fromModule = ctx.hooks.module(Hook.CONFIGURE_CALLBACKS, ctx.module::configureCallbacks);
        ctx.hooks.callbacks(CallbackOrder.of(trainerCallbacks, fromModule == null ? List.of() : fromModule));
        LightningDataModule dm = ctx.data.dataModule();
        if (dm != null) {
            ctx.hooks.module(Hook.PREPARE_DATA, dm::prepareData);
        }
        ctx.hooks.module(Hook.PREPARE_DATA, ctx.module::prepareData);
        ctx.hooks.callbacks(Hook.ON_BEFORE_ACCELERATOR_BACKEND_SETUP, c -> c.onBeforeAcceleratorBackendSetup(ctx.view, ctx.module));
        ctx.strategy.setup(accelerator, DeviceSpec.parse(ctx.config.devices(), accelerator, ctx.strategy));
        ctx.hooks.callbacks(Hook.SETUP, c -> c.setup(ctx.view, ctx.module, stage));
        if (dm != null) {
            ctx.hooks.module(Hook.SETUP, () -> dm.setup(stage));
        }
        ctx.hooks.module(Hook.SETUP, () -> ctx.module.setup(stage));
        ctx.hooks.module(Hook.CONFIGURE_SHARDED_MODEL, ctx.module::configureShardedModel);
        ctx.hooks.callbacks(Hook.ON_CONFIGURE_SHARDED_MODEL, c -> c.onConfigureShardedModel(ctx.view, ctx.module));
        // after setup and configureShardedModel, as Lightning's strategy.setup: layers they create move too
        moduleToDevice();
        ctx.precision.setup(ctx.module);
    }

    private void moduleToDevice() {
        Device root = ctx.strategy.rootDevice();
        boolean elsewhere = false;
        for (Tensor p : ctx.module.parameters().get()) {
            Device at = p.device();
            elsewhere |= at.type().value != root.type().value || (root.has_index() && at.index() != root.index());
        }
        ctx.strategy.moduleToDevice(ctx.module);
        if (elsewhere) {
            ctx.hooks.module(Hook.ON_POST_MOVE_TO_DEVICE, ctx.module::onPostMoveToDevice);
        }
    }

    private void tearDown(Stage stage) {
        ctx.hooks.callbacks(Hook.TEARDOWN, c -> c.teardown(ctx.view, ctx.module, stage));
        LightningDataModule dm = ctx.data.dataModule();
        if (dm != null) {
            ctx.hooks.module(Hook.TEARDOWN, () -> dm.teardown(stage));
        }
        ctx.hooks.module(Hook.TEARDOWN, () -> ctx.module.teardown(stage));
    }

    private <T> T guarded(Stage stage, Supplier<T> run) {
        try {
            T result = run.get();
            ctx.logging.finish(ctx.interrupted() ? "interrupted" : "success");
            ctx.strategy.teardown();
            return result;
        } catch (RuntimeException | Error e) {
            quietly(() -> ctx.hooks.callbacks(Hook.ON_EXCEPTION, c -> c.onException(ctx.view, ctx.module, e)), e);
            quietly(() -> ctx.logging.finish("failed"), e);
            quietly(ctx.strategy::teardown, e);
            throw e;
        } finally {
            ctx.state.stage(null);
        }
    }

    private static void quietly(Runnable cleanup, Throwable primary) {
        try {
            cleanup.run();
        } catch (RuntimeException | Error e) {
            primary.addSuppressed(e);
        }
    }
}
