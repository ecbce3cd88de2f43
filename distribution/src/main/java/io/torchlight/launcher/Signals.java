package io.torchlight.launcher;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import sun.misc.Signal;

/**
 * Stops the container cleanly on SIGINT and SIGTERM and makes the process exit with the conventional
 * code (128 + signal number), saying so on the console.
 */
final class Signals {

    private volatile int exitCode = -1;
    private final CountDownLatch handled = new CountDownLatch(1);

    /** Installs the handlers for this container; call before starting it. */
    void stopOnTermination(Container container) {
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), signal -> {
                // recorded first, so a main thread woken by the stop exits with this code too
                exitCode = 128 + signal.getNumber();
                System.err.println("torchlight: SIG" + signal.getName() + " received, stopping the container");
                container.close();
                System.err.println("torchlight: stopped, exit code " + exitCode);
                System.err.flush();
                handled.countDown();
                Runtime.getRuntime().halt(exitCode);
            });
        }
    }

    /**
     * The exit code a signal asked for, else the given one. After a signal the main thread (woken by the stop)
     * waits for the handler to finish, so the process does not exit before the handler has said so.
     */
    int exitCode(int otherwise) {
        if (exitCode < 0) {
            return otherwise;
        }
        try {
            handled.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return exitCode;
    }
}
