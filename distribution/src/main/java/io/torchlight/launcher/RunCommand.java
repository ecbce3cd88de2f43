package io.torchlight.launcher;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.util.tracker.ServiceTracker;

/**
 * {@code torchlight fit|validate|test|predict <module> [key=value...]} and {@code torchlight modules}: starts
 * the container headless with deploy/ installed, hands the words to the container's command-line runner
 * (a {@code Function<List<String>, Integer>} service with {@code torchlight.cli}), and exits with its code.
 */
final class RunCommand implements Command {

    private static final long WAIT_MS = 60_000;

    private final String name;
    private final String summary;
    private final Signals signals;

    RunCommand(String name, String summary, Signals signals) {
        this.name = name;
        this.summary = summary;
        this.signals = signals;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String summary() {
        return summary;
    }

    @Override
    public int run(Layout layout, List<String> args, PrintStream out) throws LaunchException {
        Optional<DdpLauncher> ddp = DdpLauncher.of(args, System.getenv());
        if (ddp.isPresent()) {
            ddp.get().start(layout, name, args, out);
        }
        int code;
        try (Container container = new Container(layout, Container.Mode.COMMAND)) {
            signals.stopOnTermination(container);
            container.start();
            container.startDeployed();
            Function<List<String>, Integer> runner = runner(container.context());
            List<String> words = new ArrayList<>();
            words.add(name);
            words.addAll(args);
            code = runner.apply(words);
        } catch (LaunchException | RuntimeException e) {
            ddp.ifPresent(DdpLauncher::stop); // this rank cannot run: its workers would wait for it until the timeout
            throw e;
        }
        return ddp.isPresent() ? ddp.get().finish(code, System.err) : code;
    }

    @SuppressWarnings("unchecked")
    private static Function<List<String>, Integer> runner(BundleContext context) throws LaunchException {
        Filter filter;
        try {
            filter = context.createFilter("(&(objectClass=java.util.function.Function)(torchlight.cli=*))");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, filter, null);
        tracker.open();
        try {
            Object service = tracker.waitForService(WAIT_MS);
            if (service == null) {
                throw new LaunchException("the container's command-line runner did not start within " + WAIT_MS / 1000
                        + " s (io.torchlight.shell or io.torchlight.core is not active; see the log)");
            }
            return (Function<List<String>, Integer>) service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted while starting", e);
        } finally {
            tracker.close();
        }
    }
}
