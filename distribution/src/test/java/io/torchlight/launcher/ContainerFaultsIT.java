package io.torchlight.launcher;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The container under the faults a careless user brings, as processes: configuration files that must never be
 * rewritten, a second container on the same install, a jar in deploy/ that is not a bundle, a checkpoint
 * configuration with a bad value.
 */
public class ContainerFaultsIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder(Path.of("target").toAbsolutePath().toFile());

    private TorchlightProcess torchlight() {
        return new TorchlightProcess(tmp.getRoot().toPath());
    }

    @Test
    public void etcFilesAreNeverRewrittenAndABadCheckpointValueFailsTheRunWithExitOne() throws Exception {
        Path etc = tmp.newFolder("etc").toPath();
        Path checkpoint = Files.writeString(etc.resolve("io.torchlight.callback.checkpoint.cfg"),
                "# saved every 50 steps, said the user\nevery_n_train_steps=fifty\n");
        Path runs = Files.writeString(etc.resolve("io.torchlight.runs.cfg"), "threads = 1\n");
        FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        for (Path p : List.of(checkpoint, runs)) {
            Files.setLastModifiedTime(p, old);
        }
        byte[] checkpointBytes = Files.readAllBytes(checkpoint);
        byte[] runsBytes = Files.readAllBytes(runs);
        Map<String, String> env = Map.of("TORCHLIGHT_ETC", etc.toString(), "TORCHLIGHT_RUNS", tmp.newFolder("runs").toString());

        TorchlightProcess.Result first = torchlight().run(env, "fit", "boring", "max_epochs=1");
        TorchlightProcess.Result second = torchlight().run(env, "info");

        assertEquals(first.toString(), 1, first.code());
        assertTrue(first.out(), first.out().contains("failed") && first.out().contains("every_n_train_steps: expected an integer, got "
                + "'fifty'"));
        assertEquals(second.toString(), 0, second.code());
        for (Path p : List.of(checkpoint, runs)) {
            assertEquals(p + " was not touched", old, Files.getLastModifiedTime(p));
        }
        assertArrayEquals(checkpointBytes, Files.readAllBytes(checkpoint));
        assertArrayEquals(runsBytes, Files.readAllBytes(runs));
    }

    @Test
    public void aSecondContainerOnTheSameInstallTrainsWhileTheFirstRunsAndLeavesItsCacheBehindNoWhere() throws Exception {
        Path data = tmp.getRoot().toPath().resolve("data");
        Path shellErr = tmp.getRoot().toPath().resolve("shell.err");
        Process shell = torchlight().startShell(Map.of(), shellErr);
        try {
            Map<Path, FileTime> cacheBefore = snapshot(data.resolve("felix-cache"));

            TorchlightProcess.Result fit = torchlight().run(Map.of("TORCHLIGHT_RUNS", tmp.newFolder("runs").toString()), "fit", "boring",
                    "max_epochs=1");

            assertEquals(fit.toString(), 0, fit.code());
            assertTrue(fit.out(), fit.out().contains("boring fit: completed"));
            try (Stream<Path> entries = Files.list(data)) {
                assertFalse("the second container removed its private cache", entries.anyMatch(p -> p.getFileName().toString()
                        .startsWith("felix-cache-")));
            }
            assertEquals("the first container's cache was not wiped and rebuilt", cacheBefore, snapshot(data.resolve("felix-cache")));

            shell.destroy();
            assertTrue(shell.waitFor(60, TimeUnit.SECONDS));
            assertEquals(Files.readString(shellErr), 143, shell.exitValue());
        } finally {
            shell.destroyForcibly();
        }
    }

    private static Map<Path, FileTime> snapshot(Path folder) throws IOException {
        Map<Path, FileTime> times = new TreeMap<>();
        try (Stream<Path> entries = Files.walk(folder, 2)) {
            for (Path p : entries.toList()) {
                times.put(p, Files.getLastModifiedTime(p));
            }
        }
        return times;
    }

    @Test
    public void aJarInDeployThatIsNotABundleIsNamedOnTheConsoleAndInTheLog() throws Exception {
        Path deploy = tmp.newFolder("deploy").toPath();
        Files.writeString(deploy.resolve("half-copied.jar"), "PK not really");
        Path stderr = tmp.getRoot().toPath().resolve("shell.err");
        Process shell = torchlight().startShell(Map.of("TORCHLIGHT_DEPLOY", deploy.toString()), stderr);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(stderr).contains("half-copied.jar") && System.nanoTime() < deadline) {
                shell.waitFor(100, TimeUnit.MILLISECONDS); // FileInstall polls deploy/ once a second
            }
            shell.destroy();
            assertTrue(shell.waitFor(60, TimeUnit.SECONDS));
        } finally {
            shell.destroyForcibly();
        }
        String err = Files.readString(stderr);
        String log = Files.readString(tmp.getRoot().toPath().resolve("data/log/torchlight.log"));

        assertTrue(err, err.contains("half-copied.jar in deploy/ is not installed: not a readable jar"));
        assertTrue(log, log.contains("ERROR [io.torchlight.shell") && log.contains("half-copied.jar in deploy/ is not installed"));
    }
}
