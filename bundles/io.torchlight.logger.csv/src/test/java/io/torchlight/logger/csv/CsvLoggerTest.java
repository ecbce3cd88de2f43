package io.torchlight.logger.csv;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CsvLoggerTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void rowsMergePerStepAndTheHeaderGrowsWithoutLosingRows() throws Exception {
        Path dir = tmp.getRoot().toPath().resolve("version_0");
        CsvLogger logger = new CsvLogger();
        logger.setup(dir);

        logger.logMetrics(Map.of("loss", 0.5, "epoch", 0.0), 50);
        logger.save();
        logger.logMetrics(Map.of("loss", 0.25, "epoch", 0.0), 100);
        logger.logMetrics(Map.of("val_loss", 0.75, "epoch", 0.0), 100);
        logger.finalize("success");

        List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        assertEquals(3, lines.size());
        assertEquals("step", header.get(header.size() - 1));
        assertEquals(4, header.size());
        Map<String, String> last = row(header, lines.get(2));
        assertEquals("0.25", last.get("loss"));
        assertEquals("0.75", last.get("val_loss"));
        assertEquals("100", last.get("step"));
        assertEquals("", row(header, lines.get(1)).get("val_loss"));
        assertEquals("version_0", logger.version());
    }

    @Test
    public void savesAppendOnlyNewRowsAndRewriteWhenAWrittenRowChanges() throws Exception {
        Path dir = tmp.getRoot().toPath();
        CsvLogger logger = new CsvLogger(dir);
        for (int step = 1; step <= 200; step++) {
            logger.logMetrics(Map.of("loss", 1.0 / step), step);
            logger.save();
        }
        logger.logMetrics(Map.of("loss", 0.125), 200);
        logger.save();
        logger.logMetrics(Map.of("loss", 0.0625), 201);
        logger.finalize("success");

        List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals("loss,step", lines.get(0));
        assertEquals("one line per step, the merged step once", 202, lines.size());
        assertEquals("0.125,200", lines.get(200));
        assertEquals("0.0625,201", lines.get(201));
        for (int step = 1; step < 200; step++) {
            assertEquals(CsvLogger.number(1.0 / step) + "," + step, lines.get(step));
        }
    }

    @Test
    public void hyperparametersAsYaml() throws Exception {
        CsvLogger logger = new CsvLogger(tmp.getRoot().toPath());

        logger.logHyperparams(Map.of("lr", 0.01, "name", "my model"));

        List<String> yaml = Files.readAllLines(tmp.getRoot().toPath().resolve("hparams.yaml"));
        assertEquals(2, yaml.size());
        assertEquals(true, yaml.contains("lr: 0.01"));
        assertEquals(true, yaml.contains("name: 'my model'"));
    }

    private static Map<String, String> row(List<String> header, String line) {
        String[] cells = line.split(",", -1);
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            out.put(header.get(i), cells[i]);
        }
        return out;
    }
}
