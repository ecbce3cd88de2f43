package io.torchlight.core.internal.runs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.LightningDataModule;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Stage;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.api.run.RunManager;
import io.torchlight.api.run.RunStatus;
import io.torchlight.core.internal.TrainerArgs;
import io.torchlight.core.internal.TrainerSession;
import io.torchlight.core.internal.TrainerSetup;

/** One run, on its run thread: fresh module, run folder, trainer, the stage, then the outcome. */
public final class RunExecution {

    private final Run run;
    private final RunManagerImpl manager;

    RunExecution(Run run, RunManagerImpl manager) {
        this.run = run;
        this.manager = manager;
    }

    /** Runs the request to its end: whatever is thrown (an OutOfMemoryError too), the run ends with a status. */
    void execute() {
        RunLog log = null;
        try {
            if (run.status().finished()) {
                return; // stopped while queued
            }
            ModuleSource<LightningModule> source = manager.module(run.request.module());
            if (source == null) {
                run.finish(RunStatus.FAILED, "module " + run.request.module() + " went away before the run started");
                return;
            }
            Path dir = manager.runFolder(run.request.module(), run.request.version());
            run.folder(dir);
            log = new RunLog(dir);
            execute(source, dir, log);
        } catch (Throwable e) {
            String stopped = run.stopReason();
            fail(log, stopped != null ? stopped + "; then: " + reason(e) : reason(e), e);
        }
    }

    private void execute(ModuleSource<LightningModule> source, Path dir, RunLog log) {
        log.line("run " + run.id + ": " + run.request.stage().lightningName() + " " + run.request.module() + " from "
                + source.bundle() + " " + source.version() + " (" + run.request.source() + ") args " + run.request.trainerArgs());
        LightningModule module;
        try {
            seedBeforeCreation();
            module = source.create();
        } catch (Throwable e) {
            fail(log, "module " + source.name() + " could not be created: " + reason(e), e);
            return;
        }
        ModuleSource<LightningDataModule> dataSource = manager.dataModule(run.request.dataModule());
        LightningDataModule data = null;
        DdpWorkers workers = null;
        try {
            data = dataSource == null ? null : dataSource.create();
            module.saveHyperparameters(hparams(source.properties(), run.request.hparams()));
            TrainerConfig config = TrainerArgs.apply(run.request.trainerArgs(), TrainerConfig.builder()
                    .defaultRootDir(dir.getParent())).build();
            Path ckpt = checkpoint(run.request.ckptPath(), dir.getParent());
            workers = DdpWorkers.start(run.id, run.request, config, ckpt, manager.workerHome(), System.getenv()).orElse(null);
            if (workers != null) {
                log.line(workers.describe());
            }
            TrainerSetup setup = new TrainerSetup(config, TrainerPlugins.none().withCallback(new StatusPublisher(run)),
                    run.request.loggers(), run.request.callbacks(), dir, workers == null ? Map.of() : workers.rankZero());
            try (TrainerSession session = manager.session(setup)) {
                Trainer trainer = session.trainer();
                run.started(dir, session);
                session.onPause(why -> {
                    run.paused(why);
                    log.line(why == null ? "resumed" : "paused: " + why);
                });
                session.onWarning(warning -> log.line("warning: " + warning));
                run.notes(log::line);
                stage(trainer, module, data, ckpt);
                run.publish(trainer.view());
                if (run.stopReason() != null && run.request.stage() == Stage.FIT) {
                    // a stopped fit can be resumed: tl:fit <module> ckpt_path=last
                    Path last = dir.resolve("checkpoints").resolve("last.ckpt");
                    trainer.saveCheckpoint(last, false);
                    log.line("stopped at step " + trainer.view().globalStep() + "; checkpoint " + last);
                }
            }
            if (workers != null) {
                List<String> problems = workers.finish(true);
                workers = null;
                problems.forEach(log::line);
                if (!problems.isEmpty()) {
                    throw new TorchlightException("rank 0 ended, but " + String.join("; ", problems));
                }
            }
            String stopped = run.stopReason();
            if (stopped != null) {
                log.line("stopped: " + stopped);
                run.finish(RunStatus.STOPPED, stopped);
            } else {
                log.line("completed");
                run.finish(RunStatus.COMPLETED, null);
            }
        } catch (Throwable e) {
            String stopped = run.stopReason();
            fail(log, stopped != null ? stopped + "; then: " + reason(e) : reason(e), e);
        } finally {
            if (workers != null) {
                workers.finish(false).forEach(log::line);
            }
            source.release(module);
            if (data != null) {
                dataSource.release(data);
            }
        }
    }

