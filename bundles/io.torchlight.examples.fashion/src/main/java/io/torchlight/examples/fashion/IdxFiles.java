package io.torchlight.examples.fashion;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.api.TorchlightException;

/**
 * Reads the IDX files of (Fashion-)MNIST, gzip-compressed: images (magic 2051, N x 28 x 28 bytes) and
 * labels (magic 2049, N bytes). Sizes are checked against the header before anything is allocated; every
 * error names the file.
 */
public final class IdxFiles {

    static final int IMAGE_MAGIC = 2051;
    static final int LABEL_MAGIC = 2049;
    private static final int MAX_ITEMS = 1_000_000;

    private IdxFiles() {
    }

    /** Images as a uint8 tensor [N, 1, rows, cols]. */
    public static Tensor images(InputStream gz, String name) {
        try (DataInputStream in = open(gz, name)) {
            int magic = in.readInt();
            if (magic != IMAGE_MAGIC) {
                throw bad(name, "not an IDX image file (magic " + magic + ", expected " + IMAGE_MAGIC + ")");
            }
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (n <= 0 || n > MAX_ITEMS || rows <= 0 || rows > 1024 || cols <= 0 || cols > 1024) {
                throw bad(name, "implausible header: " + n + " images of " + rows + "x" + cols);
            }
            // long: 1,000,000 images of 1024 x 1024 overflow an int; read as it comes, so a lying header costs nothing
            long total = (long) n * rows * cols;
            if (total > Integer.MAX_VALUE - 16) {
                throw bad(name, "implausible header: " + n + " images of " + rows + "x" + cols + " are more than 2 GB of pixels");
            }
            byte[] pixels = in.readNBytes((int) total);
            if (pixels.length != total) {
                throw new EOFException();
            }
            return torch.tensor(pixels, new TensorOptions(torch.ScalarType.Byte)).reshape(n, 1, rows, cols);
        } catch (EOFException e) {
            throw bad(name, "truncated: it ends before the number of pixels its header announces");
        } catch (IOException e) {
            throw bad(name, "unreadable (" + e.getMessage() + ")");
        }
    }

    /** Labels as an int64 tensor [N]. */
    public static Tensor labels(InputStream gz, String name) {
        try (DataInputStream in = open(gz, name)) {
            int magic = in.readInt();
            if (magic != LABEL_MAGIC) {
                throw bad(name, "not an IDX label file (magic " + magic + ", expected " + LABEL_MAGIC + ")");
            }
            int n = in.readInt();
            if (n <= 0 || n > MAX_ITEMS) {
                throw bad(name, "implausible header: " + n + " labels");
            }
            byte[] labels = in.readNBytes(n);
            if (labels.length != n) {
                throw new EOFException();
            }
            long[] values = new long[n];
            for (int i = 0; i < n; i++) {
                values[i] = labels[i] & 0xFF;
                if (values[i] > 9) {
                    throw bad(name, "label " + values[i] + " at index " + i + " is not a class 0-9");
                }
            }
            return torch.tensor(values);
        } catch (EOFException e) {
            throw bad(name, "truncated: it ends before the number of labels its header announces");
        } catch (IOException e) {
            throw bad(name, "unreadable (" + e.getMessage() + ")");
        }
    }

    private static DataInputStream open(InputStream gz, String name) {
        try {
            return new DataInputStream(new BufferedInputStream(new GZIPInputStream(gz, 1 << 16), 1 << 16));
        } catch (IOException e) {
            throw bad(name, "not a gzip file (" + e.getMessage() + ")");
        }
    }

    private static TorchlightException bad(String name, String problem) {
        return new TorchlightException("Fashion-MNIST file " + name + " is " + problem);
    }
}
