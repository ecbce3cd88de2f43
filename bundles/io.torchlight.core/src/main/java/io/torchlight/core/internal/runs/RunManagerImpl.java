package io.torchlight.core.internal.runs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.torchlight.api.LightningDataModule;
import io.torchlight.api.LightningModule;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.run.ModuleInfo;
import io.torchlight.api.run.RunManager;
import io.torchlight.api.run.RunRequest;
import io.torchlight.api.run.RunSnapshot;
import io.torchlight.api.run.RunStatus;
import io.torchlight.core.internal.RunDirs;
import io.torchlight.core.internal.TrainerArgs;

/**
 * Runs module services on a bounded pool of run threads. Each run gets a fresh module instance (and
 * data module), a new {@code runs/<module>/version_<n>} folder, its own trainer, and a status others read.
 * A module that goes away stops its runs at the next batch boundary; a failing module fails only its run.
 */
public final class RunManagerImpl implements RunManager {

    private final Function<TrainerConfig, Trainer> trainers;
    private final Path runsDir;
    private final ExecutorService pool;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final Map<String, ModuleSource<LightningModule>> modules = new ConcurrentHashMap<>();
    private final Map<String, ModuleSource<LightningDataModule>> dataModules = new ConcurrentHashMap<>();

    public RunManagerImpl(Function<TrainerConfig, Trainer> trainers, Path runsDir, int threads) {
        this.trainers = trainers;
        this.runsDir = runsDir.toAbsolutePath();
        AtomicInteger thread = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "torchlight-run-" + thread.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** A module service appeared; autorun modules start a run. */
    public void addModule(ModuleSource<LightningModule> source) {
        modules.put(source.name(), source);
        if (autorun(source.properties())) {
            submit(autorunRequest(source));
        }
    }

    /** A module service went away: its running runs stop with the reason. */
    public void removeModule(ModuleSource<LightningModule> source) {
        modules.remove(source.name(), source);
        String reason = "module bundle " + source.bundle() + " " + source.version() + " withdrawn";
        for (Run run : runs.values()) {
            if (run.request.module().equals(source.name()) && !run.status().finished()) {
                run.stop(reason);
            }
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
                    + (dataModules.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(dataModules.keySet()))));
        }
        TrainerArgs.apply(request.trainerArgs(), TrainerConfig.builder()); // fails now, naming a bad argument
        Run run = new Run(String.valueOf(ids.incrementAndGet()), request);
        runs.put(run.id, run);
        pool.execute(() -> new RunExecution(run, this).execute());
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
    public RunSnapshot stop(String id, String reason) {
        Run run = require(id);
        run.stop(reason);
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
        new java.util.TreeMap<>(modules).forEach((name, source) -> out.add(new ModuleInfo(name, source.bundle(),
                source.version(), source.className(), autorun(source.properties()), activeRuns(name))));
        return out;
    }

    /** Stops every run and the run threads (the container is going away). */
    public void close() {
        runs.values().forEach(r -> r.stop("the container is stopping"));
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

    Path runFolder(String module) {
        return RunDirs.create(runsDir.resolve(module));
    }

    Trainer trainer(TrainerConfig config) {
        return trainers.apply(config);
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
                : String.join(", ", new java.util.TreeSet<>(modules.keySet()));
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
        return new RunRequest(source.name(), io.torchlight.api.Stage.FIT, args, Map.of(), null, "autorun");
    }

    /** Whether a run is still queued or running. */
    boolean active(RunStatus status) {
        return !status.finished();
    }
}
