package io.torchlight.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;

import io.torchlight.api.LightningDataModule;
import io.torchlight.api.LightningModule;
import io.torchlight.api.LogOptions;
import io.torchlight.api.Stage;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.callback.Callback;
import io.torchlight.api.logger.Logger;
import io.torchlight.api.optim.LightningOptimizer;
import io.torchlight.api.optim.LrSchedulerConfig;
import io.torchlight.api.strategy.Strategy;
import io.torchlight.core.internal.logging.LoggerConnector;
import io.torchlight.core.internal.logging.MetricStore;
import io.torchlight.utils.data.DataLoader;

/**
 * The {@link Trainer}: a thin facade. Plug-ins are chosen once, when it is built; each stage runs
 * through a {@link StageRunner} on the caller's thread; counters and metrics live across stages, so a
 * {@code test} after {@code fit} logs at the fitted global step.
 */
public final class DefaultTrainer implements Trainer {

    private final TrainerConfig config;
    private volatile Accelerator accelerator;
    private final Precision precision;
    private volatile java.util.function.Consumer<String> pauseListener = reason -> {
    };
    private final Strategy strategy;
    private final List<Callback> callbacks;
    private final RunState state = new RunState();
    private final Progress progress = new Progress();
    private final Hooks hooks;
    private final LoggerConnector logging;
    private final Plugins plugins;
    private final java.nio.file.Path logDir;
    private volatile RunContext current;

    public DefaultTrainer(TrainerConfig config, Plugins plugins, Hooks.HookListener listener) {
        this.config = config;
        this.plugins = plugins;
        this.accelerator = plugins.accelerator(config);
        this.precision = Precision.of(config.precision(), accelerator);
        this.strategy = plugins.strategy(config);
        java.util.function.Predicate<Callback> enabled = CallbackSwitches.of(config);
        this.callbacks = plugins.callbacks(config).stream().filter(enabled).toList();
        this.hooks = new Hooks(state, listener);
        this.logDir = config.runDir() != null ? config.runDir() : RunDirs.next(config.defaultRootDir().resolve("lightning_logs"));
        this.logging = new LoggerConnector(config.fastDevRun() > 0 ? List.of() : plugins.loggers(config), config.logEveryNSteps());
        logging.setup(logDir);
        hooks.callbacks(CallbackOrder.of(callbacks, List.of()));
        plugins.live().ifPresent(live -> {
            Isolator isolator = (plugin, what, error) -> live.isolate(plugin, what, error);
            hooks.isolator(isolator);
            logging.isolator(isolator);
        });
        hooks.callbacks("onInitStart", c -> c.onInitStart(this));
        hooks.callbacks("onInitEnd", c -> c.onInitEnd(this));
    }

    /** The logger and callback services attached now ({@code logger csv}); safe from any thread. */
    public List<String> attachedPlugins() {
        return plugins.live().map(LiveAttachments::attached).orElse(List.of());
    }

    /** Told the reason when the run pauses waiting for an accelerator, and null when it resumes. */
    public void onPause(java.util.function.Consumer<String> listener) {
        pauseListener = listener;
    }

    /** Told every warning about this trainer's plug-ins, those reported before the call included. */
    public void onWarning(java.util.function.Consumer<String> listener) {
        plugins.onReport(listener);
    }

    /** After a pause: the strategy is set up again on the accelerator that replaced the run's one. */
    private void continueOn(Accelerator next, RunContext ctx) {
        if (next != accelerator) {
            accelerator = next;
            ctx.strategy.setup(next, DeviceSpec.parse(config.devices(), next));
            ctx.strategy.moduleToDevice(ctx.module);
        }
    }

    /** The run state, e.g. to request a stop from another thread. */
    public RunState state() {
        return state;
    }

    /** The counters of this trainer's fits. */
    public Progress progress() {
        return progress;
    }

    @Override
    public void fit(LightningModule module) {
        fit(module, null, null, null);
    }

    @Override
    public void fit(LightningModule module, DataLoader train, DataLoader val) {
        fit(module, null, train, val);
    }

    @Override
    public void fit(LightningModule module, LightningDataModule data) {
        fit(module, data, null, null);
    }

    private void fit(LightningModule module, LightningDataModule data, DataLoader train, DataLoader val) {
        runner(module, data, train, val).fit(null);
    }

    @Override
    public void fit(LightningModule module, java.nio.file.Path ckptPath) {
        runner(module, null, null, null).fit(ckptPath);
    }

