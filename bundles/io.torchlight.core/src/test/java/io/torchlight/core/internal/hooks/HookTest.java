package io.torchlight.core.internal.hooks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.Test;

import io.torchlight.api.TorchlightException;
import io.torchlight.core.internal.logging.LogRules;

/** The hook table: one label per hook, and the logging rules Lightning 1.6's {@code _FxValidator.functions} gives. */
public class HookTest {

    @Test
    public void everyHookHasItsOwnLabel() {
        Set<String> labels = Arrays.stream(Hook.values()).map(Hook::label).collect(Collectors.toSet());
        assertEquals(Hook.values().length, labels.size());
    }

    @Test
    public void loggingFollowsLightningsValidator() {
        // training_step: on_step (True, False) default True; on_epoch (False, True) default False
        assertEquals(Hook.Logging.STEP, LogRules.of(Hook.TRAINING_STEP));
        // validation_step: on_step default False, on_epoch default True
        assertEquals(Hook.Logging.EVAL_STEP, LogRules.of(Hook.VALIDATION_STEP));
        // on_train_epoch_end: on_step (False,) only
        assertEquals(Hook.Logging.EPOCH, LogRules.of(Hook.ON_TRAIN_EPOCH_END));
        // predict_step, setup, on_save_checkpoint: None, i.e. logging is not supported
        for (Hook refused : new Hook[] {Hook.PREDICT_STEP, Hook.SETUP, Hook.ON_SAVE_CHECKPOINT, Hook.CONFIGURE_OPTIMIZERS}) {
            TorchlightException e = assertThrows(TorchlightException.class, () -> LogRules.of(refused));
            assertEquals(true, e.getMessage().startsWith("log() is not allowed in " + refused.label() + " ("));
        }
    }
}
