package io.torchlight.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The GPU distribution (built and run only with {@code mvn -Pgpu verify}): on a host with every CUDA library it needs
 * it trains (on the GPU, or on the CPU when libtorch sees no device); on a host without them it stops at once with
 * one line naming each missing library and what provides it, exit 1, never a JVM crash or a stack trace.
 */
public class GpuDistributionIT {

    private static final Path DIST = Path.of(System.getProperty("torchlight.gpu.dist", "target/torchlight-gpu")).toAbsolutePath();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void itTrainsOrSaysInOneLineWhichCudaLibrariesTheHostLacks() throws Exception {
        Path work = tmp.newFolder().toPath();
        Path fragment = GpuBuild.fragment(new Layout(DIST, work, work, work, work)).orElseThrow();
        Map<String, String> missing = GpuBuild.missing(fragment, HostLibraries.of(System.getenv()));
        ProcessBuilder builder = new ProcessBuilder(DIST.resolve("bin/torchlight").toString(), "fit", "boring",
                "max_epochs=1", "limit_train_batches=4", "limit_val_batches=0").directory(work.toFile());
        builder.environment().put("TORCHLIGHT_DATA", work.resolve("data").toString());
        builder.environment().put("TORCHLIGHT_RUNS", work.resolve("runs").toString());
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("finished in time", process.waitFor(300, TimeUnit.SECONDS));

        try (var files = Files.list(work)) {
            assertTrue("no JVM crash report", files.noneMatch(f -> f.getFileName().toString().startsWith("hs_err")));
        }
        assertFalse(err, err.contains("Exception") || err.contains("\tat "));
        if (missing.isEmpty()) {
            assertEquals(out + err, 0, process.exitValue());
            assertTrue(out, out.contains("completed"));
        } else {
            assertEquals(out + err, 1, process.exitValue());
            List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
            assertEquals(err, 1, lines.size());
            assertTrue(err, lines.get(0).startsWith("torchlight: the GPU build needs CUDA libraries this host lacks"));
            missing.keySet().forEach(soname -> assertTrue(soname, lines.get(0).contains(soname)));
        }
    }
}
