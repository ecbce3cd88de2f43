package io.torchlight.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The GPU distribution's start check, on a distribution folder and host library folders made on disk. */
public class GpuBuildTest {

    private static final String LIST = String.join("\n", "# soname = provider",
            "libcudart.so.13 = CUDA runtime (cuda-redist)",
            "libcublas.so.13 = cuBLAS 13 (CUDA 13 toolkit)",
            "libcudnn.so.9 = cuDNN 9 for CUDA 13",
            "libcudnn_ops.so.9 = cuDNN 9 for CUDA 13",
            "libnccl.so.2 = NCCL 2 for CUDA 13");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @After
    public void clearExtension() {
        System.clearProperty(GpuBuild.EXTENSION);
    }

    private Layout distribution(boolean gpu) throws IOException {
        Path home = tmp.newFolder("dist").toPath();
        Files.createDirectories(home.resolve("lib"));
        Files.createDirectories(home.resolve("bundles"));
        String fragment = gpu ? GpuBuild.FRAGMENT : "io.torchlight.torch.linux-x86_64";
        Files.writeString(home.resolve("lib/bundles.list"), "# generated\nbundles/io.torchlight.torch-0.1.0.jar\nbundles/"
                + fragment + "-0.1.0.jar\n");
        try (OutputStream file = Files.newOutputStream(home.resolve("bundles/" + fragment + "-0.1.0.jar"));
                ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.putNextEntry(new ZipEntry("org/bytedeco/cuda/linux-x86_64/libcudart.so.13"));
            zip.closeEntry();
            if (gpu) {
                zip.putNextEntry(new ZipEntry(GpuBuild.LIBRARIES));
                zip.write(LIST.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return new Layout(home, home.resolve("deploy"), home.resolve("etc"), home.resolve("runs"), home.resolve("data"));
    }

    private HostLibraries host(String... libraries) throws IOException {
        Path dir = tmp.newFolder().toPath();
        for (String name : libraries) {
            Files.createFile(dir.resolve(name));
        }
        return new HostLibraries(List.of(dir), Set.of());
    }

    @Test
    public void missingLibrariesStopTheStartWithOneLineNamingEachAndItsProvider() throws Exception {
        Layout layout = distribution(true);

        LaunchException e = assertThrows(LaunchException.class, () -> GpuBuild.prepare(layout, host("libcublas.so.13"),
                new PrintStream(OutputStream.nullOutputStream())));

        String line = e.getMessage();
        assertFalse("one line", line.contains("\n"));
        assertTrue(line, line.contains("libcudnn.so.9, libcudnn_ops.so.9 from cuDNN 9 for CUDA 13; libnccl.so.2 from NCCL 2"));
        assertTrue(line, line.contains("no NVIDIA driver (libcuda.so.1)"));
        assertFalse("carried by the fragment", line.contains("libcudart"));
        assertFalse("on the host", line.contains("libcublas"));
        assertEquals("-gpu", System.getProperty(GpuBuild.EXTENSION));
    }

    @Test
    public void withEveryLibraryThereOnlyAMissingDriverIsSaidAndTheStartGoesOn() throws Exception {
        Layout layout = distribution(true);
        ByteArrayOutputStream said = new ByteArrayOutputStream();

        GpuBuild.prepare(layout, host("libcublas.so.13", "libcudnn.so.9", "libcudnn_ops.so.9", "libnccl.so.2"),
                new PrintStream(said, true, StandardCharsets.UTF_8));

        assertTrue(said.toString(StandardCharsets.UTF_8), said.toString(StandardCharsets.UTF_8).contains("no NVIDIA driver"));
        assertEquals(Map.of(), GpuBuild.missing(GpuBuild.fragment(layout).orElseThrow(),
                host("libcublas.so.13", "libcudnn.so.9", "libcudnn_ops.so.9", "libnccl.so.2")));
    }

    @Test
    public void theCpuDistributionIsLeftAlone() throws Exception {
        Layout layout = distribution(false);

        GpuBuild.prepare(layout, host(), new PrintStream(OutputStream.nullOutputStream()));

        assertTrue(GpuBuild.fragment(layout).isEmpty());
        assertNull(System.getProperty(GpuBuild.EXTENSION));
    }
}
