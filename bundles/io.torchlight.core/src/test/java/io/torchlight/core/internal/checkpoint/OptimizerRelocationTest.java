package io.torchlight.core.internal.checkpoint;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.StringVector;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.Test;

/**
 * An optimizer's state taken to another device through libtorch's archive: every state tensor of each optimizer with
 * state comes out on the device asked for — libtorch's meta device here, the one device besides the CPU this machine
 * has — and an optimizer reloaded on its own device steps exactly as before.
 */
public class OptimizerRelocationTest {

    private static final Device META = new Device("meta");
    private static final Device CPU = new Device("cpu");

    /** The state tensors of a PyTorch-layout state dict, parameter by parameter, step counts left out. */
    private static List<Tensor> stateTensors(Map<String, Object> stateDict) {
        List<Tensor> out = new ArrayList<>();
        ((Map<?, ?>) stateDict.get("state")).values().forEach(param -> ((Map<?, ?>) param).forEach((key, v) -> {
            if (v instanceof Tensor t && !key.equals("step")) {
                out.add(t);
            }
        }));
        return out;
    }

    /**
     * Every tensor in the state an optimizer archive keeps for the layer's two parameters, read entry by entry (the
     * archive's counts are tensors too, which cannot be read as numbers on the meta device).
     */
    private static List<Tensor> stateTensors(InputArchive archive) {
        InputArchive group = child(child(archive, "param_groups"), "param_groups/0");
        InputArchive states = child(archive, "state");
        List<Tensor> out = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            IValue address = new IValue();
            group.read("params/" + p, address);
            InputArchive paramState = new InputArchive();
            if (states.try_read(address.toStringRef().getString(), paramState)) {
                try (StringVector keys = paramState.keys()) {
                    for (long k = 0; k < keys.size(); k++) {
                        IValue v = new IValue();
                        paramState.read(keys.get(k).getString(), v);
                        if (v.isTensor()) {
                            out.add(v.toTensor());
                        }
                    }
                }
            }
        }
        return out;
    }

    private static InputArchive child(InputArchive archive, String key) {
        InputArchive out = new InputArchive();
        archive.read(key, out);
        return out;
    }

    @Test
    public void everyStateTensorComesOutOnTheDeviceAskedFor() {
        StatefulOptimizers.ALL.forEach(make -> {
            LinearImpl layer = new LinearImpl(3, 2);
            Optimizer optimizer = make.apply(layer.parameters());
            StatefulOptimizers.train(layer, optimizer, 3);
            int perParam = StatefulOptimizers.stateTensorsPerParameter(optimizer);

            List<Tensor> moved = stateTensors(OptimizerRelocation.read(OptimizerRelocation.archive(optimizer), META));

            String name = optimizer.getClass().getSimpleName();
            assertTrue(name + ": weight and bias, " + moved.size(), moved.size() >= 2 * perParam);
            moved.forEach(t -> assertTrue(name + " state on " + t.device().str().getString(), t.is_meta()));
        });
    }

    @Test
    public void anOptimizerReloadedOnItsDeviceStepsExactlyAsBefore() {
        StatefulOptimizers.ALL.forEach(make -> {
            torch.manual_seed(3);
            LinearImpl moved = new LinearImpl(3, 2);
            Optimizer relocated = make.apply(moved.parameters());
            torch.manual_seed(3);
            LinearImpl stayed = new LinearImpl(3, 2);
            Optimizer original = make.apply(stayed.parameters());
            StatefulOptimizers.train(moved, relocated, 3);
            StatefulOptimizers.train(stayed, original, 3);
            List<Tensor> before = stateTensors(OptimizerStateDicts.of(relocated));

            OptimizerRelocation.load(relocated, OptimizerRelocation.archive(relocated), CPU);
            StatefulOptimizers.train(moved, relocated, 2);
            StatefulOptimizers.train(stayed, original, 2);

            String name = relocated.getClass().getSimpleName();
            List<Tensor> after = stateTensors(OptimizerStateDicts.of(relocated));
            assertEquals(before.size(), after.size());
            after.forEach(t -> assertTrue(name, t.is_cpu()));
            assertTrue(name + " steps as the one that stayed", torch.equal(moved.weight(), stayed.weight()));
            assertFalse(name + " trained on", torch.equal(before.get(0), after.get(0)));
        });
    }
}
