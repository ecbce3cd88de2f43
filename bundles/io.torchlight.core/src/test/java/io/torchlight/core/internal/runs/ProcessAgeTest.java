package io.torchlight.core.internal.runs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Test;

/** The process's age for run.log's "after the process started": from /proc, not a second off as the JDK's can be. */
public class ProcessAgeTest {

    @Test
    public void readsTheStartTicksAfterACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (java (my) app) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 1 0 0 20 0 30 0 123456 9000 700 "
                + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
        // started 1234.56 s after boot, now 1240.01 s after boot
        assertEquals(5450, ProcessAge.fromProc(stat, "1240.01 2000.00\n"));
    }

    @Test
    public void agreesWithTheJvmsOwnUptimeWithinTheTickResolution() throws Exception {
        if (!Files.isReadable(Path.of("/proc/self/stat"))) {
            return; // not Linux: the JDK's figure is used, and there is nothing of ours to check
        }
        long jvm = ManagementFactory.getRuntimeMXBean().getUptime();
        long age = ProcessAge.millis().orElseThrow();
        long jvmAfter = ManagementFactory.getRuntimeMXBean().getUptime();
        // the process began a little before the JVM counted its start: ticks (10 ms) and uptime (10 ms) round down;
        // the JDK's startInstant, built on a boot time in whole seconds, is commonly hundreds of ms over
        assertTrue("process age " + age + " ms against JVM uptime " + jvm + " ms", age >= jvm - 30);
        assertTrue("process age " + age + " ms against JVM uptime " + jvmAfter + " ms", age <= jvmAfter + 300);
    }
}
