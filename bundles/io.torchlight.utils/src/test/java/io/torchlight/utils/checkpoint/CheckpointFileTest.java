package io.torchlight.utils.checkpoint;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CheckpointFileTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void roundTripsEveryDtypeAndPlainValues() {
        Map<String, Object> state = new OrderedMap<>();
        Tensor f32 = torch.randn(3, 4);
        state.put("f32", f32);
        state.put("f64", torch.randn(2).to(ScalarType.Double));
        state.put("f16", torch.randn(5).to(ScalarType.Half));
        state.put("bf16", torch.randn(5).to(ScalarType.BFloat16));
        state.put("i64", torch.arange(new Scalar(7)));
        state.put("i32", torch.arange(new Scalar(7)).to(ScalarType.Int));
        state.put("bool", torch.ones(new long[] {3}, new TensorOptions(ScalarType.Bool)));
        state.put("transposed", f32.t());
        Map<String, Object> checkpoint = new LinkedHashMap<>();
        checkpoint.put("epoch", 3);
        checkpoint.put("global_step", 123456789012L);
        checkpoint.put("lr", 0.001);
        checkpoint.put("name", "boring ünïcode");
        checkpoint.put("flags", List.of(true, false));
        checkpoint.put("nothing", null);
        checkpoint.put("blob", new byte[] {1, 2, 3});
        checkpoint.put("state_dict", state);
        Path file = tmp.getRoot().toPath().resolve("a.ckpt");

        CheckpointFile.write(file, checkpoint);
        Map<String, Object> back = CheckpointFile.read(file);

        assertEquals(3L, back.get("epoch"));
        assertEquals(123456789012L, back.get("global_step"));
        assertEquals(0.001, back.get("lr"));
        assertEquals("boring ünïcode", back.get("name"));
        assertEquals(List.of(true, false), back.get("flags"));
        assertEquals(null, back.get("nothing"));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) back.get("blob"));
        @SuppressWarnings("unchecked")
        Map<String, Object> restored = (Map<String, Object>) back.get("state_dict");
        assertTrue(restored instanceof OrderedMap);
        for (Map.Entry<String, Object> e : state.entrySet()) {
            Tensor original = (Tensor) e.getValue();
            Tensor read = (Tensor) restored.get(e.getKey());
            assertEquals(e.getKey(), original.scalar_type().value, read.scalar_type().value);
            assertTrue(e.getKey(), original.equal(read));
        }
    }

    @Test
    public void aFailedWriteLeavesThePreviousCheckpoint() throws IOException {
        Path file = tmp.getRoot().toPath().resolve("keep.ckpt");
        CheckpointFile.write(file, Map.of("epoch", 1));

        assertThrows(IllegalArgumentException.class, () -> CheckpointFile.write(file, Map.of("bad", new Object())));

        assertEquals(1L, CheckpointFile.read(file).get("epoch"));
        try (var files = Files.list(tmp.getRoot().toPath())) {
            assertEquals("no temp file left", 1, files.count());
        }
    }

    @Test
    public void notACheckpointAtAll() throws IOException {
        Path text = Files.writeString(tmp.getRoot().toPath().resolve("notes.ckpt"), "just text");
        Path zipWithoutPickle = zip("other.ckpt", Map.of("x/readme.txt", "hi".getBytes(StandardCharsets.UTF_8)));

        assertMessage(text, "is not a valid zip archive");
        assertMessage(zipWithoutPickle, "has no <name>/data.pkl");
        assertMessage(tmp.getRoot().toPath().resolve("missing.ckpt"), "does not exist");
    }

    @Test
    public void aTruncatedCheckpoint() throws IOException {
        Path file = tmp.getRoot().toPath().resolve("full.ckpt");
        CheckpointFile.write(file, Map.of("w", torch.randn(100, 100)));
        byte[] bytes = Files.readAllBytes(file);
        Path cut = Files.write(tmp.getRoot().toPath().resolve("cut.ckpt"), Arrays.copyOf(bytes, bytes.length / 2));

        assertMessage(cut, "cut.ckpt is not a valid zip archive");
    }

    @Test
    public void aPickleNamingAForbiddenGlobalIsRefusedWithoutRunningIt() throws IOException {
        // os.system('touch pwned') through GLOBAL + REDUCE
        byte[] evil = "\u0080\u0002cos\nsystem\nX\u000b\u0000\u0000\u0000touch pwned\u0085R.".getBytes(StandardCharsets.ISO_8859_1);
        Path file = zip("evil.ckpt", Map.of("archive/data.pkl", evil));

        assertMessage(file, "names the pickle global os.system, which is not allowed");
        assertTrue(Files.notExists(Path.of("pwned")));
    }

    @Test
    public void aLyingStorageSizeIsRefusedBeforeAllocating() throws IOException {
        Path good = tmp.getRoot().toPath().resolve("good.ckpt");
        CheckpointFile.write(good, Map.of("w", torch.randn(4)));
        byte[] pickle;
        try (var zip = new ZipFile(good.toFile())) {
            pickle = zip.getInputStream(zip.getEntry("archive/data.pkl")).readAllBytes();
        }
        Path lying = zip("lying.ckpt", Map.of("archive/data.pkl", pickle, "archive/data/0", new byte[8]));

        assertMessage(lying, "record archive/data/0 holds 8 bytes but its tensor needs 16");
    }

    private void assertMessage(Path file, String part) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointFile.read(file));
        assertTrue(e.getMessage(), e.getMessage().contains(part) && e.getMessage().contains(file.getFileName().toString()));
    }

    private Path zip(String name, Map<String, byte[]> entries) throws IOException {
        Path file = tmp.getRoot().toPath().resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(new FileOutputStream(file.toFile()))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }
}
