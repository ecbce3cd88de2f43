package io.torchlight.launcher;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/torchlight [command] [key=value...]}. Without a command: the interactive shell. Failures end
 * with one line on stderr naming the reason, and a non-zero exit code.
 */
public final class Main {

    static final int USAGE = 2;
    static final int FAILED = 1;

    private final Map<String, Command> commands = new LinkedHashMap<>();
    private final PrintStream out;
    private final PrintStream err;

    Main(List<Command> commands, PrintStream out, PrintStream err) {
        commands.forEach(c -> this.commands.put(c.name(), c));
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        // one terminal for the shell, the runs and the log: lines of different threads never run into each other
        ConsoleLines console = new ConsoleLines();
        Charset charset = Charset.defaultCharset();
        System.setOut(console.stream(new FileOutputStream(FileDescriptor.out), charset));
        System.setErr(console.stream(new FileOutputStream(FileDescriptor.err), charset));
        Versions versions = new Versions();
        Signals signals = new Signals();
        Main main = new Main(List.of(new ShellCommand(signals), new InfoCommand(versions, signals),
                new RunCommand("fit", "train a module: fit <module> [key=value...] (e.g. max_epochs=3 hparams.lr=0.01)", signals),
                new RunCommand("validate", "validate a module: validate <module> [key=value...]", signals),
                new RunCommand("test", "test a module: test <module> [key=value...]", signals),
                new RunCommand("predict", "predict with a module: predict <module> [key=value...]", signals),
                new RunCommand("modules", "list the modules in deploy/", signals)), System.out, System.err);
        int code = main.run(List.of(args), System.getenv());
        System.out.flush();
        System.exit(signals.exitCode(code));
    }

    int run(List<String> args, Map<String, String> env) {
        String name = args.isEmpty() ? "shell" : args.get(0);
        if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
            usage(out);
            return 0;
        }
        Command command = commands.get(name);
        if (command == null) {
            err.println("torchlight: unknown command '" + name + "'; commands: " + String.join(", ", commands.keySet())
                    + " (see torchlight --help)");
            return USAGE;
        }
        try {
            Layout layout = Layout.fromEnvironment(env);
            return command.run(layout, args.isEmpty() ? List.of() : args.subList(1, args.size()), out);
        } catch (LaunchException e) {
            err.println("torchlight: " + e.getMessage());
            return FAILED;
        }
    }

    private void usage(PrintStream to) {
        to.println("usage: torchlight [command] [key=value...]");
        to.println();
        to.println("commands:");
        commands.values().forEach(c -> to.printf("  %-8s %s%n", c.name(), c.summary()));
        to.println();
        to.println("folders (environment): TORCHLIGHT_HOME, TORCHLIGHT_DEPLOY, TORCHLIGHT_ETC, TORCHLIGHT_RUNS, TORCHLIGHT_DATA");
        to.println("JVM options: TORCHLIGHT_JAVA_OPTS (e.g. -Dorg.bytedeco.javacpp.cachedir=/path for the natives cache)");
    }
}
