package io.torchlight.core.internal.checkpoint;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.Test;

import io.torchlight.api.TorchlightException;

public class LightningLoopsTest {

    private static Map<String, Object> counters() {
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("epoch", 2L);
        progress.put("batches_processed_in_epoch", 3L);
        progress.put("batches_completed_in_epoch", 3L);
        progress.put("total_batches", 23L);
        progress.put("optimizer_steps", 46L);
        progress.put("batches_that_stepped", 23L);
        return progress;
    }

    /** Mid-epoch counters (epoch 2, 3 batches in): Lightning's epoch_progress counts the epoch as started, not processed. */
    @Test
    public void countersTakeLightningsLayoutAndComeBackUnchanged() {
        Map<String, Object> loops = LightningLoops.of(counters());

        Map<?, ?> fit = (Map<?, ?>) loops.get("fit_loop");
        Map<?, ?> epochs = (Map<?, ?>) ((Map<?, ?>) fit.get("epoch_progress")).get("current");
        assertEquals(Map.of("ready", 3L, "started", 3L, "processed", 2L, "completed", 2L), epochs);
        assertEquals(Map.of("_batches_that_stepped", 23L), fit.get("epoch_loop.state_dict"));
        assertEquals(counters(), LightningLoops.read(loops, "test"));
    }

    @Test
    public void olderTorchlightCheckpointsHoldTheCountersFlat() {
        assertEquals(counters(), LightningLoops.read(counters(), "old.ckpt"));
    }

    @Test
    public void aFitLoopWithoutItsProgressIsAClearError() {
        TorchlightException e = assertThrows(TorchlightException.class,
                () -> LightningLoops.read(Map.of("fit_loop", Map.of("state_dict", Map.of())), "checkpoint x.ckpt"));

        assertTrue(e.getMessage(), e.getMessage().startsWith("checkpoint x.ckpt: loops.fit_loop[epoch_progress] is missing"));
    }
}
