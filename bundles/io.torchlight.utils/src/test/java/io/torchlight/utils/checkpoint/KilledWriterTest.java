package io.torchlight.utils.checkpoint;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.bytedeco.pytorch.Tensor;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A process killed while it saves leaves the previous checkpoint whole. */
public class KilledWriterTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void killingTheWriterMidSaveKeepsTheLastCompleteCheckpoint() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("model.ckpt");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CheckpointWriterChild.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        int completed = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            // let a few saves complete, then kill it while it is busy writing the next one
            while ((line = out.readLine()) != null) {
                if (line.startsWith("saved ")) {
                    completed = Integer.parseInt(line.substring(6));
                    if (completed == 3) {
                        break;
                    }
                }
            }
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }

        assertEquals("the child saved three times", 3, completed);
        Map<String, Object> ckpt = CheckpointFile.read(file);
        long epoch = (Long) ckpt.get("epoch");
        assertTrue("a complete save: epoch " + epoch, epoch >= 3);
        assertEquals(2000 * 2000, ((Tensor) ckpt.get("weights")).numel());
        try (var files = Files.list(tmp.getRoot().toPath())) {
            assertTrue("only the checkpoint and perhaps an abandoned temp file",
                    files.allMatch(p -> p.equals(file) || p.getFileName().toString().endsWith(".tmp")));
        }
    }
}
