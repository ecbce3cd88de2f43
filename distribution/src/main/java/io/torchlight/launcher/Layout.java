package io.torchlight.launcher;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The container's folders. Each defaults to a folder of {@code TORCHLIGHT_HOME} and can be moved with its
 * own environment variable: {@code TORCHLIGHT_DEPLOY}, {@code TORCHLIGHT_ETC}, {@code TORCHLIGHT_RUNS},
 * {@code TORCHLIGHT_DATA} (framework cache and logs).
 */
record Layout(Path home, Path deploy, Path etc, Path runs, Path data) {

    static Layout fromEnvironment(Map<String, String> env) throws LaunchException {
        String home = env.get("TORCHLIGHT_HOME");
        if (home == null || home.isBlank()) {
            throw new LaunchException("TORCHLIGHT_HOME is not set: start Torchlight with bin/torchlight");
        }
        Path h = Path.of(home).toAbsolutePath().normalize();
        // a rank other than 0 started by an external launcher (torchrun) on this machine keeps its framework data and
        // its run folders (run.log only) apart, as the ranks Torchlight's own launcher starts do
        String rank = env.getOrDefault("RANK", "0").trim();
        boolean worker = env.containsKey("WORLD_SIZE") && !rank.equals("0") && !rank.isEmpty();
        Path data = worker ? h.resolve("data").resolve("ddp").resolve("rank-" + rank) : h.resolve("data");
        Path dataDir = folder(env, "TORCHLIGHT_DATA", data);
        return new Layout(h, folder(env, "TORCHLIGHT_DEPLOY", h.resolve("deploy")),
                folder(env, "TORCHLIGHT_ETC", h.resolve("etc")), folder(env, "TORCHLIGHT_RUNS", worker ? dataDir.resolve("runs")
                        : h.resolve("runs")), dataDir);
    }

    private static Path folder(Map<String, String> env, String variable, Path fallback) {
        String value = env.get(variable);
        return value == null || value.isBlank() ? fallback : Path.of(value).toAbsolutePath().normalize();
    }

    Path bundleList() {
        return home.resolve("lib/bundles.list");
    }

    Path logFile() {
        return data.resolve("log/torchlight.log");
    }

    /** Creates the writable folders, failing with the folder's name and variable when one cannot be used. */
    void prepare() throws LaunchException {
        if (!Files.isRegularFile(bundleList())) {
            throw new LaunchException("not a Torchlight distribution: " + bundleList() + " is missing (TORCHLIGHT_HOME=" + home + ")");
        }
        writable(deploy, "TORCHLIGHT_DEPLOY");
        writable(etc, "TORCHLIGHT_ETC");
        writable(runs, "TORCHLIGHT_RUNS");
        writable(data, "TORCHLIGHT_DATA");
        writable(logFile().getParent(), "TORCHLIGHT_DATA");
    }

    private static String describe(IOException e) {
        if (e instanceof FileSystemException f) {
            String what = f.getClass().getSimpleName().replace("Exception", "");
            return f.getReason() == null ? what + ": " + f.getFile() : f.getReason() + ": " + f.getFile();
        }
        return e.toString();
    }

    private static void writable(Path folder, String variable) throws LaunchException {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new LaunchException("cannot create folder " + folder + " (" + describe(e)
                    + "): make it writable or point " + variable + " elsewhere");
        }
        if (!Files.isWritable(folder)) {
            throw new LaunchException("folder " + folder + " is not writable: fix its permissions or point "
                    + variable + " elsewhere");
        }
    }
}
