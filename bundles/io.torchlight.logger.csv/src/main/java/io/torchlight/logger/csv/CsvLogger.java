package io.torchlight.logger.csv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.torchlight.api.logger.FolderLogger;

/**
 * Logger {@code csv}, Lightning's CSVLogger layout: {@code metrics.csv} (a {@code step} column, one column
 * per metric, one row per step with values logged at the same step merged, columns added as metrics
 * appear) and {@code hparams.yaml}, in the run folder. A save appends the new rows in one write when the
 * columns are unchanged, and otherwise replaces the file atomically, so the cost of a save does not grow
 * with the run, the file is always valid CSV, and a crash loses at most what was logged since the last save.
 */
public class CsvLogger extends FolderLogger {

    /** The logger's name. */
    public static final String NAME = "csv";

    private final List<Map<String, Double>> rows = new ArrayList<>();
    private final Set<String> columns = new LinkedHashSet<>();
    private boolean dirty;
    /** The header of metrics.csv as on disk, how many rows it holds, and whether one of those has changed since. */
    private List<String> writtenHeader = List.of();
    private int writtenRows;
    private boolean writtenRowChanged;

    /** A logger that writes into the folder {@link #setup} names. */
    public CsvLogger() {
    }

    /** A logger that writes into this folder. */
    public CsvLogger(Path dir) {
        super(dir);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void setup(Path runDir) {
        super.setup(runDir);
        readExisting();
    }

    /** A logger that joins a run mid-way keeps what an earlier logger of the run wrote. */
    private void readExisting() {
        Path file = folder().resolve("metrics.csv");
        if (!rows.isEmpty() || !Files.isRegularFile(file)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(file);
            if (lines.isEmpty()) {
                return;
            }
            String[] header = lines.get(0).split(",", -1);
            for (String h : header) {
                columns.add(h);
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                Map<String, Double> row = new LinkedHashMap<>();
                for (int i = 0; i < Math.min(cells.length, header.length); i++) {
                    if (!cells[i].isEmpty()) {
                        row.put(header[i], Double.valueOf(cells[i]));
                    }
                }
                rows.add(row);
            }
            writtenHeader = List.of(header);
            writtenRows = rows.size();
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("csv logger cannot continue " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void logHyperparams(Map<String, Object> params) {
        StringBuilder yaml = new StringBuilder();
        params.forEach((k, v) -> yaml.append(k).append(": ").append(yamlScalar(v)).append('\n'));
        write("hparams.yaml", yaml.length() == 0 ? "{}\n" : yaml.toString());
    }

    @Override
    public void logMetrics(Map<String, Double> metrics, long step) {
        Map<String, Double> last = rows.isEmpty() ? null : rows.get(rows.size() - 1);
        Map<String, Double> row;
        if (last != null && last.get("step") == step) {
            row = last;
            writtenRowChanged |= rows.size() <= writtenRows;
        } else {
            row = new LinkedHashMap<>();
            rows.add(row);
        }
        row.putAll(metrics);
        row.put("step", (double) step);
        columns.addAll(metrics.keySet());
        dirty = true;
    }

    @Override
    public void save() {
        if (!dirty) {
            return;
        }
        List<String> header = new ArrayList<>(columns);
        header.remove("step");
        header.add("step");
        if (header.equals(writtenHeader) && !writtenRowChanged && Files.isRegularFile(folder().resolve("metrics.csv"))) {
            append("metrics.csv", lines(header, writtenRows).toString());
        } else {
            write("metrics.csv", lines(header, 0).insert(0, String.join(",", header) + "\n").toString());
            writtenHeader = List.copyOf(header);
        }
        writtenRows = rows.size();
        writtenRowChanged = false;
        dirty = false;
    }

    private StringBuilder lines(List<String> header, int from) {
        StringBuilder csv = new StringBuilder();
        for (Map<String, Double> row : rows.subList(from, rows.size())) {
            for (int i = 0; i < header.size(); i++) {
                Double v = row.get(header.get(i));
                csv.append(i == 0 ? "" : ",").append(v == null ? "" : number(v));
            }
            csv.append('\n');
        }
        return csv;
    }

    @Override
    public void finalize(String status) {
        save();
    }

    private void write(String name, String text) {
        Path dir = folder();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, name, ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("csv logger cannot write " + dir.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    /** New rows go in with one write call, so a killed process leaves whole lines only. */
    private void append(String name, String text) {
        if (text.isEmpty()) {
            return;
        }
        try {
            Files.writeString(folder().resolve(name), text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("csv logger cannot append to " + folder().resolve(name) + ": " + e.getMessage(), e);
        }
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static String yamlScalar(Object v) {
        if (v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        String s = String.valueOf(v);
        return s.matches("[A-Za-z0-9_./+-]+") && !s.matches("(?i)true|false|yes|no|null|~") ? s
                : "'" + s.replace("'", "''") + "'";
    }
}
