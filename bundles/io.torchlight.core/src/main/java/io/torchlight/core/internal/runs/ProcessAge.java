package io.torchlight.core.internal.runs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * How long this process has been running, in milliseconds. On Linux it is read from {@code /proc}: the process's start
 * in clock ticks since boot ({@code /proc/self/stat}, field 22) against the time since boot ({@code /proc/uptime}),
 * good to about 20 ms and counting from the launcher script's start (it {@code exec}s Java in the same process).
 * The JDK's {@code ProcessHandle.Info.startInstant} is not used there: it adds the start ticks to the boot time in
 * whole seconds ({@code btime} of {@code /proc/stat}), so it reads up to a second early. Elsewhere it is what there is.
 */
final class ProcessAge {

    /** {@code USER_HZ}: the unit of the tick counts in {@code /proc}, 100 in Linux's user-space ABI. */
    private static final long TICKS_PER_SECOND = 100;

    private ProcessAge() {
    }

    static OptionalLong millis() {
        try {
            return OptionalLong.of(fromProc(Files.readString(Path.of("/proc/self/stat")), Files.readString(Path.of("/proc/uptime"))));
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.current().info().startInstant()
                    .map(start -> OptionalLong.of(Duration.between(start, Instant.now()).toMillis())).orElse(OptionalLong.empty());
        }
    }

    /** The age from the texts of {@code /proc/self/stat} and {@code /proc/uptime}. */
    static long fromProc(String stat, String uptime) {
        // the command name (field 2) is in parentheses and may hold spaces: count the fields after its closing one
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long startTicks = Long.parseLong(fields[19]); // field 22 of the whole line
        double upSeconds = Double.parseDouble(uptime.trim().split("\\s+")[0]);
        return Math.max(0, Math.round(upSeconds * 1000) - startTicks * 1000 / TICKS_PER_SECOND);
    }
}
