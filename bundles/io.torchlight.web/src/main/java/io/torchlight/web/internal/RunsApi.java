package io.torchlight.web.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.torchlight.api.Stage;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.run.RunManager;
import io.torchlight.api.run.RunRequest;
import io.torchlight.api.run.RunSnapshot;

/** What the page asks of the runs: lists, one run with its request and files, metrics, start, stop, resume. */
final class RunsApi {

    /** The longest argument text a start request may carry. */
    static final int MAX_ARGS = 8_192;
    static final int MAX_TARGET = 64;

    private final RunManager runs;

    RunsApi(RunManager runs) {
        this.runs = runs;
    }

    List<Map<String, Object>> list() {
        return runs.runs().stream().map(Views::run).toList();
    }

    Map<String, Object> detail(String id) {
        RunSnapshot run = require(id);
        Map<String, Object> out = Views.run(run);
        runs.request(id).ifPresent(q -> out.put("request", Views.request(q)));
        out.put("files", RunFiles.list(run.dir()));
        out.put("plugins", runs.attachedPlugins(id));
        out.put("resumable", resumeCheckpoint(run) != null);
        return out;
    }

    Map<String, Object> metrics(String id, String from) {
        require(id);
        long fromSeq;
        try {
            fromSeq = from == null || from.isEmpty() ? 0 : Long.parseLong(from);
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("from: expected a record number >= 0, got '" + from + "'");
        }
        if (fromSeq < 0) {
            throw HttpError.badRequest("from: expected a record number >= 0, got " + fromSeq);
        }
        return Views.metrics(id, runs.metrics(id, fromSeq));
    }

    /** Starts a run from the form's {@code module}, {@code stage} and {@code args} (key=value words), validated as the CLI does. */
    Map<String, Object> start(String module, String stage, String args) {
        if (module == null || module.isBlank()) {
            throw HttpError.badRequest("module: choose the module to run");
        }
        if (args != null && args.length() > MAX_ARGS) {
            throw HttpError.badRequest("args: at most " + MAX_ARGS + " characters, got " + args.length());
        }
        Stage parsed = stage(stage);
        List<String> words = args == null || args.isBlank() ? List.of() : Arrays.asList(args.trim().split("\\s+"));
        try {
            return Views.run(runs.submit(RunRequest.parse(module.trim(), parsed, words, "dashboard")));
        } catch (TorchlightException | IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage());
        }
    }

    Map<String, Object> stop(String id) {
        RunSnapshot run = require(id);
        if (run.status().finished()) {
            throw new HttpError(409, "run " + id + " has already ended (" + run.status().label() + ")");
        }
        return Views.run(runs.stop(id, "stopped from the dashboard"));
    }

    /** Asks a running fit to move to {@code target} ({@code cuda:0}, {@code cpu}) at its next training step, as tl:move. */
    Map<String, Object> move(String id, String target) {
        require(id);
        if (target == null || target.isBlank()) {
            throw HttpError.badRequest("target: the accelerator to move to, as cpu or cuda:0");
        }
        if (target.length() > MAX_TARGET) {
            throw HttpError.badRequest("target: at most " + MAX_TARGET + " characters, got " + target.length());
        }
        try {
            return Views.run(runs.move(id, target.trim()));
        } catch (TorchlightException e) {
            throw new HttpError(409, e.getMessage());
        }
    }

    /** A new fit of the same module and arguments from the run's {@code checkpoints/last.ckpt}. */
    Map<String, Object> resume(String id) {
        RunSnapshot run = require(id);
        Path last = resumeCheckpoint(run);
        if (last == null) {
            throw new HttpError(409, run.status().finished() ? "run " + id + " has no checkpoints/last.ckpt to resume from "
                    + "(a fit saves it when stopped, or with save_last=true)" : "run " + id + " is still " + run.status().label());
        }
        RunRequest q = runs.request(id).orElseThrow(() -> HttpError.notFound("no run " + id));
        try {
            return Views.run(runs.submit(new RunRequest(q.module(), Stage.FIT, q.trainerArgs(), q.hparams(), q.dataModule(),
                    "dashboard (resume of run " + id + ")", q.testAfterFit(), last.toString(), null, q.loggers(), q.callbacks())));
        } catch (TorchlightException | IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage());
        }
    }

    RunSnapshot require(String id) {
        if (id == null || !id.matches("[0-9]{1,9}")) {
            throw HttpError.badRequest("expected a run number, got '" + id + "'");
        }
        return runs.run(id).orElseThrow(() -> HttpError.notFound("no run " + id));
    }

    private static Path resumeCheckpoint(RunSnapshot run) {
        if (!run.status().finished() || run.stage() != Stage.FIT || run.dir() == null) {
            return null;
        }
        Path last = run.dir().resolve("checkpoints").resolve("last.ckpt");
        return Files.isRegularFile(last) ? last : null;
    }

    private static Stage stage(String stage) {
        if (stage == null || stage.isBlank()) {
            return Stage.FIT;
        }
        for (Stage s : Stage.values()) {
            if (s.lightningName().equals(stage.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw HttpError.badRequest("stage: expected fit, validate, test or predict, got '" + stage + "'");
    }
}
