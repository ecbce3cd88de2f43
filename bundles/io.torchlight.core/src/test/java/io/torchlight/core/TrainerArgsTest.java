package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import org.junit.Test;

import io.torchlight.api.Flag;
import io.torchlight.api.GradientClipAlgorithm;
import io.torchlight.api.Limit;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.accelerator.Precision;
import io.torchlight.core.internal.TrainerArgs;

public class TrainerArgsTest {

    private static TrainerConfig parse(Map<String, String> args) {
        return TrainerArgs.apply(args, TrainerConfig.builder()).build();
    }

    @Test
    public void snakeAndCamelCaseKeysWithTypedValues() {
        TrainerConfig c = parse(Map.of("max_epochs", "3", "limitTrainBatches", "0.25", "limit_val_batches", "10",
                "gradient_clip_algorithm", "value", "fast_dev_run", "false", "max_time", "00:01:30:00",
                "check_val_every_n_epoch", "2", "precision", "bf16-mixed", "deterministic", "true"));

        assertEquals(3, c.maxEpochs().getAsInt());
        assertEquals(Limit.fraction(0.25), c.limitTrainBatches());
        assertEquals(Limit.count(10), c.limitValBatches());
        assertEquals(GradientClipAlgorithm.VALUE, c.gradientClipAlgorithm());
        assertEquals(Duration.ofMinutes(90), c.maxTime().get());
        assertEquals(2, c.checkValEveryNEpoch());
        assertEquals(Precision.BF16_MIXED, c.precision());
        assertTrue(c.deterministic());
    }

    @Test
    public void aBadValueNamesTheKeyAndTheExpectedType() {
        TorchlightException e = assertThrows(TorchlightException.class, () -> parse(Map.of("max_epochs", "abc")));
        assertEquals("max_epochs: expected an integer >= -1 (-1 = unbounded), got 'abc'", e.getMessage());
        TorchlightException range = assertThrows(TorchlightException.class, () -> parse(Map.of("accumulate_grad_batches", "0")));
        assertTrue(range.getMessage(), range.getMessage().startsWith("accumulate_grad_batches: accumulateGradBatches must be >= 1"));
    }

    @Test
    public void anUnknownKeySuggestsTheNearestOne() {
        TorchlightException e = assertThrows(TorchlightException.class, () -> parse(Map.of("max_epoch", "3")));
        assertTrue(e.getMessage(), e.getMessage().startsWith("unknown trainer argument 'max_epoch' (did you mean max_epochs?)"));
        assertTrue(e.getMessage(), e.getMessage().contains("check_val_every_n_epoch") && e.getMessage().contains("log_every_n_steps"));
    }

    @Test
    public void everyFlagHasAKeyAndAConfigurationReadsBackFromItsArguments() {
        long flags = Arrays.stream(TrainerConfig.class.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Flag.class))
                .count();
        assertEquals(flags, TrainerArgs.keyNames().size());
        TrainerConfig config = TrainerConfig.builder().maxEpochs(7).maxTime(Duration.ofSeconds(90)).gradientClipVal(0.5)
                .gradientClipAlgorithm(GradientClipAlgorithm.VALUE).seed(3).precision(Precision.FP64)
                .limitValBatches(Limit.fraction(0.5)).overfitBatches(Limit.count(2)).fastDevRun(1).build();

        Map<String, String> args = TrainerArgs.asArgs(config);

        assertEquals("7", args.get("max_epochs"));
        assertEquals("value", args.get("gradient_clip_algorithm"));
        assertEquals(config, TrainerArgs.parse(args));
        assertFalse("unset flags are left out", TrainerArgs.asArgs(TrainerConfig.builder().build()).containsKey("seed"));
    }

    @Test
    public void gettersReturnWhatWasSetNotWhatFastDevRunMakesOfIt() {
        TrainerConfig config = TrainerConfig.builder().maxEpochs(5).fastDevRun(2).limitTrainBatches(Limit.count(9)).build();

        assertEquals(5, config.maxEpochs().getAsInt());
        assertEquals(Limit.count(9), config.limitTrainBatches());
        assertEquals(-1, config.maxSteps());
        assertEquals(config, config.toBuilder().build());
        assertEquals(8, config.toBuilder().maxEpochs(8).build().maxEpochs().getAsInt());
    }

    @Test
    public void crossFlagRulesAreCheckedWhenTheConfigurationIsBuilt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainerConfig.builder().maxEpochs(2).minEpochs(3).build());
        assertEquals("minEpochs must be <= maxEpochs (2), got 3", e.getMessage());
        TorchlightException parsed = assertThrows(TorchlightException.class,
                () -> TrainerArgs.parse(Map.of("max_epochs", "2", "min_epochs", "3")));
        assertEquals(e.getMessage(), parsed.getMessage());
    }

    /** Lightning 1.6's spellings precision=16 and precision=bf16 (its PrecisionType values) read as the mixed modes. */
    @Test
    public void lightningsPrecisionSpellingsAreRead() {
        assertEquals(Precision.FP16_MIXED, parse(Map.of("precision", "16")).precision());
        assertEquals(Precision.BF16_MIXED, parse(Map.of("precision", "bf16")).precision());
        assertEquals(Precision.FP64, parse(Map.of("precision", "64")).precision());
    }
}