    @Override
    public void fit(LightningModule module, LightningDataModule data, java.nio.file.Path ckptPath) {
        runner(module, data, null, null).fit(ckptPath);
    }

    @Override
    public void saveCheckpoint(java.nio.file.Path path) {
        saveCheckpoint(path, false);
    }

    @Override
    public void saveCheckpoint(java.nio.file.Path path, boolean weightsOnly) {
        RunContext ctx = current;
        if (ctx == null) {
            throw new TorchlightException("saveCheckpoint(" + path + ") needs a module: call it during or after fit");
        }
        new CheckpointConnector(ctx).save(path, weightsOnly);
    }

    @Override
    public List<Map<String, Double>> validate(LightningModule module, String ckptPath) {
        loadWeights(module, ckptPath);
        return validate(module);
    }

    @Override
    public List<Map<String, Double>> test(LightningModule module, String ckptPath) {
        loadWeights(module, ckptPath);
        return test(module);
    }

    @Override
    public List<Map<String, Double>> test() {
        RunContext ctx = current;
        if (ctx == null) {
            throw new TorchlightException("test() without a module tests the last fitted one: call fit first, or test(module)");
        }
        LightningModule fitted = ctx.module;
        if (savedPath(true).isPresent()) {
            loadWeights(fitted, "best");
        }
        return runner(fitted, ctx.data.dataModule(), null, null).evaluate(Stage.TEST);
    }

    @Override
    public List<Object> predict(LightningModule module, String ckptPath) {
        loadWeights(module, ckptPath);
        return predict(module);
    }

    /** The best or last checkpoint a checkpointing callback (ModelCheckpoint) saved during fit. */
    private java.util.Optional<java.nio.file.Path> savedPath(boolean best) {
        return hooks.callbackList().stream().filter(c -> c instanceof io.torchlight.api.callback.CheckpointingCallback)
                .map(c -> (io.torchlight.api.callback.CheckpointingCallback) c)
                .map(c -> best ? c.bestModelPath() : c.lastModelPath()).flatMap(java.util.Optional::stream).findFirst();
    }

