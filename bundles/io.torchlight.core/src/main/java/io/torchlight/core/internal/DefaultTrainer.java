package io.torchlight.core.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.bytedeco.pytorch.Tensor;

import io.torchlight.api.Callback;
import io.torchlight.api.CheckpointingCallback;
import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.LightningDataModule;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Stage;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerView;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.strategy.ReduceOp;
import io.torchlight.api.strategy.Strategy;
import io.torchlight.core.internal.checkpoint.CheckpointConnector;
import io.torchlight.core.internal.hooks.CallbackOrder;
import io.torchlight.core.internal.hooks.Hook;
import io.torchlight.core.internal.hooks.Hooks;
import io.torchlight.core.internal.hooks.Isolator;
import io.torchlight.core.internal.logging.LoggerConnector;
import io.torchlight.core.internal.logging.MetricSink;
import io.torchlight.core.internal.logging.MetricSync;
import io.torchlight.core.internal.logging.Warnings;
import io.torchlight.core.internal.loops.DataSources;
import io.torchlight.core.internal.loops.Progress;
import io.torchlight.core.internal.loops.RunContext;
import io.torchlight.core.internal.loops.RunLimits;
import io.torchlight.core.internal.loops.RunState;
import io.torchlight.core.internal.loops.StageRunner;
import io.torchlight.core.internal.plugins.AcceleratorWatch;
import io.torchlight.core.internal.plugins.CallbackSwitches;
import io.torchlight.core.internal.plugins.DeviceSpec;
import io.torchlight.core.internal.plugins.LiveAttachments;
import io.torchlight.core.internal.plugins.Plugins;
import io.torchlight.core.internal.precision.PrecisionPlugin;
import io.torchlight.core.internal.profiler.ProfiledStages;
import io.torchlight.utils.checkpoint.CheckpointFile;
import io.torchlight.utils.checkpoint.StateDicts;
import io.torchlight.utils.data.DataLoader;

/**
 * The {@link Trainer}: a thin facade. Plug-ins are chosen once, when it is built; each stage runs through a
 * {@link StageRunner} on the caller's thread; counters and metrics live across stages, so a {@code test} after
 * {@code fit} logs at the fitted global step. Building it touches no file and calls no hook: {@link #open} fires
 * {@code onInitStart}/{@code onInitEnd}, and the run folder is made when the first stage starts.
 */
public final class DefaultTrainer implements Trainer, TrainerSession {

    final TrainerConfig config;
    final RunLimits limits;
    final PrecisionPlugin precision;
    final Strategy strategy;
    private final ProfiledStages stages;
    final Warnings warnings = new Warnings();
    final RunState state = new RunState(warnings::once);
    final Progress progress = new Progress();
    final Hooks hooks;
    final LoggerConnector logging;
    volatile Accelerator accelerator;
    volatile RunContext current;
    private final Path runDir;
    private final List<Callback> callbacks;
    private final Plugins plugins;
    private final TrainerView view = new LiveView(this);
    private volatile Consumer<String> pauseListener = reason -> {
    };
    private volatile Path logDir;
    private volatile DeviceMove pendingMove;

    private DefaultTrainer(TrainerSetup setup, Plugins plugins, Hooks.HookListener listener) {
        this.config = setup.config();
        this.runDir = setup.runDir();
        this.limits = RunLimits.of(config);
        this.plugins = plugins;
        this.accelerator = plugins.accelerator(setup);
        this.precision = PrecisionPlugin.of(config.precision(), accelerator);
        this.strategy = plugins.strategy(setup);
        this.callbacks = plugins.callbacks(setup).stream().filter(CallbackSwitches.of(config, strategy.isGlobalZero())).toList();
        this.hooks = new Hooks(state, listener);
        this.stages = new ProfiledStages(plugins.profiler(setup).orElse(null), hooks);
        this.logging = new LoggerConnector(config.fastDevRun() > 0 || !config.logger() ? List.of() : plugins.loggers(setup),
                config.logEveryNSteps());
        logging.writes(strategy.isGlobalZero()); // Lightning's rank_zero_only: with several processes rank 0 alone logs
        logging.sync(new MetricSync() { // logged values are reduced across processes through the strategy
            @Override
            public Tensor reduce(Tensor value, ReduceOp op, List<Integer> group) {
                return strategy.reduce(value, op, group);
            }

            @Override
            public boolean active() {
                return strategy.worldSize() > 1;
            }
        });
        hooks.callbacks(CallbackOrder.of(callbacks, List.of()));
        plugins.live().ifPresent(live -> {
            Isolator isolator = (plugin, what, error) -> live.isolate(plugin, what, error);
            hooks.isolator(isolator);
            logging.isolator(isolator);
        });
    }

    /** A trainer for this setup, after its callbacks' {@code onInitStart} and {@code onInitEnd}. */
    public static DefaultTrainer open(TrainerSetup setup, Plugins plugins, Hooks.HookListener listener) {
        DefaultTrainer trainer = new DefaultTrainer(setup, plugins, listener);
        trainer.hooks.callbacks(Hook.ON_INIT_START, c -> c.onInitStart(trainer.view));
        trainer.hooks.callbacks(Hook.ON_INIT_END, c -> c.onInitEnd(trainer.view));
        return trainer;
    }