    /** With a seed, the module's initial weights are reproducible too (Lightning's seed_everything before the model). */
    private void seedBeforeCreation() {
        String seed = run.request.trainerArgs().get("seed");
        if (seed != null) {
            try {
                org.bytedeco.pytorch.global.torch.manual_seed(Long.parseLong(seed.trim()));
            } catch (NumberFormatException e) {
                // TrainerArgs rejected it at submit; nothing to seed
            }
        }
    }

    /** {@code last}: the newest checkpoint of this module's runs; else a file; null when none was asked for. */
    static Path checkpoint(String ckptPath, Path moduleRuns) {
        if (ckptPath == null) {
            return null;
        }
        if (ckptPath.equals("last")) {
            try (Stream<Path> files = Files.walk(moduleRuns, 3)) {
                return files.filter(p -> p.toString().endsWith(".ckpt") && p.getParent().getFileName().toString().equals("checkpoints"))
                        .max(Comparator.comparingLong(RunExecution::modified))
                        .orElseThrow(() -> new TorchlightException("ckpt_path=last: no checkpoint under "
                                + moduleRuns + " (runs write checkpoints into version_<n>/checkpoints/)"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Path path = Path.of(ckptPath);
        if (!Files.isRegularFile(path)) {
            throw new TorchlightException("ckpt_path: checkpoint " + path + " does not exist");
        }
        return path;
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private void stage(Trainer trainer, LightningModule module, LightningDataModule dataModule, Path ckptFile) {
        Data data = dataModule == null ? Data.fromModule() : Data.of(dataModule);
        CkptPath ckpt = ckptFile == null ? CkptPath.NONE : CkptPath.of(ckptFile);
        switch (run.request.stage()) {
            case FIT -> {
                trainer.fit(module, data, ckpt);
                if (run.request.testAfterFit() && !trainer.view().stopRequested()) {
                    trainer.test(module, data, CkptPath.NONE);
                }
            }
            case VALIDATE -> trainer.validate(module, data, ckpt);
            case TEST -> trainer.test(module, data, ckpt);
            case PREDICT -> trainer.predict(module, data, ckpt);
        }
    }

    /**
     * Ends the run failed; the trace goes to run.log when the run has a folder. A run that failed before its trainer
     * existed, with nothing in its folder but run.log (a module that cannot be created, an accelerator that is not
     * there), leaves no folder: the trace goes to the container's log, and the run's status holds the one line.
     */
    private void fail(RunLog log, String reason, Throwable error) {
        try {
            if (log != null && (run.trainerStarted() || !log.onlyFileOfItsFolder())) {
                log.error("failed: " + reason, error);
            } else {
                if (log != null) {
                    log.removeWithItsFolder();
                    run.folder(null);
                }
                manager.error("run " + run.id + " (" + run.request.module() + ") failed before its first step: " + reason, error);
            }
        } finally {
            run.finish(RunStatus.FAILED, reason);
        }
    }

    private static Map<String, Object> hparams(Map<String, Object> properties, Map<String, Object> requested) {
        Map<String, Object> out = new LinkedHashMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith(RunManager.HPARAMS_PREFIX)) {
                out.put(k.substring(RunManager.HPARAMS_PREFIX.length()), HyperparameterText.typed(v));
            }
        });
        requested.forEach((k, v) -> out.put(k, HyperparameterText.typed(v)));
        return out;
    }

    /** The error's own message, with its class when that says more than the message. */
    static String reason(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            Throwable cause = e.getCause();
            return cause != null && cause != e ? reason(cause) : e.getClass().getName();
        }
        return e instanceof TorchlightException ? message : e.getClass().getSimpleName() + ": " + message;
    }
}
