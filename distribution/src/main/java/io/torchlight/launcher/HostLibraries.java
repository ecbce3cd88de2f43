package io.torchlight.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Where the dynamic linker finds shared libraries on this host: the folders of {@code LD_LIBRARY_PATH}, the
 * linker's cache as {@code ldconfig -p} prints it, and the usual system and CUDA folders.
 */
final class HostLibraries {

    private static final List<String> USUAL = List.of("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64",
            "/usr/lib64", "/usr/lib", "/usr/local/lib", "/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib");
    private static final long LDCONFIG_SECONDS = 5;

    private final List<Path> folders;
    private final Set<String> cached;

    HostLibraries(List<Path> folders, Set<String> cached) {
        this.folders = List.copyOf(folders);
        this.cached = Set.copyOf(cached);
    }

    /** This host's: {@code LD_LIBRARY_PATH} from {@code env}, the linker cache, the usual folders. */
    static HostLibraries of(Map<String, String> env) {
        List<Path> folders = new ArrayList<>();
        String path = env.getOrDefault("LD_LIBRARY_PATH", "");
        for (String dir : path.split(":")) {
            if (!dir.isBlank()) {
                folders.add(Path.of(dir));
            }
        }
        USUAL.forEach(dir -> folders.add(Path.of(dir)));
        return new HostLibraries(folders, linkerCache());
    }

    /** Whether the linker would find a library of this name. */
    boolean has(String soname) {
        return cached.contains(soname) || folders.stream().anyMatch(dir -> Files.exists(dir.resolve(soname)));
    }

    /** The names in the linker's cache for this architecture; none when ldconfig is not there or does not answer. */
    private static Set<String> linkerCache() {
        Set<String> names = new HashSet<>();
        for (String ldconfig : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig")) {
            if (!Files.isExecutable(Path.of(ldconfig))) {
                continue;
            }
            try {
                Process p = new ProcessBuilder(ldconfig, "-p").redirectErrorStream(true).start();
                try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        String entry = line.strip();
                        int space = entry.indexOf(' ');
                        if (space > 0 && entry.contains("x86-64")) {
                            names.add(entry.substring(0, space));
                        }
                    }
                }
                if (!p.waitFor(LDCONFIG_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                return names;
            } catch (IOException e) {
                return names; // the folders are still looked at
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return names;
            }
        }
        return names;
    }
}
