package io.torchlight.itests.support;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/** Waits for service and bundle states through framework events, never by sleeping. */
public final class Await {

    /** Generous enough for a cold 2-core CI machine; a passing test never waits this long. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Await() {
    }

    /**
     * The first service matching the filter, waiting for it to be registered. The test keeps using it
     * until the framework stops (closing a tracker would unget it, and SCR deactivates a delayed
     * component nobody uses, unbinding its dynamic references).
     */
    public static <T> T service(BundleContext context, Class<T> type, String filter) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, filter(context, type, filter), null);
        tracker.open();
        try {
            if (tracker.waitForService(TIMEOUT.toMillis()) == null) {
                throw new AssertionError("no " + type.getName() + " service matching " + filter + " within " + TIMEOUT);
            }
            return context.getService(tracker.getServiceReference());
        } finally {
            tracker.close();
        }
    }

    /** Waits until no service matching the filter is registered. */
    public static void serviceGone(BundleContext context, Class<?> type, String filter)
            throws InterruptedException, InvalidSyntaxException {
        Filter f = filter(context, type, filter);
        CountDownLatch gone = new CountDownLatch(1);
        ServiceListener listener = event -> {
            if (event.getType() == ServiceEvent.UNREGISTERING && registeredCount(context, f) <= 1) {
                gone.countDown();
            }
        };
        context.addServiceListener(listener, f.toString());
        try {
            if (registeredCount(context, f) == 0) {
                return;
            }
            if (!gone.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(type.getName() + " service matching " + filter + " still registered after " + TIMEOUT);
            }
        } finally {
            context.removeServiceListener(listener);
        }
    }

    /** Waits until no bundle with this symbolic name is installed. */
    public static void bundleGone(BundleContext context, String symbolicName) throws InterruptedException {
        CountDownLatch gone = new CountDownLatch(1);
        BundleListener listener = event -> {
            if (event.getType() == BundleEvent.UNINSTALLED && symbolicName.equals(event.getBundle().getSymbolicName())) {
                gone.countDown();
            }
        };
        context.addBundleListener(listener);
        try {
            if (Arrays.stream(context.getBundles()).noneMatch(b -> symbolicName.equals(b.getSymbolicName()))) {
                return;
            }
            if (!gone.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("bundle " + symbolicName + " still installed after " + TIMEOUT);
            }
        } finally {
            context.removeBundleListener(listener);
        }
    }

    /**
     * Waits until the supplier returns a non-empty value. For states no framework event announces (a
     * run's progress, a file appearing); re-checks every 20 ms up to {@link #TIMEOUT}.
     */
    public static <T> T condition(Supplier<Optional<T>> check, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Optional<T> value = check.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still waiting for " + what + " after " + TIMEOUT);
            }
            LockSupport.parkNanos(20_000_000L);
        }
    }

    private static int registeredCount(BundleContext context, Filter f) {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences((String) null, f.toString());
            return refs == null ? 0 : refs.length;
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Filter filter(BundleContext context, Class<?> type, String filter) {
        String objectClass = "(objectClass=" + type.getName() + ")";
        try {
            return context.createFilter(filter == null ? objectClass : "(&" + objectClass + filter + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad filter " + filter, e);
        }
    }
}
