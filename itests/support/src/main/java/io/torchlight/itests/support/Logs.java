package io.torchlight.itests.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogReaderService;

/** Reads the OSGi log, where the framework's error events and components' errors end up. */
public final class Logs {

    private Logs() {
    }

    /** Every ERROR entry logged so far, as "bundle: message: exception" lines. */
    public static List<String> errors(BundleContext context) {
        return entries(context, LogLevel.ERROR);
    }

    /** Every WARN entry logged so far, as "bundle: message: exception" lines. */
    public static List<String> warnings(BundleContext context) {
        return entries(context, LogLevel.WARN);
    }

    private static List<String> entries(BundleContext context, LogLevel level) {
        LogReaderService reader;
        try {
            reader = Await.service(context, LogReaderService.class, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while looking for the log", e);
        }
        List<String> errors = new ArrayList<>();
        for (LogEntry entry : Collections.list(reader.getLog())) {
            if (entry.getLogLevel() == level) {
                errors.add((entry.getBundle() == null ? "?" : entry.getBundle().getSymbolicName()) + ": "
                        + entry.getMessage() + (entry.getException() == null ? "" : ": " + entry.getException()));
            }
        }
        return errors;
    }
}
