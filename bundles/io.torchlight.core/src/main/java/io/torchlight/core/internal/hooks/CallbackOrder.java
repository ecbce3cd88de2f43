package io.torchlight.core.internal.hooks;

import java.util.ArrayList;
import java.util.List;

import io.torchlight.api.Callback;
import io.torchlight.api.CheckpointingCallback;

/**
 * The callbacks of a run in dispatch order: the trainer's, with those the module configures replacing
 * trainer callbacks of the same class (as Lightning does), and checkpointing callbacks moved last.
 */
public final class CallbackOrder {

    private CallbackOrder() {
    }

    public static List<Callback> of(List<Callback> trainer, List<Callback> fromModule) {
        List<Callback> merged = new ArrayList<>();
        for (Callback c : trainer) {
            if (fromModule.stream().noneMatch(m -> m.getClass() == c.getClass())) {
                merged.add(c);
            }
        }
        merged.addAll(fromModule);
        List<Callback> ordered = new ArrayList<>();
        merged.stream().filter(c -> !(c instanceof CheckpointingCallback)).forEach(ordered::add);
        merged.stream().filter(c -> c instanceof CheckpointingCallback).forEach(ordered::add);
        return ordered;
    }
}
