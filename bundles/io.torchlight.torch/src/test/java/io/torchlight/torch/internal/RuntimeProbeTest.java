package io.torchlight.torch.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;

import org.junit.Test;

import io.torchlight.torch.TorchRuntime;

public class RuntimeProbeTest {

    @Test
    public void loadsLibtorchAndDescribesIt() {
        LoadedRuntime runtime = RuntimeProbe.load();

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
