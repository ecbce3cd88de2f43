package io.torchlight.torch.internal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import org.bytedeco.javacpp.Loader;

/**
 * Extracts every native library of the runtime (host bundle plus its natives fragment) into JavaCPP's
 * cache before the first torch class is initialised. Loading from a half-extracted cache can make the
 * dynamic linker pick a system libtorch (e.g. Debian's) for the missing pieces and crash the JVM.
 */
final class NativeLibraries {

    static final String CACHE_DIR_PROPERTY = "org.bytedeco.javacpp.cachedir";

    private NativeLibraries() {
    }

    /** Extracts the given library URLs, failing with a message that names the first one that did not extract. */
    static int extractAll(Enumeration<URL> libraries) {
        List<URL> urls = libraries == null ? List.of() : Collections.list(libraries);
        if (urls.isEmpty()) {
            throw new IllegalStateException("no native libraries found: the natives fragment for "
                    + Loader.getPlatform() + " (io.torchlight.torch." + Loader.getPlatform()
                    + ") is not installed or not attached");
        }
        requireRequestedCacheDir();
        for (URL url : urls) {
            try {
                Loader.cacheResource(url);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot extract native library " + url.getPath() + " into "
                        + cacheDirForMessage() + ": " + e.getMessage(), e);
            }
        }
        return urls.size();
    }

    /**
     * JavaCPP silently falls back to another folder when the requested cache folder is unusable; an
     * explicit request that cannot be honoured is an error instead.
     */
    static void requireRequestedCacheDir() {
        String requested = System.getProperty(CACHE_DIR_PROPERTY);
        if (requested == null || requested.isBlank()) {
            return;
        }
        File dir = new File(requested);
        if (!(dir.isDirectory() || dir.mkdirs()) || !dir.canWrite() || !dir.canExecute()) {
            throw new IllegalStateException("the JavaCPP cache folder " + requested + " (" + CACHE_DIR_PROPERTY
                    + ") cannot be created or written: fix its permissions or choose another folder");
        }
    }

    private static String cacheDirForMessage() {
        try {
            return Loader.getCacheDir().toString();
        } catch (IOException e) {
            return "the JavaCPP cache (" + e.getMessage() + ")";
        }
    }
}
