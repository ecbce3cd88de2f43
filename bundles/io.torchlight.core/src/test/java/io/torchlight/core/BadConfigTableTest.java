package io.torchlight.core;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import io.torchlight.api.Stage;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.run.RunRequest;
import io.torchlight.core.internal.TrainerArgs;

/**
 * Bad command-line and run-file values, as careless users type them: each is refused before a run starts, with
 * a message naming the key (or the word) and what was expected.
 */
public class BadConfigTableTest {

    /** A bad word and a part of the message it must get. */
    private record Row(String word, String expected) {
    }

    private static final List<Row> TABLE = List.of(
            new Row("max_epochs=abc", "max_epochs: expected an integer"),
            new Row("max_epochs=1.5", "max_epochs: expected an integer"),
            new Row("max_epochs=", "max_epochs: expected an integer"),
            new Row("max_steps=ten", "max_steps: expected an integer"),
            new Row("max_epoch=3", "unknown trainer argument 'max_epoch' (did you mean max_epochs?)"),
            new Row("maxepochs=3", "unknown trainer argument 'maxepochs'"),
            new Row("limit_train_batches=half", "limit_train_batches:"),
            new Row("limit_val_batches=-1", "limit_val_batches:"),
            new Row("limit_val_batches=1.5", "limit_val_batches:"),
            new Row("val_check_interval=0", "val_check_interval:"),
            new Row("accumulate_grad_batches=0", "accumulate_grad_batches:"),
            new Row("accumulate_grad_batches=x", "accumulate_grad_batches:"),
            new Row("gradient_clip_val=big", "gradient_clip_val:"),
            new Row("gradient_clip_algorithm=median", "gradient_clip_algorithm:"),
            new Row("precision=17", "precision:"),
            new Row("deterministic=maybe", "deterministic:"),
            new Row("fast_dev_run=perhaps", "fast_dev_run:"),
            new Row("max_time=tomorrow", "max_time:"),
            new Row("log_every_n_steps=0", "log_every_n_steps:"),
            new Row("seed=0x", "seed:"),
            new Row("num_sanity_val_steps=some", "num_sanity_val_steps:"),
            new Row("check_val_every_n_epoch=0", "check_val_every_n_epoch:"),
            new Row("test_after_fit=yes", "test_after_fit: expected true or false"),
            new Row("version=latest", "version: expected a version number"),
            new Row("version=-2", "version: expected a version number >= 0"),
            new Row("max_epochs 3", "expected key=value, got 'max_epochs 3'"),
            new Row("=3", "expected key=value, got '=3'"));

    @Test
    public void everyBadWordIsRefusedWithAMessageNamingIt() {
        List<String> unclear = new ArrayList<>();
        for (Row row : TABLE) {
            String message = null;
            try {
                RunRequest request = RunRequest.parse("boring", Stage.FIT, List.of(row.word()), "test");
                TrainerArgs.apply(request.trainerArgs(), TrainerConfig.builder()).build();
            } catch (IllegalArgumentException | TorchlightException e) {
                message = e.getMessage();
            }
            if (message == null || !message.contains(row.expected())) {
                unclear.add(row.word() + " -> " + message);
            }
        }
        System.out.println("bad run arguments: " + TABLE.size() + " tried, " + (TABLE.size() - unclear.size())
                + " refused with a message naming them");
        assertEquals(List.of(), unclear);
    }
}
