package io.torchlight.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.util.tracker.ServiceTracker;

/**
 * One Felix framework with the platform bundles of {@code lib/bundles.list}, installed by reference so the
 * large runtime jars are never copied into the framework cache. {@code deploy/} and {@code etc/} are
 * watched by FileInstall.
 */
final class Container implements AutoCloseable {

    private static final long STOP_TIMEOUT_MS = 30_000;
    private static final String DASHBOARD_URL = "torchlight.dashboard.url";

    /** How the container runs: with the interactive shell, headless, or for one command-line run. */
    enum Mode {
        /** The Gogo shell reads the terminal; deploy/ and etc/ are watched; runs start by themselves. */
        SHELL,
        /** No shell; deploy/ and etc/ watched. */
        HEADLESS,
        /**
         * One command-line run: deploy/ bundles are installed up front (so the command sees every module),
         * etc/ is watched for settings, and nothing starts a run by itself.
         */
        COMMAND
    }

    private final Layout layout;
    private final Mode mode;
    private FrameworkCache cache;
    private Framework framework;

    Container(Layout layout, Mode mode) {
        this.layout = layout;
        this.mode = mode;
    }

    /** Starts the framework and every platform bundle; fails with the bundle and reason of the first failure. */
    void start() throws LaunchException {
        layout.prepare();
        GpuBuild.prepare(layout, HostLibraries.of(System.getenv()), System.err);
        cache = FrameworkCache.claim(layout.data());
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new LaunchException("no OSGi framework on the class path (lib/ is incomplete)"));
        framework = factory.newFramework(properties());
        try {
            framework.init();
            List<Bundle> bundles = install(framework.getBundleContext());
            framework.start();
            for (Bundle bundle : bundles) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    startBundle(bundle);
                }
            }
        } catch (BundleException e) {
            close();
            throw new LaunchException("the OSGi framework failed to start: " + LaunchException.reason(e), e);
        } catch (LaunchException e) {
            close();
            throw e;
        }
    }

    /**
     * Installs and starts every bundle in deploy/ (command mode); a bundle that cannot start is reported
     * on one line and skipped.
     */
    void startDeployed() throws LaunchException {
        List<Path> jars;
        try (var files = Files.list(layout.deploy())) {
            jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new LaunchException("cannot list " + layout.deploy() + ": " + e.getMessage(), e);
        }
        BundleContext context = framework.getBundleContext();
        for (Path jar : jars) {
            try {
                Bundle bundle = context.installBundle("reference:" + jar.toUri());
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    bundle.start();
                }
            } catch (BundleException e) {
                System.err.println("torchlight: " + layout.deploy().relativize(jar) + " in deploy/ not started: "
                        + LaunchException.reason(e) + LaunchException.rootCause(e).map(c -> " (" + c + ")").orElse(""));
            }
        }
    }

    /**
     * The dashboard's address with its token, once its bundle has published it (waiting up to {@code waitMillis});
     * empty when the dashboard is not installed, not serving, or did not come up in time.
     */
    Optional<String> dashboard(long waitMillis) throws InterruptedException {
        if (!webActive()) {
            return Optional.empty();
        }
        BundleContext context = framework.getBundleContext();
        ServiceTracker<Object, Object> tracker;
        try {
            tracker = new ServiceTracker<>(context, context.createFilter("(" + DASHBOARD_URL + "=*)"), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        tracker.open(true);
        try {
            // the HTTP runtime starts on its own thread; the address appears once it has an endpoint
            if (tracker.waitForService(waitMillis) == null) {
                return Optional.empty();
            }
            ServiceReference<Object> ref = tracker.getServiceReference();
            return ref == null ? Optional.empty() : Optional.of(String.valueOf(ref.getProperty(DASHBOARD_URL)));
        } finally {
            tracker.close();
        }
    }

    /** Whether the dashboard bundle is installed and started. */
    boolean webActive() {
        for (Bundle bundle : framework.getBundleContext().getBundles()) {
            if ("io.torchlight.web".equals(bundle.getSymbolicName()) && bundle.getState() == Bundle.ACTIVE) {
                return true;
            }
        }
        return false;
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    Framework framework() {
        return framework;
    }

    /** Blocks until the framework stops (the shell's {@code exit}, or a signal). */
    void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    /** Stops the framework and releases the cache; a second caller (a signal handler and the main thread) waits for the first. */
    @Override
    public synchronized void close() {
        try {
            stopFramework();
        } finally {
            if (cache != null) {
                cache.release();
                cache = null;
            }
        }
    }

    private void stopFramework() {
        if (framework == null || (framework.getState() & (Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) == 0) {
            return;
        }
        try {
            framework.stop();
            FrameworkEvent event = framework.waitForStop(STOP_TIMEOUT_MS);
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                System.err.println("torchlight: framework did not stop within " + STOP_TIMEOUT_MS / 1000 + " s");
            }
        } catch (BundleException e) {
            System.err.println("torchlight: framework stop failed: " + LaunchException.reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Framework properties; Felix also takes the logger instance here, hence the raw map. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Map<String, String> properties() {
        Map p = new HashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, cache.storage().toString());
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        p.put("felix.log.logger", new FrameworkLog(layout.logFile()));
        p.put("felix.log.level", "3");
        p.put("felix.fileinstall.dir", mode == Mode.COMMAND ? layout.etc().toString() : layout.deploy() + "," + layout.etc());
        p.put("felix.fileinstall.tmpdir", cache.fileInstallTmp().toString());
        // etc/ belongs to the user: FileInstall must never write configurations back into it
        p.put("felix.fileinstall.enableConfigSave", "false");
        p.put("felix.fileinstall.poll", "1000");
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.log.level", "2");
        // the console is opened by the launcher (InteractiveShell), on the streams whose lines it keeps apart
        p.put("gosh.args", "--nointeractive");
        if (mode == Mode.COMMAND) {
            p.put("torchlight.autostart", "false");
        }
        p.put("torchlight.home", layout.home().toString());
        p.put("torchlight.deploy.dir", layout.deploy().toString());
        p.put("torchlight.etc.dir", layout.etc().toString());
        p.put("torchlight.runs.dir", layout.runs().toString());
        p.put("torchlight.log.file", layout.logFile().toString());
        p.put("torchlight.data.dir", layout.data().toString());
        p.put("torchlight.features.dir", layout.home().resolve("features").toString());
        WebSettings.apply(layout, mode == Mode.SHELL, p);
        return (Map<String, String>) p;
    }

    private List<Bundle> install(BundleContext context) throws LaunchException {
        List<String> entries;
        try {
            entries = Files.readAllLines(layout.bundleList()).stream()
                    .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new LaunchException("cannot read " + layout.bundleList() + ": " + e.getMessage(), e);
        }
        List<Bundle> bundles = new ArrayList<>();
        for (String entry : entries) {
            Path jar = layout.home().resolve(entry);
            if (!Files.isRegularFile(jar)) {
                throw new LaunchException("platform bundle " + jar + " is missing: the distribution is incomplete, rebuild it");
            }
            try {
                bundles.add(context.installBundle("reference:" + jar.toUri()));
            } catch (BundleException e) {
                throw new LaunchException("cannot install " + jar.getFileName() + ": " + LaunchException.reason(e), e);
            }
        }
        return bundles;
    }

    private static void startBundle(Bundle bundle) throws LaunchException {
        try {
            bundle.start();
        } catch (BundleException e) {
            throw new LaunchException("cannot start " + bundle.getSymbolicName() + ": " + LaunchException.reason(e), e);
        }
    }
}
