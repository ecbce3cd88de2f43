package io.torchlight.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

import io.torchlight.utils.checkpoint.CheckpointFile;
import io.torchlight.utils.checkpoint.StateDicts;

/** Builds a module from a checkpoint file: what {@link LightningModule#loadFromCheckpoint} does. */
final class ModuleCheckpoints {

    private ModuleCheckpoints() {
    }

    @SuppressWarnings("unchecked")
    static <M extends LightningModule> M load(Path path, Function<Map<String, Object>, M> factory, boolean strict) {
        Map<String, Object> ckpt = CheckpointFile.read(path);
        Map<String, Object> hparams = ckpt.get("hyper_parameters") instanceof Map<?, ?> h ? (Map<String, Object>) h : Map.of();
        M module = factory.apply(hparams);
        module.saveHyperparameters(hparams);
        if (!(ckpt.get("state_dict") instanceof Map<?, ?> state)) {
            throw new TorchlightException("checkpoint " + path + " has no state_dict");
        }
        module.onLoadCheckpoint(ckpt);
        StateDicts.load(module, (Map<String, Object>) state, strict, path.toString());
        return module;
    }
}
