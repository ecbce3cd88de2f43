package io.torchlight.core.internal.runs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

import io.torchlight.api.LightningDataModule;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Stage;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.run.MetricRecord;
import io.torchlight.api.run.ModuleInfo;
import io.torchlight.api.run.RunManager;
import io.torchlight.api.run.RunRequest;
import io.torchlight.api.run.RunSnapshot;
import io.torchlight.api.run.RunStatus;
import io.torchlight.core.internal.RunDirs;
import io.torchlight.core.internal.TrainerArgs;
import io.torchlight.core.internal.TrainerSession;
import io.torchlight.core.internal.TrainerSetup;

/**
 * Runs module services, at most {@code threads} at a time (more wait in line). Each run gets a fresh module
 * instance (and data module), a new {@code runs/<module>/version_<n>} folder, its own trainer, and a status
 * others read. A module that goes away stops its runs at the next batch boundary; a failing module fails only
 * its run; a run asked to stop that does not within the stop timeout is marked failed and its slot freed.
 * A module name belongs to the first bundle that registers it: a second registration is refused, with an error
 * naming both bundles, and takes over only when the first goes away.
 */
public final class RunManagerImpl implements RunManager {

    /** How runs are scheduled: how many train at once, and how long a stop may take before the run is abandoned. */
    public record Options(int threads, Duration stopTimeout) {
        public Options {
            threads = Math.max(1, threads);
        }

        public static Options defaults() {
            return new Options(1, Duration.ofSeconds(60));
        }
    }

    private final Function<TrainerSetup, TrainerSession> trainers;
    private final Path runsDir;
    private final Consumer<String> warnings;
    private volatile BiConsumer<String, Throwable> errors;
    private volatile Options options;
    private volatile DdpWorkers.Home workerHome;
    private final RunSlots slots;
    private final ExecutorService pool;
    private final ScheduledExecutorService watchdog;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final Map<String, ModuleSource<LightningModule>> modules = new ConcurrentHashMap<>();
    /** Registrations of a name that another bundle already holds, in arrival order. */
    private final Map<String, List<ModuleSource<LightningModule>>> refused = new ConcurrentHashMap<>();
    private final Map<String, ModuleSource<LightningDataModule>> dataModules = new ConcurrentHashMap<>();

    public RunManagerImpl(Function<TrainerSetup, TrainerSession> trainers, Path runsDir, int threads) {
        this(trainers, runsDir, new Options(threads, Options.defaults().stopTimeout()), System.err::println);
    }

    public RunManagerImpl(Function<TrainerSetup, TrainerSession> trainers, Path runsDir, Options options, Consumer<String> warnings) {
        this.trainers = trainers;
        this.runsDir = runsDir.toAbsolutePath();
        this.warnings = warnings;
        this.options = options;
        this.slots = new RunSlots(options.threads());
        AtomicInteger thread = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> daemon(r, "torchlight-run-" + thread.incrementAndGet()));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "torchlight-run-watchdog"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * The distribution this container runs from, so a {@code strategy=ddp devices=N} run can start its other ranks as
     * worker processes; without it (a container not started by bin/torchlight) such a run is refused with the reason.
     */
    public void distribution(Path home, Path data) {
        workerHome = new DdpWorkers.Home(home, data);
    }

    DdpWorkers.Home workerHome() {
        return workerHome;
    }

    /** New scheduling options; a larger thread count lets waiting runs start at once. */
    public void options(Options value) {
        options = value;
        slots.limit(value.threads());
    }

    /** A module service appeared; autorun modules start a run. A name already held by another bundle is refused. */
    public synchronized void addModule(ModuleSource<LightningModule> source) {
        ModuleSource<LightningModule> holder = modules.putIfAbsent(source.name(), source);
        if (holder != null && holder != source) {
            refused.computeIfAbsent(source.name(), n -> new CopyOnWriteArrayList<>()).add(source);
            warnings.accept("module name '" + source.name() + "' of bundle " + source.bundle() + " " + source.version()
                    + " is refused: bundle " + holder.bundle() + " " + holder.version() + " already registers it. Rename one "
                    + "(torchlight.module.name) or remove one of the bundles; the refused one takes over if the other goes away");
            return;
        }
        if (autorun(source.properties())) {
            submit(autorunRequest(source));
        }
    }

    /** A module service went away: its running runs stop with the reason; a refused registration of its name takes over. */
    public synchronized void removeModule(ModuleSource<LightningModule> source) {
        List<ModuleSource<LightningModule>> waiting = refused.computeIfAbsent(source.name(), n -> new CopyOnWriteArrayList<>());
        if (!modules.remove(source.name(), source)) {
            waiting.remove(source);
            return;
        }
        String reason = "module bundle " + source.bundle() + " " + source.version() + " withdrawn";
        for (Run run : runs.values()) {
            if (run.request.module().equals(source.name()) && !run.status().finished()) {
                stop(run, reason);
            }
        }
        if (!waiting.isEmpty()) {
            ModuleSource<LightningModule> next = waiting.remove(0);
            warnings.accept("module name '" + source.name() + "' now belongs to bundle " + next.bundle() + " " + next.version());
            addModule(next);
        }
    }

    public void addDataModule(ModuleSource<LightningDataModule> source) {
        dataModules.put(source.name(), source);
    }

    public void removeDataModule(ModuleSource<LightningDataModule> source) {
        dataModules.remove(source.name(), source);
    }

