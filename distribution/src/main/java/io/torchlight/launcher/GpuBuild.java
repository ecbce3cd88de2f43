package io.torchlight.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The GPU distribution's start: its {@code lib/bundles.list} names the CUDA natives fragment. Before the framework
 * starts, JavaCPP's {@code -gpu} platform extension is set, and every CUDA library libtorch's CUDA build links
 * against but the fragment does not carry is looked for on the host: missing ones stop the start with one line
 * naming each and what provides it, instead of a linker crash inside the JVM.
 */
final class GpuBuild {

    static final String FRAGMENT = "io.torchlight.torch.linux-x86_64-gpu";
    static final String LIBRARIES = "META-INF/torchlight/cuda-libraries.txt";
    static final String EXTENSION = "org.bytedeco.javacpp.platform.extension";
    static final String DRIVER = "libcuda.so.1";

    private GpuBuild() {
    }

    /** The CUDA natives fragment, when this distribution is the GPU build. */
    static Optional<Path> fragment(Layout layout) throws LaunchException {
        try {
            return Files.readAllLines(layout.bundleList()).stream().map(String::trim)
                    .filter(l -> !l.startsWith("#") && Path.of(l).getFileName().toString().startsWith(FRAGMENT + "-"))
                    .findFirst().map(l -> layout.home().resolve(l));
        } catch (IOException e) {
            throw new LaunchException("cannot read " + layout.bundleList() + ": " + e.getMessage(), e);
        }
    }

    /**
     * For the GPU build: sets the {@code -gpu} extension (unless given) and checks the host; a warning on
     * {@code warnings} when the NVIDIA driver is missing (CUDA is then unavailable and runs use the CPU).
     */
    static void prepare(Layout layout, HostLibraries host, PrintStream warnings) throws LaunchException {
        Optional<Path> jar = fragment(layout);
        if (jar.isEmpty()) {
            return;
        }
        if (System.getProperty(EXTENSION) == null) {
            System.setProperty(EXTENSION, "-gpu");
        }
        Map<String, String> missing = missing(jar.get(), host);
        if (!missing.isEmpty()) {
            throw new LaunchException(describe(missing, host.has(DRIVER)));
        }
        if (!host.has(DRIVER)) {
            warnings.println("torchlight: no NVIDIA driver (" + DRIVER + ") on this host: CUDA is unavailable, runs use the CPU");
        }
    }

    /** The libraries the fragment needs from the host that the host lacks, each with what provides it, in order. */
    static Map<String, String> missing(Path fragment, HostLibraries host) throws LaunchException {
        Map<String, String> missing = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(fragment.toFile())) {
            ZipEntry list = zip.getEntry(LIBRARIES);
            if (list == null) {
                throw new LaunchException(fragment.getFileName() + " has no " + LIBRARIES + ": rebuild the GPU distribution");
            }
            Set<String> carried = new HashSet<>();
            zip.stream().map(e -> e.getName().substring(e.getName().lastIndexOf('/') + 1)).forEach(carried::add);
            try (BufferedReader in = new BufferedReader(new InputStreamReader(zip.getInputStream(list), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    int eq = line.indexOf('=');
                    if (line.isBlank() || line.startsWith("#") || eq < 0) {
                        continue;
                    }
                    String soname = line.substring(0, eq).trim();
                    if (!carried.contains(soname) && !host.has(soname)) {
                        missing.put(soname, line.substring(eq + 1).trim());
                    }
                }
            }
        } catch (IOException e) {
            throw new LaunchException("cannot read the CUDA natives " + fragment + ": " + e.getMessage(), e);
        }
        return missing;
    }

    /** One line: the missing libraries grouped by what provides them. */
    static String describe(Map<String, String> missing, boolean driver) {
        Map<String, List<String>> byProvider = new LinkedHashMap<>();
        missing.forEach((soname, provider) -> byProvider.computeIfAbsent(provider, p -> new ArrayList<>()).add(soname));
        List<String> parts = new ArrayList<>();
        byProvider.forEach((provider, names) -> parts.add(String.join(", ", names) + " from " + provider));
        return "the GPU build needs CUDA libraries this host lacks (Maven Central does not carry them): "
                + String.join("; ", parts) + (driver ? "" : "; and no NVIDIA driver (" + DRIVER + ") is installed")
                + ". Install them (or put their folder on LD_LIBRARY_PATH) and start again; the CPU distribution needs none";
    }
}