    @Override
    public Trainer trainer() {
        return this;
    }

    @Override
    public TrainerView view() {
        return view;
    }

    @Override
    public List<String> attachedPlugins() {
        return plugins.live().map(LiveAttachments::attached).orElse(List.of());
    }

    @Override
    public void onPause(Consumer<String> listener) {
        pauseListener = listener;
    }

    @Override
    public void onWarning(Consumer<String> listener) {
        plugins.onReport(listener);
        warnings.listen(listener);
    }

    @Override
    public void onMetrics(MetricSink sink) {
        logging.sink(sink);
    }

    /** The run folder, made (and given to the loggers) the first time it is needed. */
    synchronized Path logDir() {
        if (logDir == null) {
            if (runDir != null) {
                logDir = runDir;
            } else if (strategy.worldSize() == 1) {
                logDir = RunDirs.next(config.defaultRootDir().resolve("lightning_logs"));
            } else { // every rank uses the folder rank 0 made (Lightning broadcasts trainer.log_dir)
                String made = strategy.isGlobalZero() ? RunDirs.next(config.defaultRootDir().resolve("lightning_logs")).toString() : null;
                logDir = Path.of(strategy.broadcast(made));
            }
            logging.setup(logDir);
        }
        return logDir;
    }

    @Override
    public void fit(LightningModule module, Data data, CkptPath ckpt) {
        Path from = ckpt.isNone() ? null : checkpointFile(ckpt);
        profiled(Stage.FIT, () -> {
            runner(module, data.dataModule(), data.loader(), data.valLoaders()).fit(from);
            return null;
        });
    }

    @Override
    public List<Map<String, Double>> validate(LightningModule module, Data data, CkptPath ckpt) {
        loadWeights(module, ckpt);
        return profiled(Stage.VALIDATE, () -> evalRunner(module, data, !data.valLoaders().isEmpty() ? data.valLoaders()
                : data.loaders()).evaluate(Stage.VALIDATE));
    }

    @Override
    public List<Map<String, Double>> test(LightningModule module, Data data, CkptPath ckpt) {
        loadWeights(module, ckpt);
        return profiled(Stage.TEST, () -> evalRunner(module, data, data.loaders()).evaluate(Stage.TEST));
    }

    /** Runs a stage; with a profiler, its report goes into the run folder afterwards, whatever the stage's outcome. */
    private <T> T profiled(Stage stage, Supplier<T> run) {
        try {
            return stages.run(stage, this::logDir, run);
        } finally {
            DeviceMove move = takeMove();
            if (move != null) {
                move.done.completeExceptionally(new TorchlightException("not moved to " + move.describe() + ": the "
                        + stage.lightningName() + " ended before its next training step"));
            }
        }
    }

    /**
     * Asks the fit to go on on device {@code index} of {@code target} from its next training step: parameters,
     * buffers and every optimizer state tensor move there (see {@link DeviceMove}). Refused at once, naming why, when
     * the trainer is not fitting, spans several processes, or the target cannot run it; the future completes on the
     * training thread when the move is done, or exceptionally when it was not (the run then goes on where it was).
     */
    public CompletableFuture<String> moveTo(Accelerator target, int index) {
        if (state.stage() != Stage.FIT) {
            throw new TorchlightException("a run moves between training steps: this trainer is "
                    + (state.stage() == null ? "not running" : "running " + state.stage().lightningName() + ", not fit"));
        }
        if (strategy.worldSize() > 1) {
            throw new TorchlightException("moving is for runs on one device: strategy " + strategy.name() + " spans "
                    + strategy.worldSize() + " processes");
        }
        if (!target.isAvailable()) {
            throw new TorchlightException("accelerator " + target.name() + " is not available: "
                    + target.unavailableReason().orElse("no reason given"));
        }
        if (index < 0 || index >= target.deviceCount()) {
            throw new TorchlightException("accelerator " + target.name() + " has " + target.deviceCount()
                    + " device(s): there is no device " + index);
        }
        if (!target.precisions().contains(config.precision())) {
            throw new TorchlightException("precision=" + config.precision() + " is not supported by accelerator "
                    + target.name() + ": this run cannot move there");
        }
        DeviceMove move = new DeviceMove(target, index);
        synchronized (this) {
            if (pendingMove != null) {
                throw new TorchlightException("a move to " + pendingMove.describe() + " is pending already: it happens at "
                        + "the next training step");
            }
            pendingMove = move;
        }
        return move.done;
    }

