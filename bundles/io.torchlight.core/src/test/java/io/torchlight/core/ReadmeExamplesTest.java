package io.torchlight.core;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.Data;
import io.torchlight.api.Limit;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.strategy.single.SingleDeviceStrategy;
import io.torchlight.utils.data.DataLoader;
import io.torchlight.utils.data.TensorDataset;

/**
 * The README's "Writing a module" and "Without the container" code, compiled and run here; the last test fails when
 * a line of those snippets is not in this file any more, so the page cannot drift from the API.
 */
public class ReadmeExamplesTest {

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private static DataLoader loader(long n) {
        Tensor x = torch.randn(n, 784);
        Tensor y = torch.randint(10, new long[] {n});
        return DataLoader.of(new TensorDataset(x, y)).batchSize(32).build();
    }

    @Test
    public void withoutTheContainer() {
        torch.manual_seed(0);
        DataLoader trainLoader = loader(256);
        DataLoader valLoader = loader(64);
        Map<String, Double> seen;
        // ---- README: Without the container ----
        TrainerConfig config = TrainerConfig.builder().maxEpochs(3).limitValBatches(Limit.fraction(0.5)).build();
        TrainerPlugins plugins = TrainerPlugins.of(new CpuAccelerator(), new SingleDeviceStrategy());
        config = config.toBuilder().defaultRootDir(tmp.getRoot().toPath()).enableProgressBar(false).build();
        try (Trainer trainer = Torchlight.trainer(config, plugins)) {
            LitClassifier model = new LitClassifier();
            trainer.fit(model, Data.of(trainLoader, valLoader));
            Map<String, Double> metrics = trainer.view().callbackMetrics();
            seen = metrics;
            assertTrue(metrics.toString(), trainer.view().globalStep() == 24 && metrics.containsKey("val_loss"));
        }
        assertTrue(seen.toString(), seen.get("train_loss") < 2.6);
    }

    @Test
    public void theReadmeShowsExactlyThisCode() throws IOException {
        String readme = Files.readString(Path.of("../../README.md"));
        String source = Files.readString(Path.of("src/test/java/io/torchlight/core/ReadmeExamplesTest.java"))
                + Files.readString(Path.of("src/test/java/io/torchlight/core/LitClassifier.java"));
        List<String> missing = new ArrayList<>();
        for (String section : List.of("## Writing a module", "Without the container (plain Java")) {
            int start = readme.indexOf("```java", readme.indexOf(section));
            int end = readme.indexOf("```", start + 7);
            for (String line : readme.substring(start + 7, end).split("\n")) {
                if (!line.isBlank() && !source.contains(line.strip())) {
                    missing.add(line.strip());
                }
            }
        }
        assertTrue("README lines not in ReadmeExamplesTest: " + missing, missing.isEmpty());
    }
}
