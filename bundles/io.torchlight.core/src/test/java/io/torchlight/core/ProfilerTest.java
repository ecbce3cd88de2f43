package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.Limit;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.Trainer;
import io.torchlight.core.internal.TrainerArgs;
import io.torchlight.demos.BoringModel;
import io.torchlight.demos.RandomDataset;
import io.torchlight.utils.data.DataLoader;

/**
 * {@code profiler="simple"}, as Lightning 1.6.5's SimpleProfiler (tests/profiler/test_profiler.py,
 * test_simple_profiler_log_dir and test_simple_profiler_describe): after each stage its report goes to
 * {@code <stage>-profiler.txt} in the run folder, one row per action with its calls.
 */
public class ProfilerTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static long calls(String report, String action) {
        Matcher m = Pattern.compile("^" + Pattern.quote(action) + "\\s+\\|\\s+\\S+\\s+\\|\\s+(\\d+)\\s+\\|", Pattern.MULTILINE)
                .matcher(report);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Test
    public void eachStageWritesItsReportIntoTheRunFolder() throws Exception {
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxEpochs(2).limitValBatches(Limit.count(2)).numSanityValSteps(0)
                .profiler("simple")
                .defaultRootDir(tmp.getRoot().toPath()).logger(false).build(), TestTrainers.plugins());
        BoringModel model = new BoringModel();
        DataLoader data = DataLoader.of(new RandomDataset(32, 8)).batchSize(2).build();

        trainer.fit(model, Data.of(data));
        trainer.validate(model, Data.of(data), CkptPath.NONE);

        Path dir = tmp.getRoot().toPath().resolve("lightning_logs/version_0");
        String fit = Files.readString(dir.resolve("fit-profiler.txt"));
        assertTrue(fit, fit.startsWith("FIT Profiler Report"));
        assertTrue(fit, fit.contains("Mean duration (s)") && fit.contains("Num calls") && fit.contains("Percentage %"));
        assertEquals(fit, 2, calls(fit, "run_training_epoch"));
        assertEquals(fit, 8, calls(fit, "run_training_batch"));
        assertEquals(fit, 8, calls(fit, "[LightningModule]BoringModel.trainingStep"));
        assertEquals(fit, 2, calls(fit, "[LightningModule]BoringModel.onTrainEpochEnd"));
        String validate = Files.readString(dir.resolve("validate-profiler.txt"));
        assertTrue(validate, validate.startsWith("VALIDATE Profiler Report"));
        assertEquals(validate, 2, calls(validate, "[LightningModule]BoringModel.validationStep"));
        assertEquals("fit validated twice, 2 batches each", 4, calls(fit, "[LightningModule]BoringModel.validationStep"));
        assertEquals("the validate report holds only its own stage", -1, calls(validate, "run_training_batch"));
    }

    @Test
    public void withoutAProfilerNothingIsWritten() throws Exception {
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).limitValBatches(Limit.count(0))
                .defaultRootDir(tmp.getRoot().toPath()).logger(false).build(), TestTrainers.plugins());

        trainer.fit(new BoringModel(), Data.of(DataLoader.of(new RandomDataset(32, 4)).batchSize(2).build()));

        try (var files = Files.walk(tmp.getRoot().toPath())) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith("-profiler.txt")).toList());
        }
    }

    @Test
    public void anUnknownProfilerIsRefusedNamingTheKey() {
        TorchlightException e = assertThrows(TorchlightException.class, () -> TrainerArgs.parse(Map.of("profiler", "advanced")));
        assertTrue(e.getMessage(), e.getMessage().startsWith("profiler: ") && e.getMessage().contains("simple or none"));
    }
}
