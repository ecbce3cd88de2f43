package io.torchlight.logger.tensorboard;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.imageio.ImageIO;

import com.google.protobuf.ByteString;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.logger.tensorboard.proto.DataType;
import io.torchlight.logger.tensorboard.proto.Event;
import io.torchlight.logger.tensorboard.proto.HistogramProto;
import io.torchlight.logger.tensorboard.proto.Summary;
import io.torchlight.logger.tensorboard.proto.SummaryMetadata;
import io.torchlight.logger.tensorboard.proto.TensorProto;
import io.torchlight.logger.tensorboard.proto.TensorShapeProto;

/**
 * What Lightning code reaches as {@code self.logger.experiment} on a TensorBoard logger, PyTorch's SummaryWriter:
 * {@code add_scalar}, {@code add_scalars} (each series in its own {@code <main_tag>_<key>} folder, as PyTorch writes
 * them), {@code add_text}, {@code add_histogram} and {@code add_image}, into the run's event files. Values are read off
 * the device when written.
 */
public final class TensorBoardExperiment {

    /** Buckets of a histogram. */
    public static final int HISTOGRAM_BINS = 30;

    private final Consumer<Event> write;
    private final Supplier<Path> folder;
    private final Map<String, EventWriter> series = new LinkedHashMap<>();

    TensorBoardExperiment(Consumer<Event> write, Supplier<Path> folder) {
        this.write = write;
        this.folder = folder;
    }

    /** {@code add_scalar}. */
    public void addScalar(String tag, double value, long step) {
        write.accept(event(step, Summary.Value.newBuilder().setTag(tag).setSimpleValue((float) value)));
    }

    /**
     * {@code add_scalars}: one chart {@code mainTag} with a line per key; each key's values go to the event file of the
     * folder {@code <mainTag with / as _>_<key>} beside the run's own, as PyTorch's SummaryWriter does.
     */
    public void addScalars(String mainTag, Map<String, Double> values, long step) {
        values.forEach((key, value) -> {
            EventWriter writer = series.computeIfAbsent(key,
                    k -> new EventWriter(folder.get().resolve(mainTag.replace('/', '_') + "_" + k)));
            writer.write(event(step, Summary.Value.newBuilder().setTag(mainTag).setSimpleValue(value.floatValue())));
        });
    }

    /** {@code add_text}: markdown text under {@code <tag>/text_summary}, as the text plugin shows it. */
    public void addText(String tag, String text, long step) {
        TensorProto tensor = TensorProto.newBuilder().setDtype(DataType.DT_STRING)
                .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(1)))
                .addStringVal(ByteString.copyFrom(text, StandardCharsets.UTF_8)).build();
        write.accept(event(step, Summary.Value.newBuilder().setTag(tag + "/text_summary").setTensor(tensor)
                .setMetadata(SummaryMetadata.newBuilder().setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("text")))));
    }

    /** {@code add_histogram} of every element of {@code values}. */
    public void addHistogram(String tag, Tensor values, long step) {
        Tensor flat = values.detach().to(torch.ScalarType.Double).cpu().contiguous().view(-1);
        double[] data = new double[(int) flat.numel()];
        flat.data_ptr_double().get(data);
        addHistogram(tag, data, step);
    }

    /** {@code add_histogram}: {@value #HISTOGRAM_BINS} equal buckets from the smallest value to the largest. */
    public void addHistogram(String tag, double[] values, long step) {
        if (values.length == 0) {
            throw new IllegalArgumentException("add_histogram('" + tag + "'): no values");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double squares = 0;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("add_histogram('" + tag + "'): NaN or infinity among the values");
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            squares += v * v;
        }
        int bins = max > min ? HISTOGRAM_BINS : 1;
        double width = (max - min) / bins;
        double[] counts = new double[bins];
        for (double v : values) {
            counts[bins == 1 ? 0 : Math.min(bins - 1, (int) ((v - min) / width))]++;
        }
        HistogramProto.Builder histo = HistogramProto.newBuilder().setMin(min).setMax(max).setNum(values.length).setSum(sum)
                .setSumSquares(squares);
        for (int i = 0; i < bins; i++) {
            histo.addBucketLimit(i == bins - 1 ? max : min + width * (i + 1)).addBucket(counts[i]);
        }
        write.accept(event(step, Summary.Value.newBuilder().setTag(tag).setHisto(histo)));
    }

    /**
     * {@code add_image} of a {@code [C, H, W]} tensor (C = 1, 3 or 4), as PyTorch's default {@code dataformats='CHW'}:
     * floating-point values in [0, 1] (clamped), or {@code uint8} values; stored as PNG.
     */
    public void addImage(String tag, Tensor image, long step) {
        long[] shape = image.sizes().vec().get();
        if (shape.length != 3 || !(shape[0] == 1 || shape[0] == 3 || shape[0] == 4)) {
            throw new IllegalArgumentException("add_image('" + tag + "'): expected a [C, H, W] image with C = 1, 3 or 4, got "
                    + Arrays.toString(shape));
        }
        Tensor pixels = image.detach().cpu();
        if (pixels.is_floating_point()) {
            pixels = pixels.clamp(new ScalarOptional(new Scalar(0.0)), new ScalarOptional(new Scalar(1.0)))
                    .mul(new Scalar(255.0)).round();
        }
        Tensor hwc = pixels.to(torch.ScalarType.Int).permute(1, 2, 0).contiguous();
        int channels = (int) shape[0];
        int height = (int) shape[1];
        int width = (int) shape[2];
        int[] values = new int[channels * height * width];
        hwc.data_ptr_int().get(values);
        write.accept(event(step, Summary.Value.newBuilder().setTag(tag).setImage(Summary.Image.newBuilder().setHeight(height)
                .setWidth(width).setColorspace(channels).setEncodedImageString(ByteString.copyFrom(png(values, channels, height, width))))));
    }

    private static byte[] png(int[] hwc, int channels, int height, int width) {
        BufferedImage img = new BufferedImage(width, height, channels == 4 ? BufferedImage.TYPE_INT_ARGB
                : channels == 3 ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int at = (y * width + x) * channels;
                if (channels == 1) {
                    img.getRaster().setSample(x, y, 0, hwc[at]);
                } else {
                    int rgb = (hwc[at] << 16) | (hwc[at + 1] << 8) | hwc[at + 2];
                    img.setRGB(x, y, channels == 4 ? (hwc[at + 3] << 24) | rgb : rgb);
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("add_image: PNG encoding failed: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    void flush() {
        series.values().forEach(EventWriter::flush);
    }

    void close() {
        series.values().forEach(EventWriter::close);
        series.clear();
    }

    private static Event event(long step, Summary.Value.Builder value) {
        return Event.newBuilder().setWallTime(EventWriter.now()).setStep(step).setSummary(Summary.newBuilder().addValue(value)).build();
    }
}
