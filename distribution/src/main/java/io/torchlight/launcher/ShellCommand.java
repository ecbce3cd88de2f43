package io.torchlight.launcher;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

/** {@code torchlight} or {@code torchlight shell}: the container with an interactive Gogo shell. */
final class ShellCommand implements Command {

    private static final long DASHBOARD_WAIT_MS = 5_000;

    private final Signals signals;

    ShellCommand(Signals signals) {
        this.signals = signals;
    }

    @Override
    public String name() {
        return "shell";
    }

    @Override
    public String summary() {
        return "start the container with an interactive shell (the default); 'exit' or Ctrl-D stops it";
    }

    @Override
    public int run(Layout layout, List<String> args, PrintStream out) throws LaunchException {
        if (!args.isEmpty()) {
            throw new LaunchException("shell takes no arguments, got " + args);
        }
        // the process's own streams: once Gogo runs, System.in/out/err are its per-thread switches, which would route the
        // console's output back into itself
        InputStream in = System.in;
        PrintStream err = System.err;
        Container container = new Container(layout, Container.Mode.SHELL);
        signals.stopOnTermination(container);
        container.start();
        try {
            out.println("Torchlight is running. Drop bundles into " + layout.deploy() + ", configurations into "
                    + layout.etc() + ". Type 'help' for commands, 'exit' to stop.");
            if (container.webActive()) {
                container.dashboard(DASHBOARD_WAIT_MS).ifPresentOrElse(url -> out.println("Dashboard: " + url),
                        () -> out.println("Dashboard: not serving (see " + layout.logFile() + ")"));
            }
            out.flush();
            // the console's first prompt comes after the banner (the Gogo bundle's own console printed it before)
            InteractiveShell.open(container.context(), in, out, err);
            container.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            container.close();
        }
        return 0;
    }
}
