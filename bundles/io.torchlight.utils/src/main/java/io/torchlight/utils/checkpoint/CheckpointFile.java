package io.torchlight.utils.checkpoint;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.bytedeco.pytorch.Tensor;

/**
 * A {@code .ckpt} file in {@code torch.save}'s zip layout: {@code archive/data.pkl} (the pickled dict),
 * {@code archive/data/<key>} (one uncompressed record per tensor storage), {@code archive/version},
 * {@code archive/byteorder}. Python's {@code torch.load} reads what this writes, and this reads what it
 * writes. Writes are atomic: a temp file in the same folder, forced to disk, then renamed.
 *
 * <p>Reading trusts nothing in the file: every record must be stored uncompressed (as {@code torch.save} writes
 * them) and match its CRC-32; each storage is loaded once however many tensors view it, and all storages
 * together may not claim more bytes than the file holds; tensors are views of their storage, never copies, so
 * a view that repeats one element a billion times (stride 0) costs nothing. What a read allocates is thus
 * bounded by about twice the file's size.
 */
public final class CheckpointFile {

    private static final String ROOT = "archive/";

    private CheckpointFile() {
    }

    /** Writes the checkpoint dict to {@code path}, replacing any file there only once complete. */
    public static void write(Path path, Map<String, Object> checkpoint) {
        PickleWriter pickle = PickleWriter.write(checkpoint);
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
            try (FileOutputStream file = new FileOutputStream(tmp.toFile()); ZipOutputStream zip = new ZipOutputStream(file)) {
                stored(zip, ROOT + "data.pkl", pickle.bytes());
                for (PickleWriter.StorageRecord s : pickle.storages()) {
                    stored(zip, ROOT + "data/" + s.key(), s.bytes());
                }
                stored(zip, ROOT + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
                stored(zip, ROOT + "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
                zip.finish();
                file.getFD().sync();
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CheckpointException("cannot write checkpoint " + path + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temp file stays behind; the previous checkpoint is intact either way
                }
            }
        }
    }

    private static void stored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    /** Reads a checkpoint; errors name the file and what is wrong with it. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new CheckpointException("checkpoint " + path + " does not exist");
        }
        long fileSize;
        try {
            fileSize = Files.size(path);
        } catch (IOException e) {
            throw new CheckpointException("checkpoint " + path + " cannot be read: " + e.getMessage(), e);
        }
        try (ZipFile zip = new ZipFile(path.toFile())) {
            String prefix = null;
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                String name = e.nextElement().getName();
                if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                    prefix = name.substring(0, name.length() - "data.pkl".length());
                }
            }
            if (prefix == null) {
                throw new CheckpointException("checkpoint " + path + " is a zip file but not a checkpoint: it has no <name>/data.pkl");
            }
            byte[] pickle = entry(zip, prefix + "data.pkl", -1, fileSize, path);
            String records = prefix;
            Map<String, Tensor> loaded = new HashMap<>();
            long[] budget = {fileSize};
            Object root = PickleReader.read(pickle, path.toString(), (key, type, numel) -> {
                Tensor cached = loaded.get(key);
                if (cached != null) {
                    if (cached.numel() != numel || cached.scalar_type().value != type.scalarType.value) {
                        throw new CheckpointException("checkpoint " + path + ": storage " + key + " is declared twice with different "
                                + "types or sizes");
                    }
                    return cached;
                }
                long expected = Math.multiplyExact(numel, (long) type.size);
                budget[0] -= expected;
                if (budget[0] < 0) {
                    throw new CheckpointException("checkpoint " + path + ": record " + records + "data/" + key + " brings the "
                            + "storages past the file's own size of " + fileSize + " bytes (records overlap: a corrupt or hostile file)");
                }
                byte[] bytes = entry(zip, records + "data/" + key, expected, fileSize, path);
                Tensor storage = TensorBytes.tensor(bytes, type, numel);
                loaded.put(key, storage);
                return storage;
            });
            if (!(root instanceof Map<?, ?> map)) {
                throw new CheckpointException("checkpoint " + path + " holds a " + (root == null ? "None" : root.getClass().getSimpleName())
                        + ", not a dict");
            }
            return (Map<String, Object>) map;
        } catch (ZipException e) {
            throw new CheckpointException("checkpoint " + path + " is not a valid zip archive (truncated or not a checkpoint): "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new CheckpointException("checkpoint " + path + " cannot be read: " + e.getMessage(), e);
        } catch (ArithmeticException e) {
            throw new CheckpointException("checkpoint " + path + " declares a storage too large to exist", e);
        }
    }

    private static byte[] entry(ZipFile zip, String name, long expected, long fileSize, Path path) {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new CheckpointException("checkpoint " + path + " lacks the record " + name);
        }
        if (entry.getMethod() != ZipEntry.STORED) {
            throw new CheckpointException("checkpoint " + path + ": record " + name + " is compressed, and torch.save never "
                    + "compresses records: a tampered file or not a checkpoint (it is not read, so it cannot inflate into memory)");
        }
        long size = entry.getSize();
        if (size < 0 || size > fileSize || size > Integer.MAX_VALUE - 16) {
            throw new CheckpointException("checkpoint " + path + ": record " + name + " claims " + size + " bytes in a file of "
                    + fileSize);
        }
        if (expected >= 0 && size != expected) {
            throw new CheckpointException("checkpoint " + path + ": record " + name + " holds " + size
                    + " bytes but its tensor needs " + expected + " (a lying or corrupt storage size)");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes((int) size);
            if (bytes.length != size) {
                throw new CheckpointException("checkpoint " + path + ": record " + name + " is truncated");
            }
            CRC32 crc = new CRC32();
            crc.update(bytes);
            if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
                throw new CheckpointException("checkpoint " + path + ": record " + name + " fails its CRC-32 check (the file is "
                        + "corrupt: a changed or damaged byte)");
            }
            return bytes;
        } catch (IOException e) {
            throw new CheckpointException("checkpoint " + path + ": record " + name + " cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** A tensor's values as a flat double list, for comparisons and messages. */
    static String describe(Tensor t) {
        return Arrays.toString(t.sizes().vec().get());
    }
}
