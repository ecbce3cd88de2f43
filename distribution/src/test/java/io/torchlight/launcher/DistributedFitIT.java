package io.torchlight.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The distribution under an external launcher, as torchrun (or Slurm, a Kubernetes PyTorchJob) runs it: two container
 * processes, each given MASTER_ADDR, MASTER_PORT, WORLD_SIZE, RANK and LOCAL_RANK, train one {@code strategy=ddp} fit
 * together; each trains on its half of the data, and rank 0 alone writes logs and checkpoints.
 */
public class DistributedFitIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** Lightning's subprocess launcher: the command starts the other rank itself, as a worker of the same distribution. */
    @Test
    public void fitWithStrategyDdpAndTwoDevicesStartsItsOwnSecondRank() throws Exception {
        Path work = tmp.newFolder("launched").toPath();

        TorchlightProcess.Result run = new TorchlightProcess(work).run(Map.of("TORCHLIGHT_RUNS", work.resolve("runs").toString()),
                "fit", "boring", "strategy=ddp", "devices=2", "max_epochs=2");

        assertEquals(run.out() + run.err(), 0, run.code());
        assertTrue(run.out(), run.out().contains("ddp over 2 processes (2 on this node)"));
        assertTrue(run.out(), run.out().contains("completed, epoch 2, step 64"));
        String worker = Files.readString(work.resolve("data/ddp/rank-1.log"));
        assertTrue(worker, worker.contains("completed, epoch 2, step 64"));
        assertTrue(Files.exists(work.resolve("runs/boring/version_0/metrics.csv")));
    }

    @Test
    public void twoContainerProcessesAreTwoRanksOfOneFit() throws Exception {
        String port = freePort();
        List<Map<String, String>> ranks = new ArrayList<>();
        for (int rank = 0; rank < 2; rank++) {
            ranks.add(Map.of("MASTER_ADDR", "127.0.0.1", "MASTER_PORT", port, "WORLD_SIZE", "2", "RANK", String.valueOf(rank),
                    "LOCAL_RANK", String.valueOf(rank), "TORCHLIGHT_DDP_TIMEOUT", "60"));
        }
        List<String> consoles = runTogether("rank", ranks, List.of("fit", "boring", "strategy=ddp", "max_epochs=2"));

        for (String console : consoles) {
            // 64 samples of batch 1 over two epochs: 32 steps per epoch on each half
            assertTrue(console, console.contains("completed, epoch 2, step 64"));
        }
        Path zero = tmp.getRoot().toPath().resolve("rank0/runs/boring/version_0");
        Path one = tmp.getRoot().toPath().resolve("rank1/runs/boring/version_0");
        assertTrue(Files.exists(zero.resolve("metrics.csv")));
        try (Stream<Path> ckpts = Files.list(zero.resolve("checkpoints"))) {
            assertEquals(1, ckpts.count());
        }
        try (Stream<Path> files = Files.list(one)) {
            assertEquals("rank 1 writes its run.log only", List.of(one.resolve("run.log")), files.toList());
        }
    }

    /**
     * num_nodes: the same command on each "machine" (here two processes of this one) with NODE_RANK and MASTER_ADDR
     * set; each node starts its devices' ranks (one each here) and all join one world.
     */
    @Test
    public void numNodesRunsTheSameCommandOnEachNodeAsOneWorld() throws Exception {
        String port = freePort();
        List<Map<String, String>> nodes = new ArrayList<>();
        for (int node = 0; node < 2; node++) {
            nodes.add(Map.of("MASTER_ADDR", "127.0.0.1", "MASTER_PORT", port, "NODE_RANK", String.valueOf(node),
                    "TORCHLIGHT_DDP_TIMEOUT", "60"));
        }
        for (String console : runTogether("node", nodes, List.of("fit", "boring", "strategy=ddp", "devices=1", "num_nodes=2",
                "max_epochs=1"))) {
            assertTrue(console, console.contains("ddp over 2 processes (1 on this node)"));
            assertTrue("half of the 64 samples on each node: " + console, console.contains("completed, epoch 1, step 32"));
        }
        assertTrue(Files.exists(tmp.getRoot().toPath().resolve("node0/runs/boring/version_0/metrics.csv")));
    }

    /**
     * The same from the interactive shell: {@code tl:fit} makes the shell's run rank 0 and starts rank 1 as a worker
     * of the distribution; the run's log says so, the worker trains its half, and the run completes in the shell.
     */
    @Test
    public void tlFitInTheShellMakesTheShellRankZeroAndStartsTheOtherRank() throws Exception {
        Path work = tmp.newFolder("shell").toPath();
        Path runs = work.resolve("runs");
        Process shell = new TorchlightProcess(work).startShell(Map.of("TORCHLIGHT_RUNS", runs.toString(), "TORCHLIGHT_DDP_TIMEOUT", "60"),
                work.resolve("shell.err"));
        Thread drain = new Thread(() -> {
            try {
                shell.getInputStream().transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                // the shell ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        try {
            Writer console = new OutputStreamWriter(shell.getOutputStream(), StandardCharsets.UTF_8);
            // the example's autorun trains first (version_0, run 1): this fit is run 2, in version_1
            console.write("tl:fit boring strategy=ddp devices=2 max_epochs=2\n");
            console.flush();
            String log = awaitEnd(shell, runs.resolve("boring/version_1/run.log"));

            assertTrue(log, log.contains("ddp over 2 processes: rank 0 here"));
            assertTrue(log, log.contains(" completed"));
            String worker = Files.readString(work.resolve("data/ddp/run-2-rank-1.log"));
            assertTrue(worker, worker.contains("completed, epoch 2, step 64"));
            assertTrue(Files.exists(runs.resolve("boring/version_1/metrics.csv")));

            // the first run gave its rendezvous and process group back: a second ddp run in the same container forms anew
            console.write("tl:fit boring strategy=ddp devices=2 max_epochs=1\n");
            console.flush();
            String again = awaitEnd(shell, runs.resolve("boring/version_2/run.log"));
            assertTrue(again + Files.readString(work.resolve("data/ddp/run-3-rank-1.log")), again.contains(" completed"));
            assertTrue(Files.readString(work.resolve("data/ddp/run-3-rank-1.log")).contains("completed, epoch 1, step 32"));

            // tl:stop reaches rank 0 only; rank 1 learns of it with the next gradients and both stop at the same step
            console.write("tl:fit boring strategy=ddp devices=2 max_epochs=1000\n");
            console.flush();
            Path stoppedLog = runs.resolve("boring/version_3/run.log");
            long started = deadline(60);
            while (!(Files.exists(stoppedLog) && Files.readString(stoppedLog).contains("ddp over")) && System.nanoTime() < started) {
                assertFalse("the shell is running", shell.waitFor(200, TimeUnit.MILLISECONDS));
            }
            console.write("tl:stop 4\n");
            console.flush();
            String stopped = awaitEnd(shell, stoppedLog, " stopped: ");
            assertTrue(stopped, stopped.contains(" stopped: "));
            assertFalse("the worker ended by itself: " + stopped, stopped.contains("ddp worker rank 1"));
        } finally {
            shell.destroy();
            if (!shell.waitFor(60, TimeUnit.SECONDS)) {
                shell.destroyForcibly();
            }
        }
    }

    private static String freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return String.valueOf(free.getLocalPort());
        }
    }

    /**
     * Starts one container process per map of variables, each in its own folder {@code <prefix><i>} (its runs under
     * {@code runs/} there), all with {@code args}; waits for every one to succeed and returns their consoles.
     */
    private List<String> runTogether(String prefix, List<Map<String, String>> variables, List<String> args) throws Exception {
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < variables.size(); i++) {
            Path work = tmp.newFolder(prefix + i).toPath();
            Map<String, String> env = new HashMap<>(variables.get(i));
            env.put("TORCHLIGHT_RUNS", work.resolve("runs").toString());
            Process p = new TorchlightProcess(work).start(env, args, null);
            p.getOutputStream().close();
            processes.add(p);
        }
        List<String> consoles = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            String console = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(prefix + " " + i + " finished: " + console, p.waitFor(180, TimeUnit.SECONDS));
            assertEquals(prefix + " " + i + ": " + console, 0, p.exitValue());
            consoles.add(console);
        }
        return consoles;
    }

    private static long deadline(int seconds) {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    }

    private static String awaitEnd(Process shell, Path runLog) throws IOException, InterruptedException {
        return awaitEnd(shell, runLog, " completed");
    }

    /** The run log once it says the run ended, within 3 minutes, the shell running all the while. */
    private static String awaitEnd(Process shell, Path runLog, String end) throws IOException, InterruptedException {
        long deadline = deadline(180);
        String log = "";
        while (!log.contains(end) && !log.contains(" failed") && System.nanoTime() < deadline) {
            assertFalse("the shell is running", shell.waitFor(200, TimeUnit.MILLISECONDS));
            log = Files.exists(runLog) ? Files.readString(runLog) : "";
        }
        return log;
    }
}