    @Override
    public RunSnapshot submit(RunRequest request) {
        if (!modules.containsKey(request.module())) {
            throw new TorchlightException("unknown module '" + request.module() + "'; available: " + available());
        }
        if (request.dataModule() != null && !dataModules.containsKey(request.dataModule())) {
            throw new TorchlightException("unknown data module '" + request.dataModule() + "'; available: "
                    + (dataModules.isEmpty() ? "none" : String.join(", ", new TreeSet<>(dataModules.keySet()))));
        }
        TrainerArgs.parse(request.trainerArgs()); // fails now, naming a bad argument
        Run run = new Run(String.valueOf(ids.incrementAndGet()), request);
        runs.put(run.id, run);
        pool.execute(() -> queueAndRun(run));
        return run.snapshot();
    }

    @Override
    public List<RunSnapshot> runs() {
        List<RunSnapshot> out = new ArrayList<>();
        runs.values().stream().sorted((a, b) -> Integer.compare(Integer.parseInt(a.id), Integer.parseInt(b.id)))
                .forEach(r -> out.add(r.snapshot()));
        return out;
    }

    @Override
    public Optional<RunSnapshot> run(String id) {
        return Optional.ofNullable(runs.get(id)).map(Run::snapshot);
    }

    @Override
    public List<String> attachedPlugins(String id) {
        Run run = runs.get(id);
        return run == null ? List.of() : run.plugins();
    }

    @Override
    public Optional<RunRequest> request(String id) {
        return Optional.ofNullable(runs.get(id)).map(r -> r.request);
    }

    @Override
    public List<MetricRecord> metrics(String id, long fromSeq) {
        Run run = runs.get(id);
        return run == null ? List.of() : run.metrics(fromSeq);
    }

    private void queueAndRun(Run run) {
        try {
            if (!slots.acquire(() -> run.status().finished())) {
                return; // stopped while queued
            }
        } catch (InterruptedException e) {
            run.finish(RunStatus.FAILED, "the container stopped before the run could start");
            return;
        }
        run.holdSlot(slots::release);
        try {
            new RunExecution(run, this).execute();
        } finally {
            run.releaseSlot();
        }
    }

    @Override
    public RunSnapshot stop(String id, String reason) {
        Run run = require(id);
        stop(run, reason);
        return run.snapshot();
    }

    /** Asks the run to stop; if it has not ended within the stop timeout, it is abandoned as failed. */
    private void stop(Run run, String reason) {
        run.stop(reason);
        slots.wake();
        if (!run.status().finished()) {
            Duration timeout = options.stopTimeout();
            watchdog.schedule(() -> run.abandon("did not stop within " + timeout.toSeconds() + " s of the stop request ("
                    + reason + "); its thread may still be stuck in a step"), timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public RunSnapshot move(String id, String target) {
        Run run = require(id);
        run.move(target);
        return run.snapshot();
    }

    @Override
    public RunSnapshot await(String id, Duration timeout) throws InterruptedException {
        Run run = require(id);
        run.await(timeout.toMillis());
        return run.snapshot();
    }

    @Override
    public List<ModuleInfo> modules() {
        List<ModuleInfo> out = new ArrayList<>();
        new TreeMap<>(modules).forEach((name, source) -> out.add(new ModuleInfo(name, source.bundle(),
                source.version(), source.className(), autorun(source.properties()), activeRuns(name))));
        return out;
    }

    /** Stops every run and the run threads (the container is going away). */
    public void close() {
        runs.values().forEach(r -> r.stop("the container is stopping"));
        slots.wake();
        watchdog.shutdownNow();
        pool.shutdown();
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }

    // ---- used by RunExecution ------------------------------------------------------------------------

    ModuleSource<LightningModule> module(String name) {
        return modules.get(name);
    }

    ModuleSource<LightningDataModule> dataModule(String name) {
        return name == null ? null : dataModules.get(name);
    }

    /** A new {@code version_<n>} folder, or the existing one a request continues in. */
    Path runFolder(String module, Integer version) {
        if (version == null) {
            return RunDirs.create(runsDir.resolve(module));
        }
        Path dir = runsDir.resolve(module).resolve("version_" + version);
        if (!Files.isDirectory(dir)) {
            throw new TorchlightException("version=" + version + ": " + dir + " does not exist (leave version out for a new folder)");
        }
        return dir;
    }

    void warn(String message) {
        warnings.accept(message);
    }

    /** Where errors with their traces go (the container's log); without it, the message goes to the warnings. */
    public void onError(BiConsumer<String, Throwable> value) {
        errors = value;
    }

    void error(String message, Throwable error) {
        BiConsumer<String, Throwable> to = errors;
        if (to == null) {
            warnings.accept(message);
        } else {
            to.accept(message, error);
        }
    }

    TrainerSession session(TrainerSetup setup) {
        return trainers.apply(setup);
    }

    private Run require(String id) {
        Run run = runs.get(id);
        if (run == null) {
            throw new TorchlightException("no run " + id + "; runs: " + (runs.isEmpty() ? "none" : runs.keySet()));
        }
        return run;
    }

    private String available() {
        return modules.isEmpty() ? "none (drop a module bundle into deploy/)"
                : String.join(", ", new TreeSet<>(modules.keySet()));
    }

    private int activeRuns(String module) {
        return (int) runs.values().stream().filter(r -> r.request.module().equals(module) && !r.status().finished()).count();
    }

    private static boolean autorun(Map<String, Object> properties) {
        return Boolean.parseBoolean(String.valueOf(properties.get(AUTORUN)));
    }

    private static RunRequest autorunRequest(ModuleSource<LightningModule> source) {
        Map<String, String> args = new LinkedHashMap<>();
        source.properties().forEach((k, v) -> {
            if (k.startsWith(TRAINER_PREFIX)) {
                args.put(k.substring(TRAINER_PREFIX.length()), String.valueOf(v));
            }
        });
        String loggers = args.remove("loggers");
        String callbacks = args.remove("callbacks");
        return new RunRequest(source.name(), Stage.FIT, args, Map.of(), null, "autorun", false, null, null, loggers, callbacks);
    }
}
