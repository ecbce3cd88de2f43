package io.torchlight.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Lightning's subprocess launcher for {@code strategy=ddp devices=N} (and {@code num_nodes=M}) when no external
 * launcher has set torchrun's variables: this process becomes local rank 0 of its node and starts the node's other
 * N−1 ranks as worker processes running the same command from the same distribution, deploy/ and etc/, each with its
 * own framework data and its console in {@code data/ddp/rank-<r>.log}. With several nodes the same command runs on
 * each machine with {@code NODE_RANK} and {@code MASTER_ADDR} set.
 */
final class DdpLauncher {

    private static final long WORKER_EXIT_SECONDS = 60;

    private final int perNode;
    private final int nodes;
    private final int nodeRank;
    private final String masterAddr;
    private final int masterPort;
    private final List<Process> workers = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();

    private DdpLauncher(int perNode, int nodes, int nodeRank, String masterAddr, int masterPort) {
        this.perNode = perNode;
        this.nodes = nodes;
        this.nodeRank = nodeRank;
        this.masterAddr = masterAddr;
        this.masterPort = masterPort;
    }

    /** A launcher when the arguments ask for ddp over more than one process and no launcher set WORLD_SIZE. */
    static Optional<DdpLauncher> of(List<String> args, Map<String, String> env) throws LaunchException {
        if (env.containsKey("WORLD_SIZE") || !args.contains("strategy=ddp")) {
            return Optional.empty();
        }
        int devices = count(args, "devices", 1);
        int nodes = count(args, "num_nodes", 1);
        if (devices * nodes == 1) {
            return Optional.empty();
        }
        int nodeRank = env.containsKey("NODE_RANK") ? number("NODE_RANK", env.get("NODE_RANK")) : 0;
        if (nodeRank < 0 || nodeRank >= nodes) {
            throw new LaunchException("NODE_RANK=" + nodeRank + " but num_nodes=" + nodes + ": give each machine its rank 0.."
                    + (nodes - 1));
        }
        if (nodes > 1 && !env.containsKey("MASTER_ADDR")) {
            throw new LaunchException("num_nodes=" + nodes + " needs MASTER_ADDR (the address of node 0) on every machine");
        }
        int port = env.containsKey("MASTER_PORT") ? number("MASTER_PORT", env.get("MASTER_PORT")) : freePort();
        return Optional.of(new DdpLauncher(devices, nodes, nodeRank, env.getOrDefault("MASTER_ADDR", "127.0.0.1"), port));
    }

    /** This process's rank, as system properties the ddp strategy reads, and the node's other ranks started. */
    void start(Layout layout, String command, List<String> args, PrintStream out) throws LaunchException {
        Map<String, String> mine = variables(0);
        mine.forEach(System::setProperty);
        for (int local = 1; local < perNode; local++) {
            int rank = nodeRank * perNode + local;
            Path data = layout.data().resolve("ddp").resolve("rank-" + rank);
            Path log = layout.data().resolve("ddp").resolve("rank-" + rank + ".log");
            List<String> cmd = new ArrayList<>(List.of(layout.home().resolve("bin/torchlight").toString(), command));
            cmd.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(variables(local));
            builder.environment().put("TORCHLIGHT_DATA", data.toString());
            // a worker's run folder holds its run.log only (rank 0 writes logs and checkpoints)
            builder.environment().put("TORCHLIGHT_RUNS", data.resolve("runs").toString());
            try {
                Files.createDirectories(data);
                workers.add(builder.start());
                logs.add(log);
            } catch (IOException e) {
                stop();
                throw new LaunchException("cannot start ddp worker rank " + rank + ": " + e.getMessage(), e);
            }
        }
        out.println("torchlight: ddp over " + perNode * nodes + " processes (" + perNode + " on this node), rendezvous at "
                + masterAddr + ":" + masterPort + "; workers' consoles in " + layout.data().resolve("ddp"));
    }

    private Map<String, String> variables(int local) {
        return Map.of("MASTER_ADDR", masterAddr, "MASTER_PORT", String.valueOf(masterPort), "WORLD_SIZE",
                String.valueOf(perNode * nodes), "RANK", String.valueOf(nodeRank * perNode + local), "LOCAL_RANK", String.valueOf(local),
                "LOCAL_WORLD_SIZE", String.valueOf(perNode), "NODE_RANK", String.valueOf(nodeRank));
    }

    /** After this rank's run: the workers' exit codes joined into the command's; a failing worker is named. */
    int finish(int code, PrintStream err) {
        int result = code;
        for (int i = 0; i < workers.size(); i++) {
            Process worker = workers.get(i);
            int rank = nodeRank * perNode + i + 1;
            try {
                if (!worker.waitFor(code == 0 ? WORKER_EXIT_SECONDS : 5, TimeUnit.SECONDS)) {
                    worker.destroyForcibly();
                    err.println("torchlight: ddp worker rank " + rank + " did not end; stopped (its console: " + logs.get(i) + ")");
                    result = result == 0 ? 1 : result;
                } else if (worker.exitValue() != 0) {
                    err.println("torchlight: ddp worker rank " + rank + " failed with exit " + worker.exitValue() + " (its console: "
                            + logs.get(i) + ")");
                    result = result == 0 ? worker.exitValue() : result;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                return result == 0 ? 1 : result;
            }
        }
        return result;
    }

    /** Ends every worker at once (this rank could not run). */
    void stop() {
        workers.forEach(Process::destroyForcibly);
    }

    private static int count(List<String> args, String key, int fallback) throws LaunchException {
        for (String arg : args) {
            if (arg.startsWith(key + "=")) {
                int n = number(key, arg.substring(key.length() + 1));
                if (n < 1) {
                    throw new LaunchException(key + "=" + n + ": strategy=ddp needs at least 1");
                }
                return n;
            }
        }
        return fallback;
    }

    private static int number(String key, String value) throws LaunchException {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new LaunchException(key + ": expected a whole number, got '" + value + "'");
        }
    }

    private static int freePort() throws LaunchException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new LaunchException("no free port for the ddp rendezvous: set MASTER_PORT", e);
        }
    }
}
