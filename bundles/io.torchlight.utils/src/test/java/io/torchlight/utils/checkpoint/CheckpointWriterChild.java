package io.torchlight.utils.checkpoint;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.pytorch.global.torch;

/** Run as a separate process by {@link KilledWriterTest}: saves the same checkpoint file again and again. */
public final class CheckpointWriterChild {

    private CheckpointWriterChild() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        Map<String, Object> ckpt = new LinkedHashMap<>();
        ckpt.put("weights", torch.randn(2000, 2000)); // 16 MB: each save takes a while
        for (int i = 1;; i++) {
            ckpt.put("epoch", i);
            CheckpointFile.write(file, ckpt);
            System.out.println("saved " + i);
            System.out.flush();
        }
    }
}
