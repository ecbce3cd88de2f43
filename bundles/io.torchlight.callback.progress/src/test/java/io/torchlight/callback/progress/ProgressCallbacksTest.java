package io.torchlight.callback.progress;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.Callback;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Limit;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.api.logger.Logger;
import io.torchlight.api.optim.Interval;
import io.torchlight.api.optim.LrSchedulerConfig;
import io.torchlight.api.optim.OptimizerConfig;
import io.torchlight.core.Torchlight;
import io.torchlight.demos.BoringModel;
import io.torchlight.strategy.single.SingleDeviceStrategy;
import io.torchlight.utils.optim.StepLR;

public class ProgressCallbacksTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    /** Records what a logger is given, for the LR monitor. */
    static final class Recording implements Logger {
        final Map<Long, Map<String, Double>> metrics = new TreeMap<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public String version() {
            return "version_7";
        }

        @Override
        public void logHyperparams(Map<String, Object> params) {
        }

        @Override
        public void logMetrics(Map<String, Double> values, long step) {
            metrics.computeIfAbsent(step, s -> new TreeMap<>()).putAll(values);
        }
    }

    private Trainer fit(TrainerConfig.Builder config, Callback... callbacks) {
        return fit(config, null, callbacks);
    }

    private Trainer fit(TrainerConfig.Builder config, Logger logger, Callback... callbacks) {
        return fitModel(config, logger, new BoringModel(), callbacks);
    }

    private Trainer fitModel(TrainerConfig.Builder config, Logger logger, LightningModule model, Callback... callbacks) {
        config.maxEpochs(2).limitTrainBatches(Limit.count(20)).limitValBatches(Limit.count(4)).numSanityValSteps(0)
                .defaultRootDir(tmp.getRoot().toPath());
        TrainerPlugins plugins = TrainerPlugins.of(new CpuAccelerator(), new SingleDeviceStrategy()).withCallbacks(List.of(callbacks));
        Trainer trainer = Torchlight.trainer(config.build(), logger == null ? plugins : plugins.withLogger(logger));
        trainer.fit(model);
        return trainer;
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void plainLinesOutsideATerminalShowEpochStepAndLoss() {
        Recording logger = new Recording();
        fit(TrainerConfig.builder(), logger, new ProgressBar(new ProgressBar.Settings(5, ProgressBar.Mode.LINES, out)));

        String text = output();
        assertFalse("no control characters: " + text, text.contains("\r") || text.contains("\u001b"));
        List<String> epochZero = text.lines().filter(l -> l.startsWith("Epoch 0: ")).toList();
        assertEquals(text, List.of("5/20", "10/20", "15/20", "20/20"),
                epochZero.stream().map(l -> l.substring("Epoch 0: ".length(), l.indexOf(' ', "Epoch 0: ".length()))).toList());
        assertTrue(text, epochZero.get(3).matches("Epoch 0: 20/20 \\[\\d\\d:\\d\\d<00:00, [0-9.]+it/s, loss=[0-9.e-]+, v_num=7.*\\]"));
        assertTrue(text, text.lines().anyMatch(l -> l.startsWith("Epoch 1: 20/20 ")));
        assertEquals(text, 2, text.lines().filter(l -> l.startsWith("Validation: 4/4 ")).count());
    }

    @Test
    public void onATerminalEachStageIsOneLineRedrawnInPlace() {
        fit(TrainerConfig.builder(), new ProgressBar(new ProgressBar.Settings(1, ProgressBar.Mode.TERMINAL, out)));

        String text = output();
        // per epoch: the training bar, a validation bar below it that is removed at its end (erase, cursor up),
        // then the training bar redrawn in place and ended
        assertEquals(text, 4, text.chars().filter(c -> c == '\n').count());
        assertTrue(text, text.startsWith("\rEpoch 0: 1/20 ["));
        assertTrue(text, text.contains("\rValidation: 4/4 ["));
        assertTrue(text, text.contains("\r\u001b[K\u001b[A\rEpoch 0: 20/20 ["));
        assertTrue(text, text.contains("\r\u001b[K\u001b[A\rEpoch 1: 20/20 ["));
    }

    @Test
    public void onATerminalLinesAreCutToItsWidthSoTheyCanBeRedrawn() {
        fit(TrainerConfig.builder(), new ProgressBar(new ProgressBar.Settings(1, ProgressBar.Mode.TERMINAL, out, 40)));

        for (String draw : output().split("[\r\n]")) {
            String visible = draw.replace("\u001b[K", "").replace("\u001b[A", "");
            assertTrue("'" + visible + "' is wider than 39 columns", visible.length() <= 39);
        }
        assertTrue(output(), output().contains("\rEpoch 0: 20/20 ["));
    }

    @Test
    public void enableProgressBarAndEnableModelSummaryFalseLeaveThemOut() {
        Trainer trainer = fit(TrainerConfig.builder().enableProgressBar(false).enableModelSummary(false),
                new ProgressBar(new ProgressBar.Settings(1, ProgressBar.Mode.LINES, out)), new ModelSummary(1, out));

        assertEquals("", output());
        assertTrue(trainer.view().callbacks().isEmpty());
    }

    @Test
    public void modelSummaryListsLayersAndTotals() {
        fit(TrainerConfig.builder(), new ModelSummary(1, out));

        List<String> lines = output().lines().toList();
        assertTrue(output(), lines.get(0).matches("\\s*\\| Name\\s*\\| Type\\s*\\| Params"));
        assertTrue(output(), lines.get(2).matches("0 \\| layer\\s*\\| Linear \\| 66"));
        assertTrue(output(), lines.contains("66        Trainable params"));
        assertTrue(output(), lines.contains("0         Non-trainable params"));
        assertTrue(output(), lines.contains("0.000     Total estimated model params size (MB)"));
    }

    @Test
    public void maxDepthListsNestedLayersByTheirDottedNames() {
        Module outer = new Module();
        Module block = new Module();
        block.register_module("fc", new LinearImpl(4, 3));
        outer.register_module("block", block);
        outer.register_module("head", new LinearImpl(3, 1));

        List<ModelSummary.Layer> top = new ModelSummary(1, out).layers(outer);
        List<ModelSummary.Layer> all = new ModelSummary(-1, out).layers(outer);

        assertEquals(List.of("block", "head"), top.stream().map(ModelSummary.Layer::name).toList());
        assertEquals(List.of("block", "block.fc", "head"), all.stream().map(ModelSummary.Layer::name).toList());
        assertEquals(List.of(15L, 15L, 4L), all.stream().map(ModelSummary.Layer::params).toList());
        assertEquals("Linear", all.get(1).type());
        assertTrue(new ModelSummary(0, out).layers(outer).isEmpty());
        assertTrue(new ModelSummary(0, out).summarize(outer).startsWith("19        Trainable params"));
    }

    @Test
    public void humanReadableCounts() {
        assertEquals("100", ModelSummary.humanCount(100));
        assertEquals("1.3 K", ModelSummary.humanCount(1300));
        assertEquals("102 K", ModelSummary.humanCount(101_770));
        assertEquals("1.2 M", ModelSummary.humanCount(1_200_000));
        assertEquals("Linear", ModelSummary.typeName("torch::nn::LinearImpl"));
    }

    @Test
    public void learningRateMonitorLogsEachEpochsRate() {
        Recording logger = new Recording();
        fit(TrainerConfig.builder(), logger, new LearningRateMonitor(Interval.EPOCH));

        List<Double> rates = new ArrayList<>();
        logger.metrics.values().forEach(m -> {
            if (m.containsKey("lr-SGD")) {
                rates.add(m.get("lr-SGD"));
            }
        });
        // BoringModel's StepLR multiplies the rate by 0.1 after every epoch
        assertEquals(2, rates.size());
        assertEquals(0.1, rates.get(0), 1e-9);
        assertEquals(0.01, rates.get(1), 1e-9);
    }

    /** Lightning 1.6.5's LearningRateMonitor._find_names: a scheduler configuration's name is the logged key. */
    @Test
    public void learningRateMonitorUsesTheSchedulerConfigurationsName() {
        List<Double> named = new ArrayList<>();
        BoringModel model = new BoringModel() {
            @Override
            public Object configureOptimizers() {
                SGD sgd = new SGD(parameters(), new SGDOptions(0.1));
                return OptimizerConfig.of(sgd).scheduler(LrSchedulerConfig.of(new StepLR(sgd, 1, 0.5)).name("generator_lr"));
            }
        };
        Recording second = new Recording();
        fitModel(TrainerConfig.builder(), second, model, new LearningRateMonitor(Interval.EPOCH));
        second.metrics.values().forEach(m -> {
            if (m.containsKey("generator_lr")) {
                named.add(m.get("generator_lr"));
            }
        });

        assertEquals("the rate of each of the 2 epochs, under the configured name", List.of(0.1, 0.05), named);
    }

    @Test
    public void learningRateMonitorLogsAtLoggingSteps() {
        Recording logger = new Recording();
        fit(TrainerConfig.builder().logEveryNSteps(5), logger, new LearningRateMonitor(Interval.STEP));

        Map<Long, Double> rates = new TreeMap<>();
        logger.metrics.forEach((step, m) -> {
            if (m.containsKey("lr-SGD")) {
                rates.put(step, m.get("lr-SGD"));
            }
        });
        // 20 batches an epoch, a rate every 5 steps; StepLR lowers it tenfold after the first epoch
        assertEquals(List.of(0L, 5L, 10L, 15L, 20L, 25L, 30L, 35L), new ArrayList<>(rates.keySet()));
        assertEquals(0.1, rates.get(15L), 1e-9);
        assertEquals(0.01, rates.get(20L), 1e-9);
    }

    @Test
    public void progressLineFormatting() {
        ProgressLine line = new ProgressLine("Epoch 3", 45, 60, 3_000_000_000L, new LinkedHashMap<>(Map.of("loss", 0.123456)));

        assertEquals("Epoch 3: 45/60 [00:03<00:01, 15.00it/s, loss=0.123]", line.toString());
        assertEquals("1.23e-05", ProgressLine.value(0.0000123));
        assertEquals("1.00e-05", ProgressLine.value(1e-5));
        assertEquals("0.0001", ProgressLine.value(0.000099996)); // rounds up into the plain range
        assertEquals("-2.50e+07", ProgressLine.value(-2.5e7));
        assertEquals("21.5", ProgressLine.value(21.5));
        assertEquals("3", ProgressLine.value(3.0));
        assertEquals("1:01:01", ProgressLine.clock(3661));
        IllegalArgumentException bad = org.junit.Assert.assertThrows(IllegalArgumentException.class, () -> ProgressBar.mode("fancy"));
        assertEquals("progress bar mode must be auto, terminal or lines, not 'fancy'", bad.getMessage());
    }
    /** The hand-built formatting prints what String.format printed before (%.2f rates, %02d clocks, %.3g values). */
    @Test
    public void handBuiltFormattingMatchesStringFormat() {
        Random random = new Random(7);
        for (int i = 0; i < 5000; i++) {
            long seconds = random.nextInt(20_000);
            String clock = seconds >= 3600
                    ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                    : String.format(Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60);
            assertEquals(clock, ProgressLine.clock(seconds + 0.5));
            double v = Math.pow(10, random.nextDouble() * 8 - 3) * (random.nextBoolean() ? 1 : -1);
            assertEquals(String.valueOf(v), new BigDecimal(String.format(Locale.ROOT, "%.3g", v))
                    .stripTrailingZeros().toPlainString(), ProgressLine.value(v));
            double far = Math.pow(10, random.nextDouble() * 60 - 30) * (random.nextBoolean() ? 1 : -1);
            if (Math.abs(far) < 1e-4 || Math.abs(far) >= 1e6) {
                assertEquals(String.valueOf(far), String.format(Locale.ROOT, "%.3g", far), ProgressLine.value(far));
            }
            long done = 1 + random.nextInt(5000);
            long elapsed = 1 + (long) (random.nextDouble() * 100e9);
            String line = new ProgressLine("Epoch 0", done, 0, elapsed, Map.of()).toString();
            double rate = done / (elapsed / 1e9);
            String expected = rate >= 1 ? String.format(Locale.ROOT, "%.2fit/s", rate)
                    : String.format(Locale.ROOT, "%.2fs/it", 1 / rate);
            assertTrue(line + " vs " + expected, line.endsWith(", " + expected + "]"));
        }
    }
}