    @Override
    public CompletableFuture<String> move(String target) {
        int colon = target.indexOf(':');
        String name = colon < 0 ? target : target.substring(0, colon);
        int index;
        try {
            index = colon < 0 ? 0 : Integer.parseInt(target.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new TorchlightException("move target '" + target + "': the device after ':' must be a number, e.g. cuda:1");
        }
        return moveTo(plugins.acceleratorNamed(name), index);
    }

    private synchronized DeviceMove takeMove() {
        DeviceMove move = pendingMove;
        pendingMove = null;
        return move;
    }

    /** At a step boundary, on the training thread: carries out a requested move. */
    private void applyMove(RunContext ctx) {
        if (pendingMove == null) {
            return; // the usual step: one volatile read, no lock
        }
        DeviceMove move = takeMove();
        if (move == null) {
            return;
        }
        try {
            String done = move.apply(ctx, accelerator);
            accelerator = move.target();
            move.done.complete(done);
        } catch (DeviceMove.Refused e) {
            move.done.completeExceptionally(e); // nothing moved: the run goes on where it was
        } catch (RuntimeException e) {
            move.done.completeExceptionally(e);
            throw new TorchlightException("moving the run to " + move.describe() + " failed part way: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Object> predict(LightningModule module, Data data, CkptPath ckpt) {
        loadWeights(module, ckpt);
        List<List<Object>> perLoader = profiled(Stage.PREDICT, () -> evalRunner(module, data, data.loaders()).predict());
        if (perLoader.size() > 1) {
            return new ArrayList<>(perLoader); // Lightning: a list of predictions per dataloader
        }
        List<Object> all = new ArrayList<>();
        perLoader.forEach(all::addAll);
        return all;
    }

    @Override
    public void saveCheckpoint(Path path, boolean weightsOnly) {
        RunContext ctx = current;
        if (ctx == null) {
            throw new TorchlightException("saveCheckpoint(" + path + ") needs a module: call it during or after fit");
        }
        new CheckpointConnector(ctx).save(path, weightsOnly);
    }

    /** The file behind {@code best}, {@code last} (what the checkpointing callback saved during fit) or a path. */
    private Path checkpointFile(CkptPath ckpt) {
        return ckpt.file().orElseGet(() -> hooks.callbackList().stream()
                .filter(CheckpointingCallback.class::isInstance).map(CheckpointingCallback.class::cast)
                .map(c -> ckpt.isBest() ? c.bestModelPath() : c.lastModelPath()).flatMap(Optional::stream).findFirst()
                .orElseThrow(() -> new TorchlightException("ckpt_path=" + ckpt + " needs a checkpoint saved by a checkpointing "
                        + "callback (ModelCheckpoint) during this trainer's fit; none was: pass a file instead")));
    }

    private void loadWeights(LightningModule module, CkptPath ckpt) {
        if (ckpt.isNone()) {
            return;
        }
        Path path = checkpointFile(ckpt);
        Map<String, Object> saved = CheckpointFile.read(path);
        if (!(saved.get("state_dict") instanceof Map<?, ?> state)) {
            throw new TorchlightException("checkpoint " + path + " has no state_dict");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> weights = (Map<String, Object>) state;
        StateDicts.load(module, weights, true, path.toString());
    }

    /** A runner for an evaluation stage; {@code loaders} are the stage's loaders given directly (empty: none). */
    private StageRunner evalRunner(LightningModule module, Data data, List<DataLoader> loaders) {
        return runner(module, data.dataModule(), null, loaders);
    }

    private StageRunner runner(LightningModule module, LightningDataModule data, DataLoader train, List<DataLoader> eval) {
        if (state.stage() != null) {
            throw new TorchlightException("this trainer is already running " + state.stage().lightningName()
                    + ": one trainer runs one stage at a time");
        }
        Path dir = logDir();
        hooks.module(module);
        Optional<AcceleratorWatch> watch = plugins.acceleratorWatch();
        Optional<LiveAttachments> live = plugins.live();
        RunContext ctx = new RunContext(view, module, config, limits, hooks, state, strategy, logging, progress,
                new DataSources(module, data, hooks, train, eval), precision, warnings, running -> {
                    watch.ifPresent(w -> continueOn(w.check(state::interrupted, pauseListener), running));
                    applyMove(running);
                    live.ifPresent(l -> l.sync(logging, hooks, dir, module.hparams()));
                });
        current = ctx;
        return new StageRunner(ctx, accelerator, callbacks, new ModuleLink(this, ctx));
    }

    /**
     * After a pause: the run goes on on the accelerator that replaced its one, optimizer states moved along on one
     * device as by {@link #moveTo}.
     */
    private void continueOn(Accelerator next, RunContext ctx) {
        if (next == accelerator) {
            return;
        }
        List<Integer> devices = DeviceSpec.parse(config.devices(), next, ctx.strategy);
        try {
            if (devices.size() == 1) {
                new DeviceMove(next, devices.get(0)).apply(ctx, accelerator);
                accelerator = next;
                return;
            }
        } catch (DeviceMove.Refused e) {
            // the run goes on regardless (its accelerator is gone): the parameters move, that optimizer's state stays
            warnings.once("the optimizer state stays where it was on " + next.name() + ": " + e.getMessage());
        }
        ctx.strategy.setup(next, devices);
        ctx.strategy.moduleToDevice(ctx.module);
        accelerator = next;
    }

    @Override
    public void close() {
        logging.close();
        plugins.release();
    }
}
