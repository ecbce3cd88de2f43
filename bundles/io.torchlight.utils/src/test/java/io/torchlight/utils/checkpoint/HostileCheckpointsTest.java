package io.torchlight.utils.checkpoint;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Checkpoints made to hurt: tiny files that claim huge tensors, compressed records (zip bombs), a changed
 * byte, storages declared twice, and every truncation and many single-byte changes of a real checkpoint. Each
 * must end in a {@link CheckpointException} naming the file, or load exactly what was saved; never another
 * exception, never silently different values, never an allocation beyond the file's size.
 */
public class HostileCheckpointsTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** A few opcodes of pickle protocol 2, enough to write what torch.save writes for one tensor. */
    private static final class Pickle {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int code) {
            out.write(code);
            return this;
        }

        Pickle text(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write('X');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
            out.writeBytes(b);
            return this;
        }

        Pickle global(String module, String name) {
            out.write('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Pickle number(long v) {
            if (v == (int) v) {
                out.write('J');
                out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
            } else {
                out.write(0x8a);
                out.write(8);
                out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
            }
            return this;
        }

        Pickle tuple(long... values) {
            op('(');
            for (long v : values) {
                number(v);
            }
            return op('t');
        }

        /** {@code _rebuild_tensor_v2(storage key of numel floats, offset, size, stride, False, OrderedDict())}. */
        Pickle tensor(String key, long numel, long offset, long[] size, long[] stride) {
            global("torch._utils", "_rebuild_tensor_v2").op('(');
            op('(').text("storage").global("torch", "FloatStorage").text(key).text("cpu").number(numel).op('t').op('Q');
            number(offset).tuple(size).tuple(stride).op(0x89).global("collections", "OrderedDict").op(')').op('R');
            return op('t').op('R');
        }

        byte[] dictOf(Map<String, Consumer<Pickle>> items) {
            op(0x80).op(2).op('}');
            items.forEach((k, v) -> {
                text(k);
                v.accept(this);
                op('s');
            });
            op('.');
            return out.toByteArray();
        }
    }

    private record Record(String name, byte[] bytes, boolean deflate) {
    }

    private Path zip(String file, Record... records) throws IOException {
        Path path = tmp.getRoot().toPath().resolve(file);
        try (ZipOutputStream zip = new ZipOutputStream(new FileOutputStream(path.toFile()))) {
            for (Record r : records) {
                ZipEntry entry = new ZipEntry(r.name());
                if (!r.deflate()) {
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(r.bytes().length);
                    CRC32 crc = new CRC32();
                    crc.update(r.bytes());
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(r.bytes());
                zip.closeEntry();
            }
        }
        return path;
    }

    private static Record stored(String name, byte[] bytes) {
        return new Record(name, bytes, false);
    }

    private static byte[] floats(int n) {
        return new byte[n * 4];
    }

    private static CheckpointException refused(Path file, String part) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointFile.read(file));
        assertTrue(e.getMessage(), e.getMessage().contains(part) && e.getMessage().contains(file.getFileName().toString()));
        return e;
    }

    @Test
    public void aTinyFileRepeatingOneElementABillionTimesLoadsAsAViewWithoutAllocating() throws IOException {
        byte[] pickle = new Pickle().dictOf(Map.of("w", p -> p.tensor("0", 1, 0, new long[] {1_000_000_000L}, new long[] {0})));
        Path file = zip("repeat.ckpt", stored("archive/data.pkl", pickle), stored("archive/data/0", floats(1)));
        assertTrue("a few hundred bytes: " + Files.size(file), Files.size(file) < 1000);

        Tensor w = (Tensor) CheckpointFile.read(file).get("w");

        assertEquals(1_000_000_000L, w.numel());
        assertEquals("a view of the one stored element, not 4 GB of copies", 0, w.stride(0));
    }

    @Test
    public void aViewOfATerabyteOfRepeatsIsAlsoJustAView() throws IOException {
        byte[] pickle = new Pickle().dictOf(Map.of("w", p -> p.tensor("0", 1, 0, new long[] {1L << 40}, new long[] {0})));
        Path file = zip("tera.ckpt", stored("archive/data.pkl", pickle), stored("archive/data/0", floats(1)));

        assertEquals(0, ((Tensor) CheckpointFile.read(file).get("w")).stride(0));
    }

    @Test
    public void compressedRecordsAreRefusedUnread() throws IOException {
        byte[] small = new Pickle().dictOf(Map.of("w", p -> p.tensor("0", 16, 0, new long[] {16}, new long[] {1})));
        byte[] big = new Pickle().dictOf(Map.of("w", p -> p.tensor("0", 1 << 20, 0, new long[] {1 << 20}, new long[] {1})));
        Path packedStorage = zip("packed-storage.ckpt", stored("archive/data.pkl", small), new Record("archive/data/0", floats(16), true));
        Path packedPickle = zip("packed.ckpt", new Record("archive/data.pkl", small, true));
        // 4 MB of zeros deflate to a few kB: the shape of a zip bomb, refused before anything is inflated
        Path bomb = zip("bomb.ckpt", stored("archive/data.pkl", big), new Record("archive/data/0", floats(1 << 20), true));

        refused(packedStorage, "record archive/data/0 is compressed");
        refused(packedPickle, "record archive/data.pkl is compressed");
        refused(bomb, "brings the storages past the file's own size");
    }

    @Test
    public void oneChangedByteInAStoredTensorFailsItsCrc() throws IOException {
        Path good = tmp.getRoot().toPath().resolve("good.ckpt");
        CheckpointFile.write(good, Map.of("w", torch.arange(new Scalar(256)).to(torch.ScalarType.Float)));
        byte[] bytes = Files.readAllBytes(good);
        int at = indexOf(bytes, floatBytes(100f)); // the stored value 100.0
        bytes[at + 3] ^= 0x01;
        Path changed = Files.write(tmp.getRoot().toPath().resolve("changed.ckpt"), bytes);

        refused(changed, "record archive/data/0 fails its CRC-32 check");
    }

    @Test
    public void aStorageDeclaredTwiceWithDifferentSizesIsRefused() throws IOException {
        Map<String, Consumer<Pickle>> items = new LinkedHashMap<>();
        items.put("a", p -> p.tensor("0", 4, 0, new long[] {4}, new long[] {1}));
        items.put("b", p -> p.tensor("0", 1 << 20, 0, new long[] {1 << 20}, new long[] {1}));
        Path file = zip("twice.ckpt", stored("archive/data.pkl", new Pickle().dictOf(items)), stored("archive/data/0", floats(4)));

        refused(file, "storage 0 is declared twice");
    }

    @Test
    public void manyTensorsViewingOneStorageLoadItOnce() throws IOException {
        Map<String, Consumer<Pickle>> items = new LinkedHashMap<>();
        for (int i = 0; i < 1000; i++) {
            items.put("t" + i, p -> p.tensor("0", 1 << 18, 0, new long[] {1 << 18}, new long[] {1}));
        }
        Path file = zip("shared.ckpt", stored("archive/data.pkl", new Pickle().dictOf(items)), stored("archive/data/0", floats(1 << 18)));

        Map<String, Object> read = CheckpointFile.read(file);

        long first = ((Tensor) read.get("t0")).data_ptr().address();
        assertTrue("1000 views of one 1 MB storage, not 1 GB", read.values().stream()
                .allMatch(t -> ((Tensor) t).data_ptr().address() == first));
    }

    /**
     * Every truncation and a single-byte change at every 7th offset of a real checkpoint: a clear error naming the
     * file, or (where the byte does not matter, e.g. a zip timestamp) the original values; never anything else.
     */
    @Test
    public void everyTruncationAndByteChangeIsAClearErrorOrLoadsTheOriginal() throws IOException {
        Map<String, Object> saved = new LinkedHashMap<>();
        Map<String, Object> state = new LinkedHashMap<>();
        torch.manual_seed(3);
        state.put("layer.weight", torch.randn(8, 4));
        state.put("layer.bias", torch.randn(8));
        saved.put("state_dict", state);
        saved.put("epoch", 2L);
        saved.put("hyper_parameters", Map.of("lr", 0.01));
        Path good = tmp.getRoot().toPath().resolve("good.ckpt");
        CheckpointFile.write(good, saved);
        byte[] bytes = Files.readAllBytes(good);
        List<byte[]> inputs = new ArrayList<>();
        for (int n = 0; n < bytes.length; n += 3) {
            inputs.add(Arrays.copyOf(bytes, n));
        }
        for (int at = 0; at < bytes.length; at += 7) {
            byte[] changed = bytes.clone();
            changed[at] ^= (byte) 0x5a;
            inputs.add(changed);
        }
        int clear = 0;
        int intact = 0;
        List<String> wrong = new ArrayList<>();
        Path file = tmp.getRoot().toPath().resolve("mutant.ckpt");
        for (byte[] input : inputs) {
            Files.write(file, input);
            try {
                Map<String, Object> read = CheckpointFile.read(file);
                if (sameWeights(state, read)) {
                    intact++;
                } else {
                    wrong.add("loaded different values from a " + input.length + "-byte input");
                }
            } catch (CheckpointException e) {
                if (e.getMessage().contains("mutant.ckpt")) {
                    clear++;
                } else {
                    wrong.add("an error not naming the file: " + e.getMessage());
                }
            } catch (RuntimeException e) {
                wrong.add("not a clear error: " + e);
            }
        }
        System.out.println("hostile checkpoints: " + inputs.size() + " inputs tried, " + clear + " refused with a clear error, "
                + intact + " loaded intact, " + wrong.size() + " wrong");
        assertEquals(wrong.toString(), List.of(), wrong);
        assertTrue(clear > inputs.size() / 2);
    }

    private static boolean sameWeights(Map<String, Object> expected, Map<String, Object> read) {
        if (!(read.get("state_dict") instanceof Map<?, ?> state) || !state.keySet().equals(expected.keySet())) {
            return false;
        }
        return expected.entrySet().stream().allMatch(e -> ((Tensor) e.getValue()).equal((Tensor) state.get(e.getKey())));
    }

    private static byte[] floatBytes(float f) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(f).array();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
