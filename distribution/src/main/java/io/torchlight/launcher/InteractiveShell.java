package io.torchlight.launcher;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The interactive Gogo console, on the process's own stdin, stdout and stderr (as they were before Gogo replaced them). The Gogo
 * shell bundle would open its console on the raw file descriptors, where the launcher's {@link ConsoleLines} cannot
 * see the prompt; so it starts without one ({@code gosh.args=--nointeractive}) and the launcher opens the console
 * through the {@code CommandProcessor} service, after its banner. The Gogo API is not on the launcher's class path,
 * hence the reflective calls. {@code exit} or the end of the input stops the framework, as before.
 */
final class InteractiveShell {

    private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final String SESSION = "org.apache.felix.service.command.CommandSession";
    private static final long WAIT_MS = 10_000;

    private InteractiveShell() {
    }

    /** Opens the console on a thread of its own; an error says why it could not. */
    static void open(BundleContext context, InputStream in, PrintStream out, PrintStream err) throws LaunchException {
        try {
            ServiceReference<?> reference = context.getServiceReference(PROCESSOR);
            if (reference == null) {
                throw new LaunchException("the Gogo shell is not installed (no " + PROCESSOR + " service)");
            }
            Object processor = context.getService(reference);
            ClassLoader gogo = processor.getClass().getClassLoader();
            Method create = gogo.loadClass(PROCESSOR).getMethod("createSession", InputStream.class, OutputStream.class,
                    OutputStream.class);
            Object session = create.invoke(processor, in, out, err);
            Class<?> sessionType = gogo.loadClass(SESSION);
            Method get = sessionType.getMethod("get", String.class);
            Method execute = sessionType.getMethod("execute", CharSequence.class);
            long deadline = System.currentTimeMillis() + WAIT_MS;
            while (get.invoke(session, "gogo:gosh") == null) { // the shell bundle registers its commands when it starts
                if (System.currentTimeMillis() > deadline) {
                    throw new LaunchException("the Gogo shell's commands did not appear within " + WAIT_MS / 1000 + " s");
                }
                Thread.sleep(10);
            }
            Thread console = new Thread(() -> {
                try {
                    // Gogo's profile makes 'exit' java.lang.System.exit(int); here it stops the framework cleanly
                    execute.invoke(session, "exit = { (bundle 0) stop }");
                    execute.invoke(session, "gosh --login");
                } catch (InvocationTargetException e) {
                    if (!(e.getCause() instanceof InterruptedException)) { // interrupted: the framework is stopping
                        err.println("torchlight: the shell ended: " + LaunchException.reason(e.getCause()));
                    }
                } catch (ReflectiveOperationException e) {
                    err.println("torchlight: the shell ended: " + e);
                }
            }, "Gogo console");
            console.setDaemon(true);
            console.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (InvocationTargetException e) {
            throw new LaunchException("the shell could not open its console: " + LaunchException.reason(e.getCause()), e);
        } catch (ReflectiveOperationException e) {
            throw new LaunchException("the shell could not open its console: " + e, e);
        }
    }
}
