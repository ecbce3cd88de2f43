package io.torchlight.shell.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.torchlight.api.Stage;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.run.ModuleInfo;
import io.torchlight.api.run.RunManager;
import io.torchlight.api.run.RunRequest;
import io.torchlight.api.run.RunSnapshot;
import io.torchlight.api.run.RunStatus;

/**
 * What {@code bin/torchlight fit|validate|test|predict|modules ...} runs inside the container: one run,
 * progress lines while it trains, a final summary, and the process exit code (0 success, 1 failure,
 * 2 bad arguments). Offered to the launcher as a plain {@link Function} service, so the launcher needs
 * none of Torchlight's types.
 */
@Component(service = Function.class, property = CommandLineRunner.PROPERTY + "=fit,validate,test,predict,modules")
public class CommandLineRunner implements Function<List<String>, Integer> {

    /** Service property naming the commands this service runs. */
    public static final String PROPERTY = "torchlight.cli";

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    private final RunManager runs;
    private final PrintStream out;

    @Activate
    public CommandLineRunner(@Reference RunManager runs) {
        this(runs, System.out);
    }

    CommandLineRunner(RunManager runs, PrintStream out) {
        this.runs = runs;
        this.out = out;
    }

    @Override
    public Integer apply(List<String> args) {
        if (args.isEmpty()) {
            out.println("torchlight: expected a command: fit, validate, test, predict or modules");
            return 2;
        }
        String command = args.get(0);
        if (command.equals("modules")) {
            return modules();
        }
        Stage stage;
        try {
            stage = Stage.valueOf(command.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            out.println("torchlight: unknown command '" + command + "'");
            return 2;
        }
        if (args.size() < 2) {
            out.println("torchlight: " + command + " needs a module: torchlight " + command + " <module> [key=value...]"
                    + " (modules: " + names() + ")");
            return 2;
        }
        String module = args.get(1);
        RunSnapshot run;
        try {
            run = runs.submit(RunRequest.parse(module, stage, args.subList(2, args.size()), "command line"));
        } catch (TorchlightException | IllegalArgumentException e) {
            out.println("torchlight: " + e.getMessage());
            return e.getMessage() != null && e.getMessage().startsWith("unknown module") ? 1 : 2;
        }
        try {
            return follow(run.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runs.stop(run.id(), "interrupted");
            return 130;
        }
    }

    private int follow(String id) throws InterruptedException {
        RunSnapshot run = runs.run(id).orElseThrow();
        out.println("run " + id + ": " + run.stage().lightningName() + " " + run.module());
        String last = "";
        while (!run.status().finished()) {
            run = runs.await(id, PROGRESS_EVERY);
            String line = Formats.status(run);
            if ((run.status() == RunStatus.RUNNING || run.status() == RunStatus.PAUSED) && !line.equals(last)) {
                out.println(line);
                last = line;
            }
        }
        out.println(Formats.status(run));
        if (run.dir() != null) {
            out.println("outputs: " + run.dir());
        }
        return run.status() == RunStatus.COMPLETED ? 0 : 1;
    }

    private int modules() {
        List<ModuleInfo> modules = runs.modules();
        if (modules.isEmpty()) {
            out.println("no modules: drop a module bundle into deploy/");
            return 0;
        }
        modules.forEach(m -> out.println(String.format("%-16s %s %s", m.name(), m.bundle(), m.version())));
        return 0;
    }

    private String names() {
        List<ModuleInfo> modules = runs.modules();
        return modules.isEmpty() ? "none" : String.join(", ", modules.stream().map(ModuleInfo::name).toList());
    }
}
