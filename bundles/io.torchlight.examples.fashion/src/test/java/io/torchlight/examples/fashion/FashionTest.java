package io.torchlight.examples.fashion;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.Limit;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.core.Torchlight;
import io.torchlight.strategy.single.SingleDeviceStrategy;

public class FashionTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    private static byte[] header(int magic, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    @Test
    public void readsImagesAndLabels() throws IOException {
        byte[] raw = ByteBuffer.allocate(16 + 2 * 4).put(header(2051, 2, 2, 2)).put(new byte[] {0, 1, 2, 3, 4, 5, 6, (byte) 255})
                .array();

        Tensor images = IdxFiles.images(new ByteArrayInputStream(gzip(raw)), "tiny-images.gz");
        Tensor labels = IdxFiles.labels(new ByteArrayInputStream(gzip(ByteBuffer.allocate(10).put(header(2049, 2))
                .put(new byte[] {3, 9}).array())), "tiny-labels.gz");

        assertArrayEquals(new long[] {2, 1, 2, 2}, images.sizes().vec().get());
        assertEquals(255, images.select(0, 1).flatten().select(0, 3).item_long());
        assertEquals(12, labels.sum().item_long());
    }

    @Test
    public void badFilesAreNamedWithTheProblem() throws IOException {
        byte[] truncated = gzip(ByteBuffer.allocate(16 + 3).put(header(2051, 2, 2, 2)).put(new byte[] {1, 2, 3}).array());
        byte[] wrongMagic = gzip(header(2049, 5));

        TorchlightException shortFile = assertThrows(TorchlightException.class,
                () -> IdxFiles.images(new ByteArrayInputStream(truncated), "train-images.gz"));
        TorchlightException labelsAsImages = assertThrows(TorchlightException.class,
                () -> IdxFiles.images(new ByteArrayInputStream(wrongMagic), "labels-by-mistake.gz"));
        TorchlightException notGzip = assertThrows(TorchlightException.class,
                () -> IdxFiles.labels(new ByteArrayInputStream(new byte[] {1, 2, 3, 4}), "plain.bin"));
        TorchlightException hugeHeader = assertThrows(TorchlightException.class,
                () -> IdxFiles.images(new ByteArrayInputStream(gzip(header(2051, 2_000_000_000, 28, 28))), "lying.gz"));

        assertTrue(shortFile.getMessage(), shortFile.getMessage().contains("train-images.gz is truncated"));
        assertTrue(labelsAsImages.getMessage(), labelsAsImages.getMessage().contains("labels-by-mistake.gz is not an IDX image file"));
        assertTrue(notGzip.getMessage(), notGzip.getMessage().contains("plain.bin is not a gzip file"));
        assertTrue(hugeHeader.getMessage(), hugeHeader.getMessage().contains("implausible header"));
    }

    @Test
    public void aConfiguredFolderMustHoldEveryFile() throws IOException {
        Path dir = tmp.newFolder("fashion").toPath();
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), new byte[] {1});

        TorchlightException e = assertThrows(TorchlightException.class, () -> FashionData.locate(dir));

        assertTrue(e.getMessage(), e.getMessage().contains(dir.resolve("train-labels-idx1-ubyte.gz").toString()));
    }

    @Test
    public void theMlpLearnsOnTheShippedSample() {
        torch.manual_seed(0);
        FashionMlp mlp = new FashionMlp();
        mlp.saveHyperparameters(Map.of("batch_size", "32", "data_dir", FashionData.SAMPLE));
        Trainer trainer = Torchlight.trainer(TrainerConfig.builder()
                .maxEpochs(2).limitTrainBatches(Limit.count(60)).seed(1L)
                .defaultRootDir(tmp.getRoot().toPath()).build(), TrainerPlugins.of(new CpuAccelerator(), new SingleDeviceStrategy()));

        trainer.fit(mlp);

        // 60 batches of 32 twice from ~14% to well above chance on held-out images
        assertTrue(trainer.view().callbackMetrics().toString(), trainer.view().callbackMetrics().get("val_acc") > 0.6);
    }

    @Test
    public void theCnnMapsImagesToTenClasses() {
        FashionCnn cnn = new FashionCnn();

        Tensor logits = cnn.forward(torch.randn(3, 1, 28, 28));

        assertArrayEquals(new long[] {3, 10}, logits.sizes().vec().get());
    }
    @Test
    public void aHeaderWhosePixelCountOverflowsAnIntIsRefusedAndALyingOneAllocatesNothing() throws IOException {
        // 1,000,000 x 1024 x 1024 is 2^40 pixels: as an int product it wrapped to 0 and read an empty array
        TorchlightException overflow = assertThrows(TorchlightException.class,
                () -> IdxFiles.images(new ByteArrayInputStream(gzip(header(2051, 1_000_000, 1024, 1024))), "huge.gz"));
        // 784 MB announced by a 30-byte file: read as the bytes come, so it ends as truncated, not as a 784 MB array
        TorchlightException lying = assertThrows(TorchlightException.class,
                () -> IdxFiles.images(new ByteArrayInputStream(gzip(header(2051, 1_000_000, 28, 28))), "short.gz"));

        assertTrue(overflow.getMessage(), overflow.getMessage().contains("huge.gz is implausible header")
                && overflow.getMessage().contains("more than 2 GB"));
        assertTrue(lying.getMessage(), lying.getMessage().contains("short.gz is truncated"));
    }

    @Test
    public void imageAndLabelFilesThatDisagreeOnTheCountNameBothFiles() throws IOException {
        Path dir = tmp.newFolder("mixed").toPath();
        byte[] images = ByteBuffer.allocate(16 + 3 * 28 * 28).put(header(2051, 3, 28, 28)).array();
        byte[] labels = ByteBuffer.allocate(8 + 2).put(header(2049, 2)).array();
        for (String prefix : List.of("train", "t10k")) {
            Files.write(dir.resolve(prefix + "-images-idx3-ubyte.gz"), gzip(images));
            Files.write(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), gzip(labels));
        }

        TorchlightException e = assertThrows(TorchlightException.class, () -> FashionData.locate(dir).split(true));

        assertEquals("Fashion-MNIST files " + dir.resolve("train-images-idx3-ubyte.gz") + " and "
                + dir.resolve("train-labels-idx1-ubyte.gz") + " disagree: 3 images but 2 labels (use the image and label files "
                + "of one release)", e.getMessage());
    }
}
