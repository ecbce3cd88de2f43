package io.torchlight.core.internal.loops;

import java.util.List;

import io.torchlight.utils.data.Batch;

/** The hooks of one evaluation kind (validation or test), so one loop serves both with typed calls. */
public interface EvaluationHooks {

    /** The step's name for messages, e.g. {@code validationStep}. */
    String stepName();

    void modelEval();

    void modelTrain();

    void start();

    void epochStart();

    void batchStart(Batch batch, int batchIdx, int dataloaderIdx);

    Object step(Batch batch, int batchIdx, int dataloaderIdx);

    Object stepEnd(Object output);

    void batchEnd(Object output, Batch batch, int batchIdx, int dataloaderIdx);

    /** Whether the module overrides the epoch-end hook (outputs are kept only then). */
    boolean keepsOutputs();

    void epochEndOutputs(List<Object> outputs);

    void epochEnd();

    void end();
}
