package io.torchlight.strategy.ddp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.torchlight.strategy.single.SingleDeviceStrategy;

/**
 * Two ranks on Gloo over 127.0.0.1, each a real process training on its DistributedSampler shard with batch b, end
 * with the weights of one process training with batch 2b on the same data order (the first test), for SGD
 * and Adam; the loss logged with {@code syncDist} is the mean over the ranks, so it equals the single process's too.
 */
public class DdpEquivalenceTest {

    /** Float rounding: a mean of two per-rank means against one mean of 2b samples. */
    private static final double TOLERANCE = 1e-5;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void twoRanksWithSgdEndAsOneProcessWithTwiceTheBatch() throws Exception {
        assertSame("sgd");
    }

    @Test
    public void twoRanksWithAdamEndAsOneProcessWithTwiceTheBatch() throws Exception {
        assertSame("adam");
    }

    private void assertSame(String optimizer) throws Exception {
        Path single = tmp.newFile().toPath();
        DdpTraining.train(optimizer, 8, new SingleDeviceStrategy(), single);
        List<Path> ranks = runRanks(optimizer, 4, 2);

        Map<String, Double> expected = read(single);
        assertEquals(Map.of("rank.world", 1.0, "rank.global", 0.0, "rank.local", 0.0, "rank.node", 0.0, "rank.trainerWorld", 1.0),
                ranks(expected));
        for (int r = 0; r < ranks.size(); r++) {
            Map<String, Double> actual = read(ranks.get(r));
            assertEquals(Map.of("rank.world", 2.0, "rank.global", (double) r, "rank.local", (double) r, "rank.node", 0.0,
                    "rank.trainerWorld", 2.0), ranks(actual));
            assertEquals("steps", expected.get("steps"), actual.get("steps"));
            assertEquals(expected.keySet(), actual.keySet());
            expected.forEach((key, value) -> assertEquals(optimizer + " " + key, value, actual.get(key), TOLERANCE));
        }
        assertEquals("16 steps: 64 samples, 2 epochs, 8 per step", 16.0, expected.get("steps"), 0);
    }

    /** Starts {@code world} worker processes with torchrun's variables and waits for them; their outputs. */
    private List<Path> runRanks(String optimizer, int batch, int world) throws IOException, InterruptedException {
        awaitRanks(startRanks(world, "60", optimizer, String.valueOf(batch)));
        List<Path> outputs = new ArrayList<>();
        for (int rank = 0; rank < world; rank++) {
            outputs.add(tmp.getRoot().toPath().resolve("rank" + rank + ".txt"));
        }
        return outputs;
    }

    /** A 2-rank fit stopped after its first epoch and resumed by both ranks from rank 0's checkpoint ends as one that ran on. */
    @Test
    public void aResumedTwoRankRunEndsAsAnUninterruptedOne() throws Exception {
        Path checkpoint = tmp.getRoot().toPath().resolve("epoch1.ckpt");
        Map<String, Double> uninterrupted = read(runRanks("adam", 4, 2).get(0));
        ranks(uninterrupted);
        awaitRanks(startRanks(2, "60", "adam", "4", "save", checkpoint.toString()));
        assertTrue("rank 0 wrote the checkpoint", Files.exists(checkpoint));
        List<Process> resumed = startRanks(2, "60", "adam", "4", "resume", checkpoint.toString());
        awaitRanks(resumed);

        for (int rank = 0; rank < 2; rank++) {
            Map<String, Double> actual = read(tmp.getRoot().toPath().resolve("rank" + rank + ".txt"));
            ranks(actual);
            uninterrupted.forEach((key, value) -> assertEquals("resumed " + key, value, actual.get(key), TOLERANCE));
        }
    }

    private void awaitRanks(List<Process> processes) throws IOException, InterruptedException {
        for (int rank = 0; rank < processes.size(); rank++) {
            Process p = processes.get(rank);
            boolean ended = p.waitFor(120, TimeUnit.SECONDS);
            if (!ended) {
                processes.forEach(Process::destroyForcibly);
            }
            assertTrue("rank " + rank + " ended in time: " + log(rank), ended);
            assertEquals("rank " + rank + ": " + log(rank), 0, p.exitValue());
        }
    }

