package io.torchlight.core.internal.runs;

import java.util.Map;

/** Where fresh instances of one named module (or data module) come from, and whose bundle it is. */
public interface ModuleSource<T> {

    /** The name runs select it by. */
    String name();

    /** A new instance for one run; errors say why it could not be made. */
    T create();

    /** Gives back an instance {@link #create()} returned. */
    void release(T instance);

    /** The service properties (hparams.*, trainer.*, autorun). */
    Map<String, Object> properties();

    /** The providing bundle's symbolic name. */
    String bundle();

    /** The providing bundle's version. */
    String version();

    /** The implementation class name, for display. */
    String className();
}
