package io.torchlight.callback.checkpoint;

import static org.junit.Assert.assertEquals;
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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.bytedeco.pytorch.Tensor;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.torchlight.utils.checkpoint.CheckpointFile;

/**
 * kill -9 at random points of a fit that ModelCheckpoint saves every 8 steps: after each kill every checkpoint
 * on disk reads back whole, and the fit resumed from last.ckpt after every kill ends with exactly the weights
 * and step count of a fit that was never interrupted (Lightning resumes with {@code ckpt_path}; we require
 * bit-identical weights, as the issue on reliability asks).
 */
public class KilledTrainingTest {

    private static final int KILLS = 4;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void resumingAfterEachKillEndsWithTheUninterruptedWeights() throws Exception {
        Path reference = tmp.getRoot().toPath().resolve("reference.ckpt");
        assertEquals("done 120", child(tmp.newFolder("ref").toPath(), reference, -1));

        Path dir = tmp.newFolder("killed").toPath();
        Path result = tmp.getRoot().toPath().resolve("resumed.ckpt");
        Random random = new Random(42);
        List<Integer> killedAfter = new ArrayList<>();
        for (int i = 0; i < KILLS; i++) {
            int at = 1 + random.nextInt(TrainingChild.EPOCHS * TrainingChild.BATCHES - 1);
            String last = child(dir, result, at);
            if (last.startsWith("done")) {
                break; // the run had already got past the chosen step
            }
            killedAfter.add(at);
            for (Path ckpt : checkpoints(dir)) {
                Map<String, Object> read = CheckpointFile.read(ckpt); // throws if a kill left one half-written
                assertTrue(ckpt + " holds weights", read.get("state_dict") instanceof Map<?, ?>);
            }
        }
        assertTrue("at least two kills landed: " + killedAfter, killedAfter.size() >= 2);
        assertEquals("done 120", child(dir, result, -1));

        Map<?, ?> expected = (Map<?, ?>) CheckpointFile.read(reference).get("state_dict");
        Map<?, ?> actual = (Map<?, ?>) CheckpointFile.read(result).get("state_dict");
        assertEquals(expected.keySet(), actual.keySet());
        for (Object key : expected.keySet()) {
            assertTrue(key + " differs after kills at steps " + killedAfter, ((Tensor) expected.get(key)).equal((Tensor) actual.get(key)));
        }
        assertEquals(CheckpointFile.read(reference).get("global_step"), CheckpointFile.read(result).get("global_step"));
    }

    /** Runs a training child; kills it once it reports step {@code killAt} (-1: let it finish). Returns its last line. */
    private static String child(Path dir, Path out, int killAt) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), TrainingChild.class.getName(), dir.toString(), out.toString())
                .redirectErrorStream(true).start();
        String last = "";
        StringBuilder all = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                all.append(line).append('\n');
                last = line;
                if (killAt > 0 && line.equals("step " + killAt)) {
                    child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
                    break;
                }
            }
            assertTrue("the child ended", child.waitFor(2, TimeUnit.MINUTES));
        } finally {
            child.destroyForcibly();
        }
        if (killAt < 0) {
            assertEquals(all.toString(), 0, child.exitValue());
        }
        return last;
    }

    private static List<Path> checkpoints(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".ckpt")).toList();
        }
    }
}
