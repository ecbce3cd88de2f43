package io.torchlight.core.internal.runs;

import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * How many runs may train at once, first come first served. A slot is given back when its run ends, or when
 * the run is abandoned because it did not stop in time: its thread may still be stuck, but the queue goes on.
 * The limit can change while runs wait.
 */
public final class RunSlots {

    private int limit;
    private int busy;
    private long nextTicket;
    private long serving;
    /** Tickets that gave up before their turn. */
    private final Set<Long> skipped = new HashSet<>();

    RunSlots(int limit) {
        this.limit = Math.max(1, limit);
    }

    /** Waits for a slot; false (and no slot) when {@code cancelled} becomes true first. */
    synchronized boolean acquire(BooleanSupplier cancelled) throws InterruptedException {
        long ticket = nextTicket++;
        try {
            while (serving != ticket || busy >= limit) {
                if (cancelled.getAsBoolean()) {
                    return false;
                }
                wait();
            }
            busy++;
            return true;
        } finally {
            // whether it got a slot or gave up, this ticket leaves the line
            if (serving == ticket) {
                serving++;
            } else {
                skipped.add(ticket);
            }
            advance();
            notifyAll();
        }
    }

    private void advance() {
        while (skipped.remove(serving)) {
            serving++;
        }
    }

    synchronized void release() {
        busy--;
        notifyAll();
    }

    synchronized void limit(int value) {
        limit = Math.max(1, value);
        notifyAll();
    }

    /** Wakes waiters so that cancelled ones leave the line. */
    synchronized void wake() {
        notifyAll();
    }
}
