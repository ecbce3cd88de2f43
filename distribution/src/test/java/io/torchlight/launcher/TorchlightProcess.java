package io.torchlight.launcher;

import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts the built distribution's {@code bin/torchlight} as a separate process, from another directory. */
final class TorchlightProcess {

    static final Path DIST = Path.of(System.getProperty("torchlight.dist", "target/torchlight")).toAbsolutePath();

    private final Path workDir;

    /** Processes run in {@code workDir}, with their framework data under {@code workDir/data} unless env says otherwise. */
    TorchlightProcess(Path workDir) {
        this.workDir = workDir;
    }

    /** What a finished process printed, and its exit code. */
    record Result(int code, String out, String err) {
    }

    Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Process process = start(env, List.of(args), null);
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("finished in time", process.waitFor(120, TimeUnit.SECONDS));
        return new Result(process.exitValue(), out, err);
    }

    /**
     * Starts the interactive shell (stderr to a file, since our ends of the pipes close with the reader) and
     * returns once it printed its banner; fails the test if it ends before that, or if the banner does not begin its
     * line (a prompt printed before it).
     */
    Process startShell(Map<String, String> env, Path stderr) throws IOException {
        Process shell = start(env, List.of(), stderr);
        BufferedReader out = new BufferedReader(new InputStreamReader(shell.getInputStream(),
                StandardCharsets.UTF_8));
        String line;
        do {
            line = out.readLine();
        } while (line != null && !line.contains("Torchlight is running"));
        if (line == null) {
            shell.destroyForcibly();
            throw new AssertionError("the shell ended before its banner: " + Files.readString(stderr));
        }
        if (!line.startsWith("Torchlight is running")) {
            shell.destroyForcibly();
            throw new AssertionError("the banner must come before the first prompt, got: " + line);
        }
        return shell;
    }

    Process start(Map<String, String> env, List<String> args, Path stderr) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(DIST.resolve("bin/torchlight").toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().remove("TORCHLIGHT_HOME");
        builder.environment().put("TORCHLIGHT_DATA", workDir.resolve("data").toString());
        builder.environment().putAll(env);
        if (stderr != null) {
            builder.redirectError(stderr.toFile());
        }
        return builder.start();
    }
}
