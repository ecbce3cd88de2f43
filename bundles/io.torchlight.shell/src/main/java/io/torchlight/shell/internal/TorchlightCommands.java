package io.torchlight.shell.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.torchlight.api.Stage;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.run.ModuleInfo;
import io.torchlight.api.run.RunManager;
import io.torchlight.api.run.RunRequest;
import io.torchlight.api.run.RunSnapshot;

/**
 * The {@code tl:} shell commands. They return at once (runs go on in the background) and report
 * problems as one line starting with {@code tl:}.
 */
@Component(service = TorchlightCommands.class, property = {"osgi.command.scope=tl",
        "osgi.command.function=modules", "osgi.command.function=plugins", "osgi.command.function=fit",
        "osgi.command.function=validate", "osgi.command.function=test", "osgi.command.function=predict",
        "osgi.command.function=runs", "osgi.command.function=status", "osgi.command.function=stop",
        "osgi.command.function=move"})
public class TorchlightCommands {

    private final RunManager runs;
    @Activate
    public TorchlightCommands(@Reference RunManager runs) {
        this.runs = runs;
    }

    /** tl:modules - the module services: name, bundle, version, state. */
    public String modules() {
        List<ModuleInfo> modules = runs.modules();
        if (modules.isEmpty()) {
            return "no modules: drop a module bundle into deploy/";
        }
        StringBuilder out = new StringBuilder(String.format("%-16s %-40s %-20s %s%n", "NAME", "BUNDLE", "VERSION", "STATE"));
        for (ModuleInfo m : modules) {
            String state = (m.activeRuns() > 0 ? m.activeRuns() + " run(s) active" : "idle") + (m.autorun() ? ", autorun" : "");
            out.append(String.format("%-16s %-40s %-20s %s%n", m.name(), m.bundle(), m.version(), state));
        }
        return out.toString().stripTrailing();
    }

    /** tl:plugins - accelerators, strategies, loggers and callbacks with their bundles and the runs they serve. */
    public String plugins() {
        return String.join(System.lineSeparator(), Plugins.describe(runs));
    }

    /** tl:fit module [key=value...] - starts training in the background. */
    public String fit(String module, String... args) {
        return start(module, Stage.FIT, args);
    }

    /** tl:validate module [key=value...]. */
    public String validate(String module, String... args) {
        return start(module, Stage.VALIDATE, args);
    }

    /** tl:test module [key=value...]. */
    public String test(String module, String... args) {
        return start(module, Stage.TEST, args);
    }

    /** tl:predict module [key=value...]. */
    public String predict(String module, String... args) {
        return start(module, Stage.PREDICT, args);
    }

    /** tl:runs - every run with its status. */
    public String runs() {
        List<RunSnapshot> all = runs.runs();
        if (all.isEmpty()) {
            return "no runs yet: tl:fit <module> [key=value...]";
        }
        StringBuilder out = new StringBuilder();
        all.forEach(r -> out.append(Formats.status(r)).append(System.lineSeparator()));
        return out.toString().stripTrailing();
    }

    /** tl:status run - epoch, step, latest metrics and folder of one run. */
    public String status(String id) {
        return runs.run(id).map(r -> Formats.status(r) + (r.dir() == null ? "" : System.lineSeparator() + "  folder " + r.dir()))
                .orElse("tl: no run " + id + " (tl:runs lists them)");
    }

    /** tl:stop run - stops a run at its next step boundary. */
    public String stop(String id) {
        try {
            return Formats.status(runs.stop(id, "stopped by tl:stop"));
        } catch (TorchlightException e) {
            return "tl: " + e.getMessage();
        }
    }

    /** tl:move run accelerator[:device] - moves a running fit to another device at its next training step. */
    public String move(String id, String target) {
        try {
            RunSnapshot run = runs.move(id, target);
            return "run " + run.id() + " moves to " + target + " at its next training step (its run.log says when)";
        } catch (TorchlightException e) {
            return "tl: " + e.getMessage();
        }
    }

    private String start(String module, Stage stage, String[] args) {
        try {
            RunSnapshot run = runs.submit(RunRequest.parse(module, stage, List.of(args), "shell"));
            return "run " + run.id() + " queued: " + stage.lightningName() + " " + module + " (tl:status " + run.id() + ")";
        } catch (TorchlightException | IllegalArgumentException e) {
            return "tl: " + e.getMessage();
        }
    }
}
