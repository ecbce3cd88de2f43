package io.torchlight.logger.tensorboard;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import org.bytedeco.pytorch.Tensor;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.torchlight.api.logger.Logger;
import io.torchlight.logger.tensorboard.events.TensorBoardEvents;

/**
 * {@code logger.experiment} of the TensorBoard logger, PyTorch's SummaryWriter calls, read back from the event
 * files as TensorBoard reads them.
 */
public class TensorBoardExperimentTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private TensorBoardLogger logger() {
        TensorBoardLogger logger = new TensorBoardLogger();
        logger.setup(tmp.getRoot().toPath().resolve("version_0"));
        return logger;
    }

    private static TensorBoardEvents read(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return TensorBoardEvents.read(files.filter(f -> f.getFileName().toString().startsWith("events.out.tfevents.")).findFirst()
                    .orElseThrow());
        }
    }

    @Test
    public void textHistogramsAndImagesGoIntoTheRunsEventFile() throws IOException {
        TensorBoardLogger logger = logger();
        Logger asLogger = logger;
        TensorBoardExperiment tb = (TensorBoardExperiment) asLogger.experiment();

        tb.addText("notes", "**bold** move", 3);
        tb.addHistogram("weights", Tensor.create(new double[] {0, 1, 1, 2, 3, 3, 3, 9}), 4);
        tb.addHistogram("constant", new double[] {2, 2, 2}, 4);
        // 2x3 RGB image: red, green, blue / white, black, grey (floats in [0, 1], 2.0 clamps to 1)
        float[] chw = {1, 0, 0, 1, 0, 0.5f, 0, 1, 0, 1, 0, 0.5f, 0, 0, 2, 1, 0, 0.5f};
        tb.addImage("sample", Tensor.create(chw).view(3, 2, 3), 5);
        tb.addScalar("lr", 0.1, 6);
        logger.finalize("success");

        TensorBoardEvents events = read(tmp.getRoot().toPath().resolve("version_0"));
        assertEquals(List.of(new TensorBoardEvents.Text(3, "notes/text_summary", "**bold** move")), events.texts());
        TensorBoardEvents.Histogram weights = events.histograms().get(0);
        assertEquals("weights", weights.tag());
        assertEquals(8, weights.num(), 0.0);
        assertEquals(0, weights.min(), 0.0);
        assertEquals(9, weights.max(), 0.0);
        assertEquals(22, weights.sum(), 0.0);
        assertEquals(TensorBoardExperiment.HISTOGRAM_BINS, weights.buckets().size());
        assertEquals(8, weights.buckets().stream().mapToDouble(Double::doubleValue).sum(), 0.0);
        assertEquals(9, weights.bucketLimits().get(weights.bucketLimits().size() - 1), 0.0);
        assertEquals("the three 3s share a bucket", 3, weights.buckets().stream().mapToDouble(Double::doubleValue).max().orElseThrow(), 0.0);
        assertEquals(List.of(3.0), events.histograms().get(1).buckets());

        TensorBoardEvents.Image image = events.images().get(0);
        assertEquals(List.of(5L, 3, 2, 3), List.of(image.step(), image.width(), image.height(), image.colorspace()));
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(image.encoded()));
        assertEquals(0xFF0000, png.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x00FF00, png.getRGB(1, 0) & 0xFFFFFF);
        assertEquals(0x0000FF, png.getRGB(2, 0) & 0xFFFFFF);
        assertEquals(0xFFFFFF, png.getRGB(0, 1) & 0xFFFFFF);
        assertEquals(0x000000, png.getRGB(1, 1) & 0xFFFFFF);
        assertEquals(0x808080, png.getRGB(2, 1) & 0xFFFFFF);
        assertEquals(0.1, events.scalars("lr").get(0).value(), 1e-6);
    }

    @Test
    public void addScalarsWritesEachSeriesIntoItsOwnFolderUnderTheMainTag() throws IOException {
        TensorBoardLogger logger = logger();
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("train", 0.5);
        values.put("val", 0.7);

        logger.experiment().addScalars("loss/compare", values, 10);
        logger.experiment().addScalars("loss/compare", Map.of("train", 0.4), 20);
        logger.finalize("success");

        Path run = tmp.getRoot().toPath().resolve("version_0");
        TensorBoardEvents train = read(run.resolve("loss_compare_train"));
        TensorBoardEvents val = read(run.resolve("loss_compare_val"));
        assertEquals(List.of(10L, 20L), train.scalars("loss/compare").stream().map(TensorBoardEvents.Scalar::step).toList());
        assertEquals(0.4, train.scalars("loss/compare").get(1).value(), 1e-6);
        assertEquals(0.7, val.scalars("loss/compare").get(0).value(), 1e-6);
    }

    @Test
    public void badInputIsRefusedNamingTheTag() {
        TensorBoardExperiment tb = logger().experiment();
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> tb.addImage("img", Tensor.create(new float[] {1, 2, 3, 4}).view(2, 2), 0));
        assertTrue(shape.getMessage(), shape.getMessage().contains("add_image('img'): expected a [C, H, W] image"));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> tb.addHistogram("h", new double[] {1, Double.NaN}, 0));
        assertTrue(nan.getMessage(), nan.getMessage().contains("NaN or infinity"));
        assertThrows(IllegalArgumentException.class, () -> tb.addHistogram("h", new double[0], 0));
    }
}
