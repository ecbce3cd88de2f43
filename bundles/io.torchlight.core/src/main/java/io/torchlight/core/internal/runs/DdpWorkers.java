package io.torchlight.core.internal.runs;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.torchlight.api.TorchlightException;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.run.RunRequest;

/**
 * Lightning's subprocess launcher for a container run ({@code tl:fit m strategy=ddp devices=N}, the dashboard's
 * form, a run configuration): the run itself becomes rank 0 and the other N−1 ranks are worker processes of the same
 * distribution ({@code bin/torchlight <stage> <module> <args>}, the same deploy/ and etc/, torchrun's variables set),
 * each with its own framework data and its console in {@code data/ddp/run-<id>-rank-<r>.log}. A process that is a
 * rank already (torchrun's {@code WORLD_SIZE} in its environment, or set by {@code bin/torchlight}'s own launcher)
 * starts nothing.
 */
final class DdpWorkers {

    /** Where a worker is started from: the distribution's home and the container's framework data. */
    record Home(Path home, Path data) {
    }

    private static final long EXIT_SECONDS = 60;

    private final int world;
    private final int port;
    private final List<Process> workers = new ArrayList<>();
    private final List<Path> consoles = new ArrayList<>();

    private DdpWorkers(int world, int port) {
        this.world = world;
        this.port = port;
    }

    /**
     * The workers of this run when it asks for ddp over more than one process and nothing launched it; started, each
     * waiting for rank 0 at the rendezvous.
     */
    static Optional<DdpWorkers> start(String runId, RunRequest request, TrainerConfig config, Path ckpt, Home home,
            Map<String, String> environment) {
        if (!config.strategy().equals("ddp") || environment.containsKey("WORLD_SIZE") || System.getProperty("WORLD_SIZE") != null) {
            return Optional.empty();
        }
        int devices = count(config.devices());
        if (devices * config.numNodes() == 1) {
            return Optional.empty();
        }
        if (config.numNodes() > 1) {
            throw new TorchlightException("num_nodes=" + config.numNodes() + ": a run over several machines starts with "
                    + "bin/torchlight " + request.stage().lightningName() + " " + request.module() + " ... on each machine "
                    + "(NODE_RANK and MASTER_ADDR set), not from a container already running");
        }
        if (home == null) {
            throw new TorchlightException("strategy=ddp devices=" + devices + ": this container cannot start the other ranks "
                    + "(it was not started by bin/torchlight); start each rank with torchrun's variables set (WORLD_SIZE, RANK, ...)");
        }
        DdpWorkers launched = new DdpWorkers(devices, port(environment));
        try {
            for (int rank = 1; rank < devices; rank++) {
                launched.startWorker(runId, rank, request, ckpt, home);
            }
        } catch (IOException e) {
            launched.stop();
            throw new TorchlightException("cannot start ddp worker for run " + runId + ": " + e.getMessage(), e);
        }
        return Optional.of(launched);
    }

    /** The variables of rank 0, this run. */
    Map<String, String> rankZero() {
        return variables(0);
    }

    /** What the run log says of them. */
    String describe() {
        return "ddp over " + world + " processes: rank 0 here, workers' consoles " + consoles + ", rendezvous at 127.0.0.1:" + port;
    }

    private Map<String, String> variables(int rank) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("MASTER_ADDR", "127.0.0.1");
        out.put("MASTER_PORT", String.valueOf(port));
        out.put("WORLD_SIZE", String.valueOf(world));
        out.put("RANK", String.valueOf(rank));
        out.put("LOCAL_RANK", String.valueOf(rank));
        out.put("LOCAL_WORLD_SIZE", String.valueOf(world));
        out.put("NODE_RANK", "0");
        return out;
    }

    private void startWorker(String runId, int rank, RunRequest request, Path ckpt, Home home) throws IOException {
        Path data = home.data().resolve("ddp").resolve("rank-" + rank);
        Path console = home.data().resolve("ddp").resolve("run-" + runId + "-rank-" + rank + ".log");
        Files.createDirectories(data);
        List<String> command = new ArrayList<>(List.of(home.home().resolve("bin").resolve("torchlight").toString(),
                request.stage().lightningName(), request.module()));
        command.addAll(words(request, ckpt));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile());
        builder.environment().putAll(variables(rank));
        builder.environment().put("TORCHLIGHT_DATA", data.toString());
        // a worker's run folder holds its run.log only: rank 0 writes the logs and checkpoints
        builder.environment().put("TORCHLIGHT_RUNS", data.resolve("runs").toString());
        workers.add(builder.start());
        consoles.add(console);
    }

    /** The request as {@code key=value} words; a checkpoint as the file rank 0 resolved ({@code last} is rank 0's). */
    static List<String> words(RunRequest request, Path ckpt) {
        List<String> words = new ArrayList<>();
        request.trainerArgs().forEach((k, v) -> words.add(k + "=" + v));
        request.hparams().forEach((k, v) -> words.add("hparams." + k + "=" + v));
        if (request.dataModule() != null) {
            words.add("datamodule=" + request.dataModule());
        }
        if (ckpt != null) {
            words.add("ckpt_path=" + ckpt.toAbsolutePath());
        }
        if (request.testAfterFit()) {
            words.add("test_after_fit=true");
        }
        if (!request.loggers().equals(RunRequest.ALL)) {
            words.add("loggers=" + (request.loggers().isEmpty() ? "none" : request.loggers()));
        }
        if (!request.callbacks().equals(RunRequest.ALL)) {
            words.add("callbacks=" + (request.callbacks().isEmpty() ? "none" : request.callbacks()));
        }
        return words;
    }

    /**
     * After rank 0's run: waits for the workers (briefly when rank 0 failed: they fail on their next collective) and
     * stops any left; one line per worker that did not end well, empty when all did.
     */
    List<String> finish(boolean succeeded) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) {
            Process worker = workers.get(i);
            int rank = i + 1;
            try {
                if (!worker.waitFor(succeeded ? EXIT_SECONDS : 5, TimeUnit.SECONDS)) {
                    worker.destroyForcibly();
                    problems.add("ddp worker rank " + rank + " did not end; stopped (its console: " + consoles.get(i) + ")");
                } else if (worker.exitValue() != 0) {
                    problems.add("ddp worker rank " + rank + " failed with exit " + worker.exitValue() + " (its console: "
                            + consoles.get(i) + ")");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                problems.add("interrupted while waiting for the ddp workers; stopped them");
                break;
            }
        }
        return problems;
    }

    /** Ends every worker at once. */
    void stop() {
        workers.forEach(Process::destroyForcibly);
    }

    /** A device count: {@code 2}, a list {@code [0,1]} or {@code 0,1}; anything else ({@code auto}) is one process. */
    static int count(String devices) {
        String d = devices.trim();
        if (d.startsWith("[") && d.endsWith("]")) {
            d = d.substring(1, d.length() - 1);
        }
        if (d.contains(",")) {
            return (int) List.of(d.split(",")).stream().filter(s -> !s.isBlank()).count();
        }
        try {
            return Math.max(1, Integer.parseInt(d));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static int port(Map<String, String> environment) {
        String fixed = environment.get("MASTER_PORT");
        if (fixed != null && !fixed.isBlank()) {
            try {
                return Integer.parseInt(fixed.trim());
            } catch (NumberFormatException e) {
                throw new TorchlightException("MASTER_PORT must be a port number, got '" + fixed + "'");
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new TorchlightException("no free port for the ddp rendezvous: set MASTER_PORT", e);
        }
    }
}
