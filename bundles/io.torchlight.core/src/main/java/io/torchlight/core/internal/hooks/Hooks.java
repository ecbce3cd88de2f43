package io.torchlight.core.internal.hooks;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.torchlight.api.Callback;
import io.torchlight.api.LightningModule;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.profiler.Profiler;
import io.torchlight.core.internal.loops.RunState;
import io.torchlight.utils.checkpoint.CheckpointException;
import io.torchlight.utils.config.ConfigurationException;

/**
 * Typed hook dispatch: the loops call {@code callbacks("onTrainStart", c -> c.onTrainStart(t, m))} and
 * {@code module("onTrainStart", m::onTrainStart)}. The label names the hook in errors and tells
 * {@code log} which hook is running. Callbacks run in order; a callback or module failure becomes a
 * {@link HookException} naming both.
 */
public final class Hooks {

    /** In dispatch order; replaced whole on every change, so a hook in flight goes on over the set it started with. */
    private volatile Callback[] callbacks = new Callback[0];
    private final RunState state;
    private final HookListener listener;
    private volatile Isolator isolator = Isolator.NONE;
    private LightningModule module;
    private Profiler.Recording profiler;

    public Hooks(RunState state, HookListener listener) {
        this.state = state;
        this.listener = listener;
    }

    /** Observes every hook call (for tests and profiling). */
    @FunctionalInterface
    public interface HookListener {
        void called(String owner, String hook);

        HookListener NONE = (owner, hook) -> {
        };
    }

    public void module(LightningModule value) {
        module = value;
    }

    /** Times every hook and {@link #timed} action into this stage's recording from now on (Lightning's profiler); null: none. */
    public void profiler(Profiler.Recording value) {
        profiler = value;
    }

    /** The start of a timed action: now with a profiler, 0 without (no clock read, nothing allocated). */
    public long timeStart() {
        return profiler == null ? 0 : System.nanoTime();
    }

    /** Ends a timed action begun at {@code start} ({@link #timeStart()}); nothing without a profiler. */
    public void timed(String action, long start) {
        if (profiler != null) {
            profiler.record(action, System.nanoTime() - start);
        }
    }

    /** The callbacks in dispatch order: ModelCheckpoint-like ones (checkpoint callbacks) last. */
    public synchronized void callbacks(List<Callback> ordered) {
        callbacks = ordered.toArray(Callback[]::new);
    }

    /** Who decides whether a failing callback fails the run or is detached. */
    public void isolator(Isolator value) {
        isolator = value;
    }

    /** A callback joining mid-run, in dispatch order (checkpointing callbacks stay last). */
    public synchronized void attach(Callback callback) {
        List<Callback> ordered = CallbackOrder.of(Stream.concat(Arrays.stream(callbacks), Stream.of(callback))
                .toList(), List.of());
        callbacks(ordered);
    }

    /** A callback leaving mid-run. */
    public synchronized void detach(Callback callback) {
        callbacks = Arrays.stream(callbacks).filter(c -> c != callback).toArray(Callback[]::new);
    }

    public List<Callback> callbackList() {
        return List.of(callbacks);
    }

    /** Runs a hook on every callback, in order. */
    public void callbacks(Hook hook, Consumer<Callback> call) {
        boolean observed = profiler != null || listener != HookListener.NONE;
        for (Callback callback : callbacks) {
            if (observed) {
                observed(callback, hook, call);
            } else {
                dispatch(callback, hook, call);
            }
        }
    }

    /**
     * One callback's hook. Kept small so that the JIT can inline it into each hook's call site, where the lambda is
     * then called directly and need not be allocated; profiling and failure handling live in the methods around it.
     */
    private void dispatch(Callback callback, Hook hook, Consumer<Callback> call) {
        state.enter(hook);
        try {
            call.accept(callback);
        } catch (RuntimeException | LinkageError e) {
            callbackFailed(callback, hook, e);
        } finally {
            state.exit();
        }
    }

    /** One callback's hook with the listener told and the profiler timing it. */
    private void observed(Callback callback, Hook hook, Consumer<Callback> call) {
        listener.called("Callback", hook.label());
        long start = profiler == null ? 0 : System.nanoTime();
        try {
            dispatch(callback, hook, call);
        } finally {
            if (profiler != null) {
                profiler.record("[Callback]" + callback.getClass().getSimpleName() + "." + hook.label(), System.nanoTime() - start);
            }
        }
    }

    /** A callback threw: it is detached where the isolator says so (the others go on), else the run fails naming both. */
    private void callbackFailed(Callback callback, Hook hook, Throwable e) {
        if (isolator.isolate(callback, hook.label(), e)) {
            detach(callback);
            return;
        }
        if (speaksForItself(e)) {
            throw (RuntimeException) e;
        }
        throw new HookException("callback " + callback.getClass().getName() + " failed in " + hook + ": " + e, e);
    }

    /** Runs a module hook that returns nothing. */
    public void module(Hook hook, Runnable call) {
        if (profiler != null || listener != HookListener.NONE) {
            module(hook, () -> {
                call.run();
                return null;
            });
            return;
        }
        state.enter(hook); // the common case without a Supplier around the call
        try {
            call.run();
        } catch (RuntimeException | LinkageError e) {
            throw moduleFailed(hook, e);
        } finally {
            state.exit();
        }
    }

    /** Runs a module hook and returns its result. */
    public <T> T module(Hook hook, Supplier<T> call) {
        if (profiler == null && listener == HookListener.NONE) {
            return dispatch(hook, call);
        }
        listener.called("Module", hook.label());
        long start = profiler == null ? 0 : System.nanoTime();
        try {
            return dispatch(hook, call);
        } finally {
            if (profiler != null) {
                profiler.record("[LightningModule]" + module.getClass().getSimpleName() + "." + hook.label(), System.nanoTime() - start);
            }
        }
    }

    /** A module hook, small for the JIT as {@link #dispatch(Callback, Hook, Consumer)} is. */
    private <T> T dispatch(Hook hook, Supplier<T> call) {
        state.enter(hook);
        try {
            return call.get();
        } catch (RuntimeException | LinkageError e) {
            throw moduleFailed(hook, e);
        } finally {
            state.exit();
        }
    }

    /** The error a failing module hook ends the run with: Torchlight's own as it is, anything else naming module and hook. */
    private RuntimeException moduleFailed(Hook hook, Throwable e) {
        if (speaksForItself(e)) {
            return (RuntimeException) e;
        }
        return new HookException("module " + module.getClass().getName() + " failed in " + hook + ": " + e, e);
    }

    /** Runs a hook on the callbacks, then on the module. */
    public void both(Hook hook, Consumer<Callback> callbackCall, Runnable moduleCall) {
        callbacks(hook, callbackCall);
        module(hook, moduleCall);
    }

    /** Torchlight's own errors already name what failed and what to do; they pass through unwrapped. */
    private static boolean speaksForItself(Throwable e) {
        return e instanceof TorchlightException || e instanceof CheckpointException || e instanceof ConfigurationException;
    }
}