    @Test
    public void whenARankDiesTheOtherFailsAtOnceNamingItself() throws Exception {
        List<Process> ranks = startRanks(2, "60", "sgd", "4", "die", "3");
        long start = System.nanoTime();

        boolean ended = ranks.get(0).waitFor(60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        ranks.forEach(Process::destroyForcibly);

        assertTrue("rank 0 ended within 60 s: " + log(0), ended);
        assertTrue(log(0), ranks.get(0).exitValue() != 0 && log(0).contains("ddp rank 0 of 2")
                && log(0).contains("did another rank die or hang?"));
        assertEquals("rank 1 halted itself", 3, ranks.get(1).waitFor());
        assertTrue("well before the 60 s timeout: " + seconds, seconds < 45);
    }

    @Test
    public void whenARankHangsTheOtherFailsAfterTheTimeout() throws Exception {
        List<Process> ranks = startRanks(2, "4", "sgd", "4", "hang", "3");

        boolean ended = ranks.get(0).waitFor(90, TimeUnit.SECONDS);
        ranks.forEach(Process::destroyForcibly);

        assertTrue("rank 0 ended after the 4 s timeout: " + log(0), ended);
        assertTrue(log(0), ranks.get(0).exitValue() != 0 && log(0).contains("ddp rank 0 of 2")
                && log(0).contains("did another rank die or hang?"));
    }

    /** Lightning's rank_zero_only: one run folder, one metrics.csv, checkpoints written once, the best known to all. */
    @Test
    public void onlyRankZeroWritesLogsAndCheckpointsAndEveryRankKnowsTheBest() throws Exception {
        Path root = tmp.newFolder("shared").toPath();
        List<Process> ranks = startRanks(2, "60", "sgd", "4", "files", root.toString());
        for (int rank = 0; rank < 2; rank++) {
            assertTrue("rank " + rank + " ended: " + log(rank), ranks.get(rank).waitFor(120, TimeUnit.SECONDS));
            assertEquals("rank " + rank + ": " + log(rank), 0, ranks.get(rank).exitValue());
        }

        Path logs = root.resolve("lightning_logs");
        try (var versions = Files.list(logs)) {
            assertEquals("one run folder", List.of(logs.resolve("version_0")), versions.toList());
        }
        List<String> csv = Files.readAllLines(logs.resolve("version_0/metrics.csv"));
        assertEquals("one header: one writer", 1, csv.stream().filter(l -> l.equals(csv.get(0))).count());
        // 24 steps (64 samples, 4 per rank and step, 3 epochs), the epoch values on their epochs' last steps: no rank's twice
        assertTrue("a row per step, written once: " + csv.size(), csv.size() - 1 >= 24 && csv.size() - 1 <= 27);
        try (var files = Files.list(logs.resolve("version_0/checkpoints"))) {
            assertEquals("the best and last.ckpt", 2, files.count());
        }
        String best0 = Files.readString(tmp.getRoot().toPath().resolve("rank0.txt")).trim();
        String best1 = Files.readString(tmp.getRoot().toPath().resolve("rank1.txt")).trim();
        assertEquals(best0, best1);
        assertTrue(best0, Files.exists(Path.of(best0.substring("best=".length()))));
    }

    /** Lightning's EarlyStopping under DDP: it decides on the epoch loss reduced across ranks, so both stop together. */
    @Test
    public void earlyStoppingStopsEveryRankAtTheSameStep() throws Exception {
        awaitRanks(startRanks(2, "60", "sgd", "4", "early"));

        String zero = Files.readString(tmp.getRoot().toPath().resolve("rank0.txt"));
        String one = Files.readString(tmp.getRoot().toPath().resolve("rank1.txt"));
        assertEquals(zero, one);
        double steps = read(tmp.getRoot().toPath().resolve("rank0.txt")).get("steps");
        assertTrue("stopped early: " + zero, steps > 0 && steps < 10 * 8);
    }

    /**
     * torch's find_unused_parameters: a layer only rank 0 uses learns from rank 0's gradient averaged with rank 1's
     * nothing, the same on both ranks; a layer no rank uses gets no gradient, so weight decay leaves it as it was.
     */
    @Test
    public void aLayerOneRankSkipsIsAveragedAndOneNoRankUsesStaysPut() throws Exception {
        awaitRanks(startRanks(2, "60", "sgd", "4", "unused"));

        Map<String, Double> zero = read(tmp.getRoot().toPath().resolve("rank0.txt"));
        Map<String, Double> one = read(tmp.getRoot().toPath().resolve("rank1.txt"));
        zero.forEach((key, value) -> assertEquals("the ranks agree on " + key, value, one.get(key), TOLERANCE));
        for (String layer : List.of("layer.weight", "branch.weight", "idle.weight")) {
            double moved = 0;
            for (int j = 0; j < 64; j++) {
                moved += Math.abs(zero.get(layer + "." + j) - zero.get("start." + layer + "." + j));
            }
            if (layer.startsWith("idle")) {
                assertEquals("no rank used " + layer + ": no gradient, no weight decay", 0, moved, 0);
            } else {
                assertTrue(layer + " trained: " + moved, moved > 1e-3);
            }
        }
    }

    /**
     * Lightning's sync_dist_group: three ranks log 1, 10 and 100 reduced over ranks 0 and 1 only; those two agree on
     * the group's mean and sum (each rank's 6 steps summed first: 64 samples padded to 66, 22 a rank, batches of 4),
     * rank 2 keeps its own values.
     */
    @Test
    public void syncDistGroupReducesOverItsRanksAlone() throws Exception {
        awaitRanks(startRanks(3, "60", "sgd", "4", "group"));

        for (int rank = 0; rank < 2; rank++) {
            Map<String, Double> metrics = read(tmp.getRoot().toPath().resolve("rank" + rank + ".txt"));
            assertEquals("rank " + rank, 5.5, metrics.get("mean"), 1e-6);
            assertEquals("rank " + rank, 66.0, metrics.get("sum"), 1e-6);
        }
        Map<String, Double> outside = read(tmp.getRoot().toPath().resolve("rank2.txt"));
        assertEquals(100.0, outside.get("mean"), 1e-6);
        assertEquals(600.0, outside.get("sum"), 1e-6);
    }

    /**
     * A stop asked of rank 0 alone (the container's stop command) reaches rank 1 with the next gradient exchange: both
     * stop after the same step, one batch after the request, instead of rank 1 waiting in a collective for ever.
     */
    @Test
    public void aStopAskedOfRankZeroStopsEveryRankAtTheSameStep() throws Exception {
        awaitRanks(startRanks(2, "60", "sgd", "4", "stop"));

        Map<String, Double> zero = read(tmp.getRoot().toPath().resolve("rank0.txt"));
        assertEquals(zero, read(tmp.getRoot().toPath().resolve("rank1.txt")));
        assertEquals("asked during step 6 (global step 5), delivered with step 7's gradients", 7.0, zero.get("steps"), 0);
    }

    /** max_time follows rank 0's clock: every rank stops after the same step, though their clocks started apart. */
    @Test
    public void maxTimeStopsEveryRankAtTheSameStep() throws Exception {
        awaitRanks(startRanks(2, "60", "sgd", "4", "time"));

        Map<String, Double> zero = read(tmp.getRoot().toPath().resolve("rank0.txt"));
        assertEquals(zero, read(tmp.getRoot().toPath().resolve("rank1.txt")));
        assertTrue("stopped by time, not by max_epochs: " + zero, zero.get("epoch") < 1000);
    }

    private String log(int rank) throws IOException {
        return Files.readString(tmp.getRoot().toPath().resolve("rank" + rank + ".log"));
    }

    /** Starts the ranks, each writing rank{@code r}.txt and rank{@code r}.log, with this collective timeout (s). */
    private List<Process> startRanks(int world, String timeout, String... args) throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<Process> processes = new ArrayList<>();
        for (int rank = 0; rank < world; rank++) {
            Path out = tmp.getRoot().toPath().resolve("rank" + rank + ".txt");
            Path log = tmp.getRoot().toPath().resolve("rank" + rank + ".log");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), DdpTraining.class.getName(), args[0], args[1], out.toString()));
            command.addAll(List.of(args).subList(2, args.length));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(Map.of("MASTER_ADDR", "127.0.0.1", "MASTER_PORT", String.valueOf(port), "WORLD_SIZE",
                    String.valueOf(world), "RANK", String.valueOf(rank), "LOCAL_RANK", String.valueOf(rank), "TORCHLIGHT_DDP_TIMEOUT", timeout));
            processes.add(builder.start());
        }
        return processes;
    }

    /** The module's view of its place in the run, taken out of the values compared across runs. */
    private static Map<String, Double> ranks(Map<String, Double> values) {
        Map<String, Double> out = new LinkedHashMap<>();
        values.keySet().removeIf(key -> {
            if (key.startsWith("rank.")) {
                out.put(key, values.get(key));
                return true;
            }
            return false;
        });
        return out;
    }

    private static Map<String, Double> read(Path file) throws IOException {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            values.put(line.substring(0, eq), Double.parseDouble(line.substring(eq + 1)));
        }
        return values;
    }
}
