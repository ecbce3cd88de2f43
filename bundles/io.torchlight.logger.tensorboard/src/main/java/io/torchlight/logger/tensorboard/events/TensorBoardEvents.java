package io.torchlight.logger.tensorboard.events;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.Value;

import io.torchlight.logger.tensorboard.proto.Event;
import io.torchlight.logger.tensorboard.proto.HistogramProto;
import io.torchlight.logger.tensorboard.proto.Summary;
import io.torchlight.logger.tensorboard.proto.hparams.HParamsPluginData;

/**
 * Reads an event file back: every record's CRCs are checked and every event decoded. For tests and tools that
 * want to see what TensorBoard will see without TensorBoard. Not exported: the tensorboard bundle keeps it private,
 * the integration tests get it from the fixture bundle io.torchlight.itests.tensorboard.
 */
public final class TensorBoardEvents {

    /** TensorBoard's name for the hyperparameter plug-in's summaries. */
    private static final String HPARAMS_PLUGIN = "hparams";

    /** One scalar summary value. */
    public record Scalar(long step, String tag, double value, double wallTime) {
    }

    /** One text summary: its tag and markdown. */
    public record Text(long step, String tag, String text) {
    }

    /** One histogram: count, range, sum, and the right edge and count of each bucket. */
    public record Histogram(long step, String tag, double num, double min, double max, double sum, List<Double> bucketLimits,
            List<Double> buckets) {
    }

    /** One image: size, colour space (1 grey, 3 RGB, 4 RGBA) and the encoded (PNG) bytes. */
    public record Image(long step, String tag, int width, int height, int colorspace, byte[] encoded) {
    }

    private final String fileVersion;
    private final List<Scalar> scalars;
    private final List<String> textTags;
    private final Map<String, Object> hparams;
    private final List<String> experimentMetrics;
    private final String sessionStatus;
    private final List<Text> texts;
    private final List<Histogram> histograms;
    private final List<Image> images;

    private TensorBoardEvents(String fileVersion, List<Scalar> scalars, List<String> textTags, Map<String, Object> hparams,
            List<String> experimentMetrics, String sessionStatus, List<Text> texts, List<Histogram> histograms, List<Image> images) {
        this.fileVersion = fileVersion;
        this.scalars = List.copyOf(scalars);
        this.textTags = List.copyOf(textTags);
        this.hparams = Map.copyOf(hparams);
        this.experimentMetrics = List.copyOf(experimentMetrics);
        this.sessionStatus = sessionStatus;
        this.texts = List.copyOf(texts);
        this.histograms = List.copyOf(histograms);
        this.images = List.copyOf(images);
    }

    /** Reads {@code file}; an IOException names the record whose framing or CRC is wrong. */
    public static TensorBoardEvents read(Path file) throws IOException {
        String version = "";
        List<Scalar> scalars = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        Map<String, Object> hparams = new LinkedHashMap<>();
        List<String> metrics = new ArrayList<>();
        String status = "";
        List<Text> textValues = new ArrayList<>();
        List<Histogram> histograms = new ArrayList<>();
        List<Image> images = new ArrayList<>();
        List<byte[]> records;
        try (InputStream in = Files.newInputStream(file)) {
            records = TfRecords.readAll(in);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        for (byte[] record : records) {
            Event event = Event.parseFrom(record);
            if (event.hasFileVersion()) {
                version = event.getFileVersion();
            }
            for (Summary.Value value : event.getSummary().getValueList()) {
                if (value.hasSimpleValue()) {
                    scalars.add(new Scalar(event.getStep(), value.getTag(), value.getSimpleValue(), event.getWallTime()));
                } else if (value.hasHisto()) {
                    HistogramProto h = value.getHisto();
                    histograms.add(new Histogram(event.getStep(), value.getTag(), h.getNum(), h.getMin(), h.getMax(), h.getSum(),
                            h.getBucketLimitList(), h.getBucketList()));
                } else if (value.hasImage()) {
                    Summary.Image i = value.getImage();
                    images.add(new Image(event.getStep(), value.getTag(), i.getWidth(), i.getHeight(), i.getColorspace(),
                            i.getEncodedImageString().toByteArray()));
                } else if (value.getMetadata().getPluginData().getPluginName().equals(HPARAMS_PLUGIN)) {
                    HParamsPluginData data = HParamsPluginData.parseFrom(value.getMetadata().getPluginData().getContent());
                    data.getSessionStartInfo().getHparamsMap().forEach((k, v) -> hparams.put(k, plain(v)));
                    data.getExperiment().getMetricInfosList().forEach(m -> metrics.add(m.getName().getTag()));
                    if (data.hasSessionEndInfo()) {
                        status = data.getSessionEndInfo().getStatus().name();
                    }
                } else {
                    texts.add(value.getTag());
                    if (value.getTensor().getStringValCount() > 0) {
                        textValues.add(new Text(event.getStep(), value.getTag(), value.getTensor().getStringVal(0).toStringUtf8()));
                    }
                }
            }
        }
        return new TensorBoardEvents(version, scalars, texts, hparams, metrics, status, textValues, histograms, images);
    }

    private static Object plain(Value v) {
        return switch (v.getKindCase()) {
            case NUMBER_VALUE -> v.getNumberValue();
            case BOOL_VALUE -> v.getBoolValue();
            default -> v.getStringValue();
        };
    }

    /** The hyperparameters of the hparams plugin's session start, by name (numbers as Double). */
    public Map<String, Object> hparams() {
        return hparams;
    }

    /** The metrics the hparams experiment lists (the HPARAMS tab's columns). */
    public List<String> experimentMetrics() {
        return experimentMetrics;
    }

    /** How the hparams plugin's session ended ({@code STATUS_SUCCESS}, ...), or empty while it has not. */
    public String sessionStatus() {
        return sessionStatus;
    }

    /** The file version record's text, {@code brain.Event:2} for files we write. */
    public String fileVersion() {
        return fileVersion;
    }

    /** Every scalar in file order. */
    public List<Scalar> scalars() {
        return scalars;
    }

    /** The scalars with this tag, in file order. */
    public List<Scalar> scalars(String tag) {
        return scalars.stream().filter(s -> s.tag().equals(tag)).toList();
    }

    /** The text summaries with their markdown, in file order. */
    public List<Text> texts() {
        return texts;
    }

    /** The histograms, in file order. */
    public List<Histogram> histograms() {
        return histograms;
    }

    /** The images, in file order. */
    public List<Image> images() {
        return images;
    }

    /** Tags of the text summaries, e.g. {@code hparams/text_summary}. */
    public List<String> textTags() {
        return textTags;
    }
}
