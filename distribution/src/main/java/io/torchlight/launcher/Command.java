package io.torchlight.launcher;

import java.io.PrintStream;
import java.util.List;

/** One {@code bin/torchlight <command> [key=value...]} command. */
interface Command {

    /** The word typed after {@code torchlight}. */
    String name();

    /** One line for {@code --help}. */
    String summary();

    /** Runs the command; the result is the process exit code. */
    int run(Layout layout, List<String> args, PrintStream out) throws LaunchException;
}
