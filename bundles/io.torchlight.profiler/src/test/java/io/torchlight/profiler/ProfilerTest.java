package io.torchlight.profiler;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.Limit;
import io.torchlight.api.Stage;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.api.profiler.Profiler;
import io.torchlight.core.Torchlight;
import io.torchlight.demos.BoringModel;
import io.torchlight.demos.RandomDataset;
import io.torchlight.strategy.single.SingleDeviceStrategy;
import io.torchlight.utils.config.ConfigurationException;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;

/**
 * The {@code profiler} flag and plug-ins, as Lightning 1.6.5's profilers (tests/profiler/test_profiler.py:
 * test_simple_profiler_log_dir, test_simple_profiler_describe, test_advanced_profiler_describe): after each stage its
 * report goes to {@code <stage>-profiler.txt} in the run folder, one row per action with its calls; the advanced one
 * adds where the time went by method.
 */
public class ProfilerTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static TrainerConfig.Builder config() {
        return TrainerConfig.builder().enableProgressBar(false).enableCheckpointing(false).enableModelSummary(false)
                .logger(false);
    }

    private Trainer trainer(TrainerConfig config, TrainerPlugins plugins) {
        return Torchlight.trainer(config, plugins);
    }

    private static TrainerPlugins cpu() {
        return TrainerPlugins.of(new CpuAccelerator(), new SingleDeviceStrategy());
    }

    private Path runDir() {
        return tmp.getRoot().toPath().resolve("lightning_logs/version_0");
    }

    private static long calls(String report, String action) {
        Matcher m = Pattern.compile("^" + Pattern.quote(action) + "\\s+\\|\\s+\\S+\\s+\\|\\s+(\\d+)\\s+\\|", Pattern.MULTILINE)
                .matcher(report);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Test
    public void simpleWritesEachStagesReportIntoTheRunFolder() throws Exception {
        Trainer trainer = trainer(config().maxEpochs(2).limitValBatches(Limit.count(2)).numSanityValSteps(0).profiler("simple")
                .defaultRootDir(tmp.getRoot().toPath()).build(), cpu());
        BoringModel model = new BoringModel();
        DataLoader data = DataLoader.of(new RandomDataset(32, 8)).batchSize(2).build();

        trainer.fit(model, Data.of(data));
        trainer.validate(model, Data.of(data), CkptPath.NONE);

        String fit = Files.readString(runDir().resolve("fit-profiler.txt"));
        assertTrue(fit, fit.startsWith("FIT Profiler Report"));
        assertTrue(fit, fit.contains("Mean duration (s)") && fit.contains("Num calls") && fit.contains("Percentage %"));
        assertEquals(fit, 2, calls(fit, "run_training_epoch"));
        assertEquals(fit, 8, calls(fit, "run_training_batch"));
        assertEquals(fit, 8, calls(fit, "[LightningModule]BoringModel.trainingStep"));
        assertEquals(fit, 2, calls(fit, "[LightningModule]BoringModel.onTrainEpochEnd"));
        String validate = Files.readString(runDir().resolve("validate-profiler.txt"));
        assertTrue(validate, validate.startsWith("VALIDATE Profiler Report"));
        assertEquals(validate, 2, calls(validate, "[LightningModule]BoringModel.validationStep"));
        assertEquals("fit validated twice, 2 batches each", 4, calls(fit, "[LightningModule]BoringModel.validationStep"));
        assertEquals("the validate report holds only its own stage", -1, calls(validate, "run_training_batch"));
    }

    @Test
    public void advancedAddsTheMethodsTheTrainingThreadSpentItsTimeIn() throws Exception {
        Trainer trainer = trainer(config().maxEpochs(3).limitValBatches(Limit.count(0)).profiler("advanced")
                .defaultRootDir(tmp.getRoot().toPath()).build(), cpu());

        trainer.fit(new BoringModel(), Data.of(DataLoader.of(new RandomDataset(32, 2048)).batchSize(4).build()));

        String fit = Files.readString(runDir().resolve("fit-profiler.txt"));
        assertEquals(fit, 3 * 512, calls(fit, "[LightningModule]BoringModel.trainingStep"));
        Matcher samples = Pattern.compile("sampled every 5 ms by JFR: (\\d+) samples").matcher(fit);
        assertTrue(fit, samples.find());
        assertTrue("1536 steps take longer than one sampling period: " + fit, Long.parseLong(samples.group(1)) > 0);
        Matcher row = Pattern.compile("^(\\d+\\.\\d+)\\s+\\|\\s+(\\d+\\.\\d+)\\s+\\|\\s+(\\d+)\\s+\\|\\s+(\\S+)$", Pattern.MULTILINE)
                .matcher(fit);
        assertTrue(fit, row.find());
        assertTrue("a method's own share is within its share on the stack: " + row.group(),
                Double.parseDouble(row.group(1)) <= Double.parseDouble(row.group(2)));
        assertTrue(fit, fit.contains("io.torchlight.") || fit.contains("org.bytedeco.pytorch."));
    }

    @Test
    public void aGivenProfilerReceivesEveryActionAndItsReportIsWrittenAsIs() throws Exception {
        List<String> actions = new ArrayList<>();
        Profiler counting = new Profiler() {
            @Override
            public String name() {
                return "counting";
            }

            @Override
            public Recording start(Stage stage) {
                return new Recording() {
                    @Override
                    public void record(String action, long nanos) {
                        assertTrue(nanos >= 0);
                        actions.add(action);
                    }

                    @Override
                    public String report() {
                        return stage + ": " + actions.size() + " actions\n";
                    }
                };
            }
        };
        Trainer trainer = trainer(config().maxEpochs(1).limitValBatches(Limit.count(0)).defaultRootDir(tmp.getRoot().toPath())
                .build(), cpu().withProfiler(counting));

        trainer.fit(new BoringModel(), Data.of(DataLoader.of(new RandomDataset(32, 6)).batchSize(2).build()));

        assertEquals(3, actions.stream().filter("run_training_batch"::equals).count());
        assertEquals(1, actions.stream().filter("[LightningModule]BoringModel.onFitStart"::equals).count());
        assertEquals("FIT: " + actions.size() + " actions\n", Files.readString(runDir().resolve("fit-profiler.txt")));
    }

    /** Fails in its third training step. */
    static final class FailingModel extends BoringModel {
        @Override
        public Object trainingStep(Batch batch, int batchIdx) {
            if (batchIdx == 2) {
                throw new IllegalStateException("batch 2 is broken");
            }
            return super.trainingStep(batch, batchIdx);
        }
    }

    @Test
    public void aFailedStageStillWritesItsReportAndKeepsItsOwnError() throws Exception {
        FailingModel failing = new FailingModel();
        Trainer trainer = trainer(config().maxEpochs(1).limitValBatches(Limit.count(0)).profiler("simple")
                .defaultRootDir(tmp.getRoot().toPath()).build(), cpu());

        RuntimeException e = assertThrows(RuntimeException.class,
                () -> trainer.fit(failing, Data.of(DataLoader.of(new RandomDataset(32, 8)).batchSize(2).build())));

        assertTrue(String.valueOf(e), String.valueOf(e).contains("batch 2 is broken")
                || String.valueOf(e.getCause()).contains("batch 2 is broken"));
        String fit = Files.readString(runDir().resolve("fit-profiler.txt"));
        assertEquals("the failed call is timed too", 3, calls(fit, "[LightningModule]FailingModel.trainingStep"));
    }

    @Test
    public void withoutAProfilerNothingIsWritten() throws Exception {
        Trainer trainer = trainer(config().maxEpochs(1).limitValBatches(Limit.count(0)).defaultRootDir(tmp.getRoot().toPath())
                .build(), cpu());

        trainer.fit(new BoringModel(), Data.of(DataLoader.of(new RandomDataset(32, 4)).batchSize(2).build()));

        try (var files = Files.walk(tmp.getRoot().toPath())) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith("-profiler.txt")).toList());
        }
    }

    @Test
    public void anUnknownProfilerIsRefusedWithWhatIsInstalled() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> trainer(config().profiler("pytorch").defaultRootDir(tmp.getRoot().toPath()).build(), cpu()));

        assertTrue(e.getMessage(), e.getMessage().startsWith("profiler=pytorch: ") && e.getMessage().contains("[advanced, simple]"));
    }

    @Test
    public void aMalformedProfilerNameIsAConfigurationError() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> config().profiler("Simple Profiler").build());

        assertTrue(e.getMessage(), e.getMessage().contains("profiler") && e.getMessage().contains("'Simple Profiler'"));
    }
}
