package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.torchlight.api.LightningModule;
import io.torchlight.api.Limit;
import io.torchlight.api.Trainer;
import io.torchlight.demos.BoringModel;
import io.torchlight.utils.checkpoint.StateDicts;

/**
 * Checkpoints travel between Torchlight and Python's PyTorch (Debian's python3-torch): Python reads ours
 * into a {@code torch.nn.Linear}, and we load one Python wrote with {@code torch.save}.
 */
public class PythonInteropTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static boolean pythonTorch;

    @BeforeClass
    public static void findPythonTorch() {
        try {
            pythonTorch = python("import torch").code == 0;
        } catch (IOException e) {
            pythonTorch = false;
        }
    }

    private record Result(int code, String out) {
    }

    private static Result python(String script, String... args) throws IOException {
        // Debian's interpreter, where python3-torch installs torch (a python3 earlier on PATH may lack it)
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        List<String> command = new ArrayList<>(List.of(python, "-c", script));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + out);
            }
            return new Result(p.exitValue(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static String values(Tensor t) {
        StringBuilder s = new StringBuilder();
        Tensor flat = t.flatten().to(ScalarType.Double);
        for (long i = 0; i < flat.numel(); i++) {
            s.append(i == 0 ? "" : " ").append(flat.select(0, i).item_double());
        }
        return s.toString();
    }

    @Test
    public void pythonLoadsATorchlightCheckpointIntoTorchNn() throws IOException {
        assumeTrue("python3 with torch is not installed (Debian package python3-torch): interop not checked", pythonTorch);
        BoringModel model = new BoringModel();
        model.saveHyperparameters(Map.of("lr", 0.1));
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(3))
                .limitValBatches(Limit.NONE).build(), TestTrainers.plugins());
        trainer.fit(model);
        Path ckpt = tmp.getRoot().toPath().resolve("torchlight.ckpt");
        trainer.saveCheckpoint(ckpt, false);

        Result r = python(String.join("\n",
                "import sys, torch",
                "ck = torch.load(sys.argv[1])",
                "lin = torch.nn.Linear(32, 2)",
                "lin.load_state_dict({'weight': ck['state_dict']['layer.weight'], 'bias': ck['state_dict']['layer.bias']})",
                "assert ck['global_step'] == 3 and ck['hyper_parameters']['lr'] == 0.1, ck",
                "assert ck['pytorch-lightning_version'] == '1.6.5'",
                "print(' '.join(repr(float(v)) for v in lin.weight.detach().flatten().double()))"), ckpt.toString());

        assertEquals(r.out, 0, r.code);
        Tensor weight = (Tensor) StateDicts.of(model).get("layer.weight");
        assertEquals(doubles(values(weight)), doubles(r.out.trim()));
    }

    /** The numbers of a space-separated list (Java and Python print the same double differently). */
    private static List<Double> doubles(String text) {
        return Arrays.stream(text.trim().split("\\s+")).map(Double::valueOf).toList();
    }

    @Test
    public void torchlightLoadsALightningStyleCheckpointFromPython() throws IOException {
        assumeTrue("python3 with torch is not installed (Debian package python3-torch): interop not checked", pythonTorch);
        Path ckpt = tmp.getRoot().toPath().resolve("python.ckpt");
        Result r = python(String.join("\n",
                "import sys, torch, collections",
                "torch.manual_seed(3)",
                "lin = torch.nn.Linear(32, 2)",
                "sd = collections.OrderedDict((('layer.' + k), v) for k, v in lin.state_dict().items())",
                "torch.save({'epoch': 4, 'global_step': 120, 'pytorch-lightning_version': '1.6.5', 'state_dict': sd,",
                "            'hyper_parameters': {'hidden': 32, 'name': 'from python'}, 'loops': {}}, sys.argv[1])",
                "print(' '.join(repr(float(v)) for v in lin.weight.detach().flatten().double()))"), ckpt.toString());
        assertEquals(r.out, 0, r.code);

        BoringModel loaded = LightningModule.loadFromCheckpoint(ckpt, hparams -> {
            assertEquals("from python", hparams.get("name"));
            return new BoringModel();
        });

        Tensor weight = (Tensor) StateDicts.of(loaded).get("layer.weight");
        assertEquals(doubles(r.out.trim()), doubles(values(weight)));
        assertEquals(32L, loaded.hparams().get("hidden"));
    }
}
