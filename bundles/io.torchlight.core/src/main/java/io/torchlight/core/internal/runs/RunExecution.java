package io.torchlight.core.internal.runs;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.torchlight.api.LightningDataModule;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.run.RunManager;
import io.torchlight.api.run.RunStatus;
import io.torchlight.core.internal.TrainerArgs;

/** One run, on its run thread: fresh module, run folder, trainer, the stage, then the outcome. */
final class RunExecution {

    private final Run run;
    private final RunManagerImpl manager;

    RunExecution(Run run, RunManagerImpl manager) {
        this.run = run;
        this.manager = manager;
    }

    void execute() {
        if (run.status().finished()) {
            return; // stopped while queued
        }
        ModuleSource<LightningModule> source = manager.module(run.request.module());
        if (source == null) {
            run.finish(RunStatus.FAILED, "module " + run.request.module() + " went away before the run started");
            return;
        }
        Path dir = manager.runFolder(run.request.module());
        RunLog log = new RunLog(dir);
        log.line("run " + run.id + ": " + run.request.stage().lightningName() + " " + run.request.module() + " from "
                + source.bundle() + " " + source.version() + " (" + run.request.source() + ") args " + run.request.trainerArgs());
        LightningModule module;
        try {
            seedBeforeCreation();
            module = source.create();
        } catch (RuntimeException | LinkageError e) {
            fail(log, "module " + source.name() + " could not be created: " + reason(e), e);
            return;
        }
        ModuleSource<LightningDataModule> dataSource = manager.dataModule(run.request.dataModule());
        LightningDataModule data = null;
        try {
            data = dataSource == null ? null : dataSource.create();
            module.saveHyperparameters(hparams(source.properties(), run.request.hparams()));
            TrainerConfig config = TrainerArgs.apply(run.request.trainerArgs(), TrainerConfig.builder()
                    .defaultRootDir(dir.getParent()).runDir(dir).callback(new StatusPublisher(run))).build();
            try (Trainer trainer = manager.trainer(config)) {
                run.started(dir, trainer);
                stage(trainer, module, data);
                run.publish(trainer);
            }
            String stopped = run.stopReason();
            if (stopped != null) {
                log.line("stopped: " + stopped);
                run.finish(RunStatus.STOPPED, stopped);
            } else {
                log.line("completed");
                run.finish(RunStatus.COMPLETED, null);
            }
        } catch (RuntimeException | LinkageError e) {
            String stopped = run.stopReason();
            fail(log, stopped != null ? stopped + "; then: " + reason(e) : reason(e), e);
        } finally {
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

    private void stage(Trainer trainer, LightningModule module, LightningDataModule data) {
        switch (run.request.stage()) {
            case FIT -> {
                if (data == null) {
                    trainer.fit(module);
                } else {
                    trainer.fit(module, data);
                }
                if (run.request.testAfterFit() && !trainer.stopRequested()) {
                    if (data == null) {
                        trainer.test(module);
                    } else {
                        trainer.test(module, data);
                    }
                }
            }
            case VALIDATE -> {
                if (data == null) {
                    trainer.validate(module);
                } else {
                    trainer.validate(module, data);
                }
            }
            case TEST -> {
                if (data == null) {
                    trainer.test(module);
                } else {
                    trainer.test(module, data);
                }
            }
            case PREDICT -> {
                if (data == null) {
                    trainer.predict(module);
                } else {
                    trainer.predict(module, data);
                }
            }
        }
    }

    private void fail(RunLog log, String reason, Throwable error) {
        log.error("failed: " + reason, error);
        run.finish(RunStatus.FAILED, reason);
    }

    private static Map<String, Object> hparams(Map<String, Object> properties, Map<String, Object> requested) {
        Map<String, Object> out = new LinkedHashMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith(RunManager.HPARAMS_PREFIX)) {
                out.put(k.substring(RunManager.HPARAMS_PREFIX.length()), v);
            }
        });
        out.putAll(requested);
        return out;
    }

    /** The error's own message, with its class when that says more than the message. */
    static String reason(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            Throwable cause = e.getCause();
            return cause != null && cause != e ? reason(cause) : e.getClass().getName();
        }
        return e instanceof io.torchlight.api.TorchlightException ? message : e.getClass().getSimpleName() + ": " + message;
    }
}
