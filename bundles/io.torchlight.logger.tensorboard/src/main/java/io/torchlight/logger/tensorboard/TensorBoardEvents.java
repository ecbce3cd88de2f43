package io.torchlight.logger.tensorboard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.torchlight.logger.tensorboard.proto.Event;
import io.torchlight.logger.tensorboard.proto.Summary;

/**
 * Reads an event file back: every record's CRCs are checked and every event decoded. For tests and tools that
 * want to see what TensorBoard will see without TensorBoard.
 */
public final class TensorBoardEvents {

    /** One scalar summary value. */
    public record Scalar(long step, String tag, double value, double wallTime) {
    }

    private final String fileVersion;
    private final List<Scalar> scalars;
    private final List<String> textTags;

    private TensorBoardEvents(String fileVersion, List<Scalar> scalars, List<String> textTags) {
        this.fileVersion = fileVersion;
        this.scalars = List.copyOf(scalars);
        this.textTags = List.copyOf(textTags);
    }

    /** Reads {@code file}; an IOException names the record whose framing or CRC is wrong. */
    public static TensorBoardEvents read(Path file) throws IOException {
        String version = "";
        List<Scalar> scalars = new ArrayList<>();
        List<String> texts = new ArrayList<>();
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
                } else {
                    texts.add(value.getTag());
                }
            }
        }
        return new TensorBoardEvents(version, scalars, texts);
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

    /** Tags of the non-scalar (text) summaries, e.g. {@code hparams/text_summary}. */
    public List<String> textTags() {
        return textTags;
    }
}
