package io.torchlight.launcher;

import java.util.Optional;

/** A reason the launcher cannot go on, worded for the user as one line. */
final class LaunchException extends Exception {

    private static final long serialVersionUID = 1L;

    LaunchException(String message) {
        super(message);
    }

    LaunchException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The most useful message in a chain: the first one that says more than "the activator failed"
     * (Felix wraps an activator's own, descriptive exception in such a generic one).
     */
    static String reason(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (m != null && !m.isBlank() && !m.startsWith("Activator start error")) {
                return m;
            }
        }
        return t.getClass().getSimpleName();
    }

    /** The innermost cause's message, when there is a cause (e.g. why Felix could not read a jar). */
    static Optional<String> rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c == t || c.getMessage() == null ? Optional.empty() : Optional.of(c.getMessage());
    }
}
