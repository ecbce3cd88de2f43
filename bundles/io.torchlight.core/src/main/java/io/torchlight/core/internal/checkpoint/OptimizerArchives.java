package io.torchlight.core.internal.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.OutputArchive;

/**
 * libtorch's own optimizer archives as bytes and back. libtorch writes and reads an archive only through a file, so
 * each passes through a temporary file, deleted at once.
 */
final class OptimizerArchives {

    private OptimizerArchives() {
    }

    /** The optimizer's archive, as it reads back. */
    static InputArchive of(Optimizer optimizer) {
        OutputArchive out = new OutputArchive();
        optimizer.save(out);
        return readBack(out);
    }

    /** An archive written here, as libtorch reads it. */
    static InputArchive readBack(OutputArchive archive) {
        return throughFile(tmp -> {
            archive.save_to(tmp.toString());
            InputArchive in = new InputArchive();
            in.load_from(tmp.toString());
            return in;
        });
    }

    /** The optimizer's archive as the bytes of its file. */
    static byte[] bytes(Optimizer optimizer) {
        return throughFile(tmp -> {
            OutputArchive out = new OutputArchive();
            optimizer.save(out);
            out.save_to(tmp.toString());
            return Files.readAllBytes(tmp);
        });
    }

    /** Loads archive bytes (from {@link #bytes}) into the optimizer. */
    static void load(Optimizer optimizer, byte[] bytes) {
        throughFile(tmp -> {
            Files.write(tmp, bytes);
            InputArchive in = new InputArchive();
            in.load_from(tmp.toString());
            optimizer.load(in);
            return null;
        });
    }

    private interface FileWork<T> {
        T run(Path tmp) throws IOException;
    }

    private static <T> T throughFile(FileWork<T> work) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("torchlight-optimizer", ".pt");
            return work.run(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pass an optimizer archive through " + tmp + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }
}
