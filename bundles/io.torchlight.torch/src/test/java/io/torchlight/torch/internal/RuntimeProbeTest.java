package io.torchlight.torch.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;

import org.bytedeco.javacpp.Loader;
import org.junit.Test;

import io.torchlight.torch.TorchRuntime;

public class RuntimeProbeTest {

    /**
     * As the activator does in the container: every native library is extracted before libtorch loads. This test
     * class is the build's first to load libtorch, so it also leaves the JavaCPP cache complete for every later test
     * JVM; loading from a cold cache while Debian's libtorch is installed crashes the JVM (see STACK.md).
     */
    @Test
    public void loadsLibtorchAndDescribesIt() throws IOException {
        int extracted = NativeLibraries.extractAll(Collections.enumeration(classpathNatives()));
        LoadedRuntime runtime = RuntimeProbe.load();

        assertTrue("natives extracted: " + extracted, extracted >= 3);

        assertTrue(runtime.libtorchVersion(), runtime.libtorchVersion().startsWith("2.10"));
        assertEquals("linux-x86_64", runtime.platform());
        assertTrue(runtime.intraOpThreads() >= 1);
        assertTrue(Files.isDirectory(runtime.cacheDir()));
        // the test classpath carries the CPU natives: CUDA must be reported unusable, with the reason
        assertFalse(runtime.cudaAvailable());
        assertTrue(runtime.cudaUnavailableReason().orElseThrow().contains("CPU-only"));
        assertEquals(runtime.libtorchVersion(), runtime.serviceProperties().get(TorchRuntime.PROPERTY_LIBTORCH_VERSION));
        assertEquals(Boolean.FALSE, runtime.serviceProperties().get(TorchRuntime.PROPERTY_CUDA_AVAILABLE));
    }

    /** The native libraries in the platform jars of the test class path, as the natives fragment carries them. */
    private static List<URL> classpathNatives() throws IOException {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.endsWith("-" + Loader.getPlatform() + ".jar")) {
                continue;
            }
            try (JarFile jar = new JarFile(entry)) {
                String base = new File(entry).toURI().toURL().toExternalForm();
                jar.stream().filter(e -> !e.isDirectory() && e.getName().matches("org/bytedeco/.*\\.so(\\..*)?"))
                        .forEach(e -> urls.add(url("jar:" + base + "!/" + e.getName())));
            }
        }
        return urls;
    }

    private static URL url(String spec) {
        try {
            return new URL(spec);
        } catch (IOException e) {
            throw new IllegalArgumentException(spec, e);
        }
    }

    @Test
    public void missingFragmentIsNamedInTheError() {
        IllegalStateException e = org.junit.Assert.assertThrows(IllegalStateException.class,
                () -> NativeLibraries.extractAll(Collections.emptyEnumeration()));
        assertTrue(e.getMessage(), e.getMessage().contains("io.torchlight.torch.linux-x86_64"));
    }

    @Test
    public void anUnusableRequestedCacheFolderIsAnErrorNamingIt() throws Exception {
        Path file = Files.createTempFile("not-a-folder", ".txt");
        String before = System.getProperty(NativeLibraries.CACHE_DIR_PROPERTY);
        System.setProperty(NativeLibraries.CACHE_DIR_PROPERTY, file.resolve("cache").toString());
        try {
            IllegalStateException e = org.junit.Assert.assertThrows(IllegalStateException.class,
                    NativeLibraries::requireRequestedCacheDir);
            assertTrue(e.getMessage(), e.getMessage().contains(file.resolve("cache").toString()));
        } finally {
            if (before == null) {
                System.clearProperty(NativeLibraries.CACHE_DIR_PROPERTY);
            } else {
                System.setProperty(NativeLibraries.CACHE_DIR_PROPERTY, before);
            }
            Files.delete(file);
        }
    }
}
