package io.torchlight.launcher;

import java.io.PrintStream;
import java.util.List;

import org.osgi.framework.ServiceReference;

/** {@code torchlight info}: starts the container headless, prints what it runs on, and exits. */
final class InfoCommand implements Command {

    static final String TORCH_RUNTIME = "io.torchlight.torch.TorchRuntime";

    private final Versions versions;
    private final Signals signals;

    InfoCommand(Versions versions, Signals signals) {
        this.versions = versions;
        this.signals = signals;
    }

    @Override
    public String name() {
        return "info";
    }

    @Override
    public String summary() {
        return "print Torchlight, Felix and libtorch versions, threads, CUDA status and folders, then exit";
    }

    @Override
    public int run(Layout layout, List<String> args, PrintStream out) throws LaunchException {
        if (!args.isEmpty()) {
            throw new LaunchException("info takes no arguments, got " + args);
        }
        long start = System.nanoTime();
        try (Container container = new Container(layout, Container.Mode.HEADLESS)) {
            signals.stopOnTermination(container);
            container.start();
            ServiceReference<?> torch = container.context().getServiceReference(TORCH_RUNTIME);
            if (torch == null) {
                throw new LaunchException("the libtorch runtime service is missing: io.torchlight.torch did not start (see "
                        + layout.logFile() + ")");
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            out.println("Torchlight " + versions.torchlight());
            row(out, "Felix", container.framework().getVersion().toString());
            row(out, "libtorch", torch.getProperty("torchlight.libtorch.version") + " (presets "
                    + torch.getProperty("torchlight.presets.version") + ", " + torch.getProperty("torchlight.platform") + ")");
            row(out, "threads", torch.getProperty("torchlight.threads.intraop") + " intra-op (OpenBLAS "
                    + System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "default") + ")");
            row(out, "CUDA", Boolean.TRUE.equals(torch.getProperty("torchlight.cuda.available"))
                    ? "available, " + torch.getProperty("torchlight.cuda.devices") + " device(s)"
                    : "unavailable: " + torch.getProperty("torchlight.cuda.reason"));
            row(out, "java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
            row(out, "home", layout.home().toString());
            row(out, "deploy", layout.deploy().toString());
            row(out, "etc", layout.etc().toString());
            row(out, "runs", layout.runs().toString());
            row(out, "natives", String.valueOf(torch.getProperty("torchlight.javacpp.cachedir")));
            row(out, "log", layout.logFile().toString());
            row(out, "dashboard", WebSettings.runningDashboard(layout).map(url -> url + " (the running shell's)")
                    .orElse("served by the shell (bin/torchlight), none running now"));
            row(out, "started", "in " + millis + " ms");
            return 0;
        }
    }

    private static void row(PrintStream out, String key, String value) {
        out.printf("  %-9s %s%n", key, value);
    }
}
