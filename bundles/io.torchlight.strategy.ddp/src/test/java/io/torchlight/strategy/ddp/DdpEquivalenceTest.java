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
        for (Path rank : ranks) {
            Map<String, Double> actual = read(rank);
            assertEquals("steps", expected.get("steps"), actual.get("steps"));
            assertEquals(expected.keySet(), actual.keySet());
            expected.forEach((key, value) -> assertEquals(optimizer + " " + key, value, actual.get(key), TOLERANCE));
        }
        assertEquals("16 steps: 64 samples, 2 epochs, 8 per step", 16.0, expected.get("steps"), 0);
    }

    /** Starts {@code world} worker processes with torchrun's variables and waits for them; their outputs. */
    private List<Path> runRanks(String optimizer, int batch, int world) throws IOException, InterruptedException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<Process> processes = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int rank = 0; rank < world; rank++) {
            Path out = tmp.newFile("rank" + rank + ".txt").toPath();
            Path log = tmp.newFile("rank" + rank + ".log").toPath();
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), DdpTraining.class.getName(), optimizer, String.valueOf(batch), out.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(Map.of("MASTER_ADDR", "127.0.0.1", "MASTER_PORT", String.valueOf(port), "WORLD_SIZE",
                    String.valueOf(world), "RANK", String.valueOf(rank), "LOCAL_RANK", String.valueOf(rank), "TORCHLIGHT_DDP_TIMEOUT", "60"));
            processes.add(builder.start());
            outputs.add(out);
        }
        for (int rank = 0; rank < world; rank++) {
            Process p = processes.get(rank);
            boolean ended = p.waitFor(120, TimeUnit.SECONDS);
            if (!ended) {
                processes.forEach(Process::destroyForcibly);
            }
            String log = Files.readString(tmp.getRoot().toPath().resolve("rank" + rank + ".log"));
            assertTrue("rank " + rank + " ended in time: " + log, ended);
            assertEquals("rank " + rank + ": " + log, 0, p.exitValue());
        }
        return outputs;
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
