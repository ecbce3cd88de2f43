package io.torchlight.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Runs the built distribution's {@code bin/torchlight} as a separate process, from another directory. */
public class DistributionSmokeIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder(Path.of("target").toAbsolutePath().toFile());

    @Test
    public void infoPrintsVersionsAndExitsZeroWithAnEmptyNativeCache() throws Exception {
        Path cache = tmp.newFolder("javacpp-cache").toPath();

        TorchlightProcess.Result result = run(Map.of("TORCHLIGHT_JAVA_OPTS", "-Dorg.bytedeco.javacpp.cachedir=" + cache), "info");

        assertEquals(result.toString(), 0, result.code());
        assertTrue(result.out(), result.out().contains("libtorch  2.10"));
        assertTrue(result.out(), result.out().contains("Felix     7.0"));
        assertTrue(result.out(), result.out().contains("CUDA      unavailable: "));
        assertTrue(result.out(), result.out().contains("natives   " + cache.toRealPath()));
        assertTrue("natives were extracted", Files.isRegularFile(cache.resolve("linux-x86_64/libtorch_cpu.so")));
    }

    @Test
    public void fitTrainsTheBoringExampleAndPrintsTheFinalMetrics() throws Exception {
        Path runs = tmp.newFolder("runs").toPath();

        TorchlightProcess.Result result = run(Map.of("TORCHLIGHT_RUNS", runs.toString()), "fit", "boring", "max_epochs=1");

        assertEquals(result.toString(), 0, result.code());
        assertTrue(result.out(), result.out().contains("run 1 boring fit: completed, epoch 1, step 64 on cpu"));
        assertTrue(result.out(), result.out().contains("train_loss_epoch=") && result.out().contains("val_loss="));
        assertTrue(Files.readString(runs.resolve("boring/version_0/metrics.csv")).startsWith("train_loss_step,"));
    }

    @Test
    public void theAdvancedProfilerSamplesTheTrainingThreadInsideTheContainer() throws Exception {
        Path runs = tmp.newFolder("runs").toPath();

        TorchlightProcess.Result result = run(Map.of("TORCHLIGHT_RUNS", runs.toString()), "fit", "boring", "max_epochs=1",
                "profiler=advanced");

        assertEquals(result.toString(), 0, result.code());
        String report = Files.readString(runs.resolve("boring/version_0/fit-profiler.txt"));
        assertTrue(report, report.startsWith("FIT Profiler Report"));
        assertTrue("JFR is reachable from the profiler bundle: " + report, report.contains("sampled every 5 ms by JFR"));
    }

    @Test
    public void fitOfAnUnknownModuleNamesTheAvailableOnes() throws Exception {
        TorchlightProcess.Result result = run(Map.of("TORCHLIGHT_RUNS", tmp.newFolder("runs").toString()), "fit", "nosuchmodule");

        assertEquals(result.toString(), 1, result.code());
        assertTrue(result.out(), result.out().contains("unknown module 'nosuchmodule'; available: boring"));
    }

    @Test
    public void aBadTrainerValueNamesTheKeyAndType() throws Exception {
        TorchlightProcess.Result result = run(Map.of("TORCHLIGHT_RUNS", tmp.newFolder("runs").toString()), "fit", "boring", "max_epochs=abc");

        assertEquals(result.toString(), 2, result.code());
        assertTrue(result.out(), result.out().contains("max_epochs: expected an integer"));
    }

    @Test
    public void anUnwritableFolderFailsFastWithOneLine() throws Exception {
        Path blocker = Files.writeString(tmp.newFile("not-a-folder").toPath(), "x");

        TorchlightProcess.Result result = run(Map.of("TORCHLIGHT_RUNS", blocker.resolve("runs").toString()), "info");

        assertEquals(result.toString(), 1, result.code());
        assertEquals(result.err(), 1, result.err().lines().count());
        assertTrue(result.err(), result.err().startsWith("torchlight: cannot create folder") && result.err().contains("TORCHLIGHT_RUNS"));
    }

    /** 'exit' as the banner says: the framework stops cleanly (Gogo's profile had made it System.exit(int), an error). */
    @Test
    public void exitInTheShellStopsTheContainer() throws Exception {
        Path stderr = tmp.getRoot().toPath().resolve("shell-exit.err");
        Process shell = new TorchlightProcess(tmp.getRoot().toPath()).startShell(Map.of(), stderr);
        try {
            shell.getOutputStream().write("exit\n".getBytes(StandardCharsets.UTF_8));
            shell.getOutputStream().flush();

            assertTrue("stopped in time", shell.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, shell.exitValue());
            String err = Files.readString(stderr);
            assertTrue(err, !err.contains("Exception") && !err.contains("Cannot coerce"));
        } finally {
            shell.destroyForcibly();
        }
    }

    @Test
    public void theShellStopsCleanlyOnSigterm() throws Exception {
        Path stderr = tmp.getRoot().toPath().resolve("shell.err");
        Process shell = new TorchlightProcess(tmp.getRoot().toPath()).startShell(Map.of(), stderr);
        try {
            shell.destroy(); // SIGTERM; also closes our ends of its pipes, hence stderr goes to a file

            assertTrue("stopped in time", shell.waitFor(60, TimeUnit.SECONDS));
            assertEquals(143, shell.exitValue());
            String err = Files.readString(stderr);
            assertTrue(err, err.contains("SIGTERM received") && err.contains("stopped, exit code 143"));
        } finally {
            shell.destroyForcibly();
        }
    }

    private TorchlightProcess.Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return new TorchlightProcess(tmp.getRoot().toPath()).run(env, args);
    }
}