    private void loadWeights(LightningModule module, String ckptPath) {
        java.nio.file.Path path;
        if (ckptPath.equals("best") || ckptPath.equals("last")) {
            path = savedPath(ckptPath.equals("best")).orElseThrow(() -> new TorchlightException("ckpt_path=" + ckptPath
                    + " needs a checkpoint saved by a checkpointing callback (ModelCheckpoint) during fit; none was"));
        } else {
            path = java.nio.file.Path.of(ckptPath);
        }
        Map<String, Object> ckpt = io.torchlight.utils.checkpoint.CheckpointFile.read(path);
        if (!(ckpt.get("state_dict") instanceof Map<?, ?> state)) {
            throw new TorchlightException("checkpoint " + path + " has no state_dict");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> weights = (Map<String, Object>) state;
        io.torchlight.utils.checkpoint.StateDicts.load(module, weights, true, path.toString());
    }

    @Override
    public List<Map<String, Double>> validate(LightningModule module) {
        return runner(module, null, null, null).evaluate(Stage.VALIDATE);
    }

    @Override
    public List<Map<String, Double>> validate(LightningModule module, DataLoader val) {
        return runner(module, null, null, val).evaluate(Stage.VALIDATE);
    }

    @Override
    public List<Map<String, Double>> validate(LightningModule module, LightningDataModule data) {
        return runner(module, data, null, null).evaluate(Stage.VALIDATE);
    }

    @Override
    public List<Map<String, Double>> test(LightningModule module) {
        return runner(module, null, null, null).evaluate(Stage.TEST);
    }

    @Override
    public List<Map<String, Double>> test(LightningModule module, DataLoader test) {
        return runner(module, null, null, test).evaluate(Stage.TEST);
    }

    @Override
    public List<Map<String, Double>> test(LightningModule module, LightningDataModule data) {
        return runner(module, data, null, null).evaluate(Stage.TEST);
    }

    @Override
    public List<Object> predict(LightningModule module) {
        return flatten(runner(module, null, null, null).predict());
    }

    @Override
    public List<Object> predict(LightningModule module, DataLoader predict) {
        return flatten(runner(module, null, null, predict).predict());
    }

    @Override
    public List<Object> predict(LightningModule module, LightningDataModule data) {
        return flatten(runner(module, data, null, null).predict());
    }

    private static List<Object> flatten(List<List<Object>> perLoader) {
        List<Object> all = new ArrayList<>();
        perLoader.forEach(all::addAll);
        return all;
    }

    private StageRunner runner(LightningModule module, LightningDataModule data, DataLoader train, DataLoader eval) {
        if (state.stage() != null) {
            throw new TorchlightException("this trainer is already running " + state.stage().lightningName()
                    + ": one trainer runs one stage at a time");
        }
        hooks.module(module);
        RunContext ctx = new RunContext(this, module, config, hooks, state, strategy, logging, progress,
                new DataSources(module, data, hooks, train, eval), precision);
        java.util.Optional<AcceleratorWatch> watch = plugins.acceleratorWatch();
        java.util.Optional<LiveAttachments> live = plugins.live();
        if (watch.isPresent() || live.isPresent()) {
            ctx.stepBoundary = () -> {
                watch.ifPresent(w -> continueOn(w.check(state::interrupted, pauseListener), ctx));
                live.ifPresent(l -> l.sync(logging, hooks, logDir, module.hparams()));
            };
        }
        current = ctx;
        return new StageRunner(ctx, accelerator, callbacks);
    }

    @Override
    public TrainerConfig config() {
        return config;
    }

    @Override
    public Stage stage() {
        return state.stage();
    }

    @Override
    public boolean sanityChecking() {
        return state.sanityChecking();
    }

    @Override
    public int currentEpoch() {
        return progress.epoch();
    }

    @Override
    public long globalStep() {
        return progress.optimizerSteps();
    }

    @Override
    public boolean shouldStop() {
        return state.shouldStop();
    }

    @Override
    public void setShouldStop(boolean value) {
        state.shouldStop(value);
    }

    @Override
    public void requestStop() {
        state.requestStop();
    }

    @Override
    public boolean stopRequested() {
        return state.interrupted();
    }

    @Override
    public Map<String, Double> callbackMetrics() {
        return logging.callbackMetrics();
    }

    @Override
    public Map<String, Double> loggedMetrics() {
        return logging.loggedMetrics();
    }

    @Override
    public Map<String, Double> progressBarMetrics() {
        return logging.progressBarMetrics();
    }

    @Override
    public List<Callback> callbacks() {
        return hooks.callbackList();
    }

    @Override
    public List<Logger> loggers() {
        return logging.loggers();
    }

    @Override
    public Logger logger() {
        List<Logger> all = logging.loggers();
        return all.isEmpty() ? null : all.get(0);
    }

    @Override
    public List<LightningOptimizer> optimizers() {
        RunContext ctx = current;
        return ctx == null ? List.of() : List.copyOf(ctx.optimizers);
    }

    @Override
    public List<LrSchedulerConfig> lrSchedulers() {
        RunContext ctx = current;
        return ctx == null ? List.of() : List.copyOf(ctx.schedulers);
    }

    @Override
    public Accelerator accelerator() {
        return accelerator;
    }

    @Override
    public Strategy strategy() {
        return strategy;
    }

    @Override
    public int numTrainingBatches() {
        RunContext ctx = current;
        return ctx == null ? 0 : ctx.numTrainingBatches;
    }

    @Override
    public List<Integer> numValBatches() {
        RunContext ctx = current;
        return ctx == null ? List.of() : ctx.numValBatches;
    }

    @Override
    public java.nio.file.Path logDir() {
        return logDir;
    }

    @Override
    public boolean isGlobalZero() {
        return strategy.isGlobalZero();
    }

    @Override
    public void log(String name, Object value, LogOptions options) {
        if (state.stage() == null) {
            throw new TorchlightException("log('" + name + "') was called while the trainer runs no stage");
        }
        MetricStore store = state.evaluating() ? logging.eval() : logging.train();
        store.log(name + state.metricSuffix(), value, options, state.currentHook(), state.batchSize());
    }

    @Override
    public void close() {
        logging.close();
        plugins.release();
    }

    @Override
    public void manualBackward(Tensor loss) {
        RunContext ctx = current;
        if (ctx == null || state.stage() == null) {
            throw new TorchlightException("manualBackward() was called while the trainer runs no stage");
        }
        if (ctx.module.automaticOptimization()) {
            throw new TorchlightException("manualBackward() is for manual optimization: call automaticOptimization(false) in "
                    + ctx.moduleName() + "'s constructor, or let the trainer back-propagate the loss trainingStep returns");
        }
        Backward.run(ctx, loss, null);
    }
}
