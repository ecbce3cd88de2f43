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

import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Limit;
import io.torchlight.api.Trainer;
import io.torchlight.api.optim.OptimizerConfig;
import io.torchlight.demos.BoringModel;
import io.torchlight.utils.checkpoint.StateDicts;
import io.torchlight.utils.data.DataLoader;
import io.torchlight.utils.data.TensorDataset;
import io.torchlight.utils.optim.StepLR;

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

    /** BoringModel trained by Adam on one fixed batch, which Python builds the same way. */
    static final class FixedBatchAdam extends BoringModel {
        @Override
        public Object configureOptimizers() {
            return new Adam(parameters(), new AdamOptions(0.05));
        }

        @Override
        public DataLoader trainDataloader() {
            Tensor x = torch.arange(new Scalar(8 * 32)).reshape(8, 32).to(ScalarType.Float).div(new Scalar(256.0));
            return DataLoader.of(new TensorDataset(x)).batchSize(8).build();
        }
    }

    /** Python: FixedBatchAdam's batch {@code x}, and {@code step()}, one optimization of {@code lin} by {@code opt} on it. */
    private static final String PYTHON_FIXED_BATCH_STEP = String.join("\n",
            "x = torch.arange(8 * 32, dtype=torch.float32).reshape(8, 32) / 256.0",
            "def step():",
            "    opt.zero_grad()",
            "    out = lin(x)",
            "    torch.nn.functional.mse_loss(out, torch.ones_like(out)).backward()",
            "    opt.step()");

    /** The Python statements that rebuild FixedBatchAdam's layer, batch and optimizer from a checkpoint {@code ck}. */
    private static final String PYTHON_FIXED_BATCH_ADAM = String.join("\n",
            "lin = torch.nn.Linear(32, 2)",
            "lin.load_state_dict({'weight': ck['state_dict']['layer.weight'], 'bias': ck['state_dict']['layer.bias']})",
            "opt = torch.optim.Adam(lin.parameters(), lr=0.05)",
            "opt.load_state_dict(ck['optimizer_states'][0])",
            PYTHON_FIXED_BATCH_STEP);

    private Trainer fixedBatchTrainer(long steps) {
        return Torchlight.trainer(TestTrainers.cpu().maxSteps(steps).limitValBatches(Limit.NONE).seed(11L).build(),
                TestTrainers.plugins());
    }

    private static String weights(LightningModule model) {
        return values((Tensor) StateDicts.of(model).get("layer.weight")) + " " + values((Tensor) StateDicts.of(model).get("layer.bias"));
    }

    private static void assertClose(List<Double> expected, List<Double> actual, double tolerance) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals("value " + i, expected.get(i), actual.get(i), tolerance);
        }
    }

    /**
     * Both ways through PyTorch's optimizer layout and Lightning's loop layout: Python resumes Torchlight's Adam state
     * with {@code torch.optim.Adam.load_state_dict}, takes the fourth step, advances the loop counters as Lightning
     * counts and saves; Torchlight resumes that checkpoint and takes the fifth. Python's fourth step equals Torchlight's own, and the fifth equals Torchlight's when it takes the
     * fourth and fifth itself, within 1e-6 (float32 arithmetic in two libraries).
     */
    @Test
    public void adamStateTravelsToPythonAndBackInPyTorchsLayout() throws IOException {
        assumeTrue("python3 with torch is not installed (Debian package python3-torch): interop not checked", pythonTorch);
        Path three = tmp.getRoot().toPath().resolve("three.ckpt");
        Path four = tmp.getRoot().toPath().resolve("four-python.ckpt");
        Trainer first = fixedBatchTrainer(3);
        first.fit(new FixedBatchAdam());
        first.saveCheckpoint(three, false);
        FixedBatchAdam fourInJava = new FixedBatchAdam();
        fixedBatchTrainer(4).fit(fourInJava, Data.fromModule(), CkptPath.of(three));
        FixedBatchAdam fiveInJava = new FixedBatchAdam();
        fixedBatchTrainer(5).fit(fiveInJava, Data.fromModule(), CkptPath.of(three));

        Result r = python(String.join("\n",
                "import sys, torch",
                "ck = torch.load(sys.argv[1])",
                "groups = ck['optimizer_states'][0]['param_groups']",
                "assert groups[0]['params'] == [0, 1] and groups[0]['betas'] == (0.9, 0.999), groups",
                "assert float(ck['optimizer_states'][0]['state'][0]['step']) == 3.0, ck['optimizer_states'][0]['state'][0]",
                PYTHON_FIXED_BATCH_ADAM,
                "step()",
                "fl = ck['loops']['fit_loop']",
                "steps = fl['epoch_loop.batch_loop.optimizer_loop.optim_progress']['optimizer']['step']",
                "assert fl['epoch_progress']['current']['completed'] == 3 and steps['total']['completed'] == 3, fl",
                "# the step Python took, counted as Lightning counts it: one more epoch of one batch",
                "for progress in (fl['epoch_progress']['total'], fl['epoch_progress']['current'],",
                "                 fl['epoch_loop.batch_progress']['total'], steps['total'], steps['current']):",
                "    for k in progress:",
                "        progress[k] += 1",
                "fl['epoch_loop.state_dict']['_batches_that_stepped'] += 1",
                "ck['global_step'] += 1",
                "ck['epoch'] += 1",
                "ck['state_dict']['layer.weight'] = lin.weight.detach().clone()",
                "ck['state_dict']['layer.bias'] = lin.bias.detach().clone()",
                "ck['optimizer_states'][0] = opt.state_dict()",
                "torch.save(ck, sys.argv[2])",
                "print(' '.join(repr(float(v)) for v in torch.cat([lin.weight.detach().flatten(), lin.bias.detach()]).double()))"),
                three.toString(), four.toString());
        assertEquals(r.out, 0, r.code);
        assertClose(doubles(weights(fourInJava)), doubles(r.out), 1e-6);

        FixedBatchAdam resumedFromPython = new FixedBatchAdam();
        Trainer fifth = fixedBatchTrainer(5);
        fifth.fit(resumedFromPython, Data.fromModule(), CkptPath.of(four));

        assertEquals("Lightning's loop counters that Python advanced: one step left", 5, fifth.view().globalStep());
        assertEquals(5, fifth.view().currentEpoch());
        assertClose(doubles(weights(fiveInJava)), doubles(weights(resumedFromPython)), 1e-6);
    }

    /**
     * The scheduler state is PyTorch's: {@code torch.optim.lr_scheduler.StepLR.load_state_dict} takes it, and its next
     * step sets the rate Torchlight's own next step sets.
     */
    @Test
    public void pythonResumesTheStepLrSchedulerFromItsStateDict() throws IOException {
        assumeTrue("python3 with torch is not installed (Debian package python3-torch): interop not checked", pythonTorch);
        BoringModel model = new BoringModel();
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxEpochs(2).limitTrainBatches(Limit.count(2))
                .limitValBatches(Limit.NONE).build(), TestTrainers.plugins());
        trainer.fit(model);
        Path ckpt = tmp.getRoot().toPath().resolve("steplr.ckpt");
        trainer.saveCheckpoint(ckpt, false);

        Result r = python(String.join("\n",
                "import sys, torch",
                "ck = torch.load(sys.argv[1])",
                "lin = torch.nn.Linear(32, 2)",
                "opt = torch.optim.SGD(lin.parameters(), lr=0.1)",
                "opt.load_state_dict(ck['optimizer_states'][0])",
                "sched = torch.optim.lr_scheduler.StepLR(opt, 1, 0.1)",
                "sched.load_state_dict(ck['lr_schedulers'][0])",
                "assert sched.last_epoch == 2 and sched._step_count == 3 and sched.step_size == 1, sched.state_dict()",
                "sched.step()",
                "print(repr(opt.param_groups[0]['lr']))"), ckpt.toString());

        assertEquals(r.out, 0, r.code);
        assertEquals(0.1 * 0.1 * 0.1 * 0.1, Double.parseDouble(r.out.trim()), 1e-15);
    }

    /**
     * A checkpoint shaped as Lightning 1.6.5 writes it, made in Python from torch objects alone: SGD with momentum after
     * two steps, its StepLR, the whole fit_loop progress, a ModelCheckpoint state under Lightning's state key. Torchlight
     * resumes it at epoch 2, step 2, and its next step equals the one Python takes from the same state.
     */
    @Test
    public void aLightningShapedCheckpointFromPythonResumesATorchlightFit() throws IOException {
        assumeTrue("python3 with torch is not installed (Debian package python3-torch): interop not checked", pythonTorch);
        Path ckpt = tmp.getRoot().toPath().resolve("lightning.ckpt");
        Result r = python(String.join("\n",
                "import sys, torch, collections",
                "torch.manual_seed(7)",
                "lin = torch.nn.Linear(32, 2)",
                "opt = torch.optim.SGD(lin.parameters(), lr=0.1, momentum=0.9)",
                "sched = torch.optim.lr_scheduler.StepLR(opt, 1, 0.5)",
                PYTHON_FIXED_BATCH_STEP,
                "for epoch in range(2):",
                "    step()",
                "    sched.step()",
                "def tracker(n, processed=True):",
                "    d = {'ready': n, 'started': n}",
                "    if processed:",
                "        d['processed'] = n",
                "    d['completed'] = n",
                "    return d",
                "def progress(total, current, processed=True):",
                "    return {'total': tracker(total, processed), 'current': tracker(current, processed)}",
                "fit_loop = {",
                "    'state_dict': {},",
                "    'epoch_loop.state_dict': {'_batches_that_stepped': 2},",
                "    'epoch_loop.batch_progress': dict(progress(2, 0), is_last_batch=False),",
                "    'epoch_loop.scheduler_progress': {'total': {'ready': 2, 'completed': 2}, 'current': {'ready': 0, 'completed': 0}},",
                "    'epoch_loop.batch_loop.state_dict': {},",
                "    'epoch_loop.batch_loop.optimizer_loop.state_dict': {},",
                "    'epoch_loop.batch_loop.optimizer_loop.optim_progress': {'optimizer': {",
                "        'step': {'total': {'ready': 2, 'completed': 2}, 'current': {'ready': 0, 'completed': 0}},",
                "        'zero_grad': progress(2, 0, False)}, 'optimizer_position': 1},",
                "    'epoch_loop.batch_loop.manual_loop.state_dict': {},",
                "    'epoch_loop.batch_loop.manual_loop.optim_step_progress': {'total': {'ready': 0, 'completed': 0},",
                "        'current': {'ready': 0, 'completed': 0}},",
                "    'epoch_loop.val_loop.state_dict': {},",
                "    'epoch_loop.val_loop.dataloader_progress': {'total': {'ready': 0, 'completed': 0},",
                "        'current': {'ready': 0, 'completed': 0}},",
                "    'epoch_loop.val_loop.epoch_loop.state_dict': {},",
                "    'epoch_loop.val_loop.epoch_loop.batch_progress': dict(progress(0, 0), is_last_batch=False),",
                "    'epoch_loop.val_loop._results': {},",
                "    'epoch_progress': progress(2, 2),",
                "}",
                "sd = collections.OrderedDict(('layer.' + k, v) for k, v in lin.state_dict().items())",
                "torch.save({'epoch': 1, 'global_step': 2, 'pytorch-lightning_version': '1.6.5', 'state_dict': sd,",
                "            'loops': {'fit_loop': fit_loop, 'validate_loop': {}, 'test_loop': {}, 'predict_loop': {}},",
                "            'callbacks': {\"ModelCheckpoint{'monitor': None, 'mode': 'min', 'every_n_train_steps': 0,"
                        + " 'every_n_epochs': 1, 'train_time_interval': None, 'save_on_train_epoch_end': True}\":",
                "                          {'best_model_score': None, 'best_model_path': ''}},",
                "            'optimizer_states': [opt.state_dict()], 'lr_schedulers': [sched.state_dict()],",
                "            'hparams_name': 'kwargs', 'hyper_parameters': {}}, sys.argv[1])",
                "step()",
                "print(' '.join(repr(float(v)) for v in torch.cat([lin.weight.detach().flatten(), lin.bias.detach()]).double()))"),
                ckpt.toString());
        assertEquals(r.out, 0, r.code);

        SgdOnTheFixedBatch model = new SgdOnTheFixedBatch();
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxSteps(3).limitValBatches(Limit.NONE).build(),
                TestTrainers.plugins());
        trainer.fit(model, Data.fromModule(), CkptPath.of(ckpt));

        assertEquals(3, trainer.view().globalStep());
        assertEquals(0.1 * 0.5 * 0.5 * 0.5, trainer.view().optimizers().get(0).lr(0), 1e-12);
        assertClose(doubles(r.out), doubles(weights(model)), 1e-6);
    }

    /** FixedBatchAdam's batch, with SGD (momentum 0.9) and a halving StepLR, as the Python side of the test above. */
    static final class SgdOnTheFixedBatch extends BoringModel {
        @Override
        public Object configureOptimizers() {
            SGDOptions options = new SGDOptions(0.1);
            options.momentum().put(0.9);
            SGD sgd = new SGD(parameters(), options);
            return OptimizerConfig.of(sgd).scheduler(new StepLR(sgd, 1, 0.5));
        }

        @Override
        public DataLoader trainDataloader() {
            return new FixedBatchAdam().trainDataloader();
        }
    }
}
