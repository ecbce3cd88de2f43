package io.torchlight.logger.tensorboard;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.torchlight.logger.tensorboard.events.TensorBoardEvents;
import io.torchlight.logger.tensorboard.events.TfRecords;
import io.torchlight.logger.tensorboard.proto.Event;
import io.torchlight.logger.tensorboard.proto.Summary;

public class TensorBoardLoggerTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void crc32cMatchesTheRfc3720TestVectors() {
        byte[] zeros = new byte[32];
        byte[] ones = new byte[32];
        byte[] ascending = new byte[32];
        for (int i = 0; i < 32; i++) {
            ones[i] = (byte) 0xFF;
            ascending[i] = (byte) i;
        }
        assertEquals(0x8A9136AA, TfRecords.crc32c(zeros, 0, 32));
        assertEquals(0x62A8AB43, TfRecords.crc32c(ones, 0, 32));
        assertEquals(0x46DD794E, TfRecords.crc32c(ascending, 0, 32));
        // TensorFlow's crc32c "Mask" checks: masking changes a CRC, twice differs from once, unmask inverts
        int crc = TfRecords.crc32c("foo".getBytes(StandardCharsets.US_ASCII), 0, 3);
        assertTrue(crc != TfRecords.mask(crc));
        assertTrue(crc != TfRecords.mask(TfRecords.mask(crc)));
        assertEquals(crc, TfRecords.unmask(TfRecords.mask(crc)));
        assertEquals(crc, TfRecords.unmask(TfRecords.unmask(TfRecords.mask(TfRecords.mask(crc)))));
    }

    @Test
    public void writesAnEventFileTensorBoardCanRead() throws IOException {
        Path dir = tmp.getRoot().toPath().resolve("version_3");
        TensorBoardLogger logger = new TensorBoardLogger();
        logger.setup(dir);

        logger.logHyperparams(Map.of("lr", 0.01));
        logger.logMetrics(Map.of("loss", 0.5, "epoch", 0.0), 10);
        logger.logMetrics(Map.of("loss", 0.25), 20);
        logger.finalize("success");

        Path file = logger.eventFile().orElseThrow();
        assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."));
        List<Event> events = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (byte[] record : TfRecords.readAll(in)) {
                events.add(Event.parseFrom(record));
            }
        }
        assertEquals("brain.Event:2", events.get(0).getFileVersion());
        Summary.Value text = events.get(1).getSummary().getValue(0);
        assertEquals("text", text.getMetadata().getPluginData().getPluginName());
        assertTrue(text.getTensor().getStringVal(0).toStringUtf8().contains("|lr|0.01|"));
        List<String> scalars = new ArrayList<>();
        for (Event e : events) {
            for (Summary.Value v : e.getSummary().getValueList()) {
                if (v.hasSimpleValue()) {
                    scalars.add(e.getStep() + ":" + v.getTag() + "=" + v.getSimpleValue());
                    assertTrue(e.getWallTime() > 1.7e9);
                }
            }
        }
        List<String> expected = List.of("0:hp_metric=-1.0", "10:loss=0.5", "10:epoch=0.0", "20:loss=0.25");
        assertEquals(expected.size(), scalars.size());
        assertTrue(scalars.toString(), scalars.containsAll(expected));
    }

    @Test
    public void eventsReadBackByTagAndTheFileStaysReadableWhileOpen() throws IOException {
        TensorBoardLogger logger = new TensorBoardLogger(tmp.getRoot().toPath());
        logger.logMetrics(Map.of("loss", 1.5), 1);
        logger.logMetrics(Map.of("loss", 0.75, "acc", 0.5), 2);
        logger.save();

        TensorBoardEvents events = TensorBoardEvents.read(logger.eventFile().orElseThrow());

        assertEquals("brain.Event:2", events.fileVersion());
        assertEquals(List.of(1L, 2L), events.scalars("loss").stream().map(TensorBoardEvents.Scalar::step).toList());
        assertEquals(0.75, events.scalars("loss").get(1).value(), 0.0);
        assertEquals(3, events.scalars().size());
        logger.finalize("success");
    }

    @Test
    public void hyperparametersForTheHparamsPluginAndTheSessionStatusAtTheEnd() throws IOException {
        TensorBoardLogger logger = new TensorBoardLogger(tmp.getRoot().toPath());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("lr", 0.01);
        params.put("optimizer", "adam");
        params.put("amsgrad", true);
        params.put("layers", 3);
        logger.logHyperparams(params);
        logger.save();

        TensorBoardEvents running = TensorBoardEvents.read(logger.eventFile().orElseThrow());
        logger.finalize("failed");
        TensorBoardEvents ended = TensorBoardEvents.read(logger.eventFile().orElseThrow());

        assertEquals(Map.of("lr", 0.01, "optimizer", "adam", "amsgrad", true, "layers", 3.0), running.hparams());
        // Lightning 1.6.5's TensorBoardLogger.log_hyperparams with default_hp_metric: hp_metric = -1 at step 0, and the
        // experiment lists it, so TensorBoard's HPARAMS tab has a metric column
        assertEquals(List.of(0L), running.scalars("hp_metric").stream().map(TensorBoardEvents.Scalar::step).toList());
        assertEquals(-1.0, running.scalars("hp_metric").get(0).value(), 0.0);
        assertEquals(List.of("hp_metric"), running.experimentMetrics());
        assertEquals("", running.sessionStatus());
        assertEquals("STATUS_FAILURE", ended.sessionStatus());
        assertEquals(List.of("hparams/text_summary"), ended.textTags());
    }

    @Test
    public void aCorruptRecordIsDetected() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TfRecords.write(out, "hello".getBytes(StandardCharsets.US_ASCII));
        byte[] bytes = out.toByteArray();
        bytes[13] ^= 1;

        IOException e = assertThrows(IOException.class, () -> TfRecords.readAll(new ByteArrayInputStream(bytes)));

        assertTrue(e.getMessage(), e.getMessage().contains("record 0: data CRC mismatch"));
    }
}
