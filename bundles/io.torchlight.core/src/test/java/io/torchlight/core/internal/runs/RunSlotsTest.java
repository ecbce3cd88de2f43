package io.torchlight.core.internal.runs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.Test;

/** Run slots: at most {@code limit} runs at once, first come first served, and a cancelled waiter leaves the line. */
public class RunSlotsTest {

    /** Starts a thread that takes a slot and records its name once it has one. */
    private static Thread waiter(RunSlots slots, String name, List<String> order, AtomicBoolean cancelled) {
        Thread t = new Thread(() -> {
            try {
                if (slots.acquire(cancelled::get)) {
                    order.add(name);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.start();
        return t;
    }

    /** Waits (bounded) until {@code thread} is blocked in RunSlots' wait, i.e. it holds its ticket in the line. */
    private static void awaitWaiting(Thread thread) throws InterruptedException {
        for (int i = 0; i < 10_000 && thread.getState() != Thread.State.WAITING; i++) {
            Thread.onSpinWait();
            thread.join(0, 100_000);
        }
        assertEquals(thread.getName(), Thread.State.WAITING, thread.getState());
    }

    @Test
    public void waitersGetSlotsInArrivalOrderOneAtATime() throws Exception {
        RunSlots slots = new RunSlots(1);
        assertTrue(slots.acquire(() -> false));
        List<String> order = new CopyOnWriteArrayList<>();
        AtomicBoolean never = new AtomicBoolean();
        Thread a = waiter(slots, "a", order, never);
        awaitWaiting(a);
        Thread b = waiter(slots, "b", order, never);
        awaitWaiting(b);
        Thread c = waiter(slots, "c", order, never);
        awaitWaiting(c);

        slots.release();
        a.join(10_000);
        awaitWaiting(b);
        awaitWaiting(c);
        assertEquals(List.of("a"), order);
        slots.release();
        b.join(10_000);
        awaitWaiting(c);
        assertEquals(List.of("a", "b"), order);
        slots.release();
        c.join(10_000);

        assertEquals(List.of("a", "b", "c"), order);
    }

    @Test
    public void aLargerLimitLetsWaitingRunsStartAtOnce() throws Exception {
        RunSlots slots = new RunSlots(1);
        assertTrue(slots.acquire(() -> false));
        List<String> order = new CopyOnWriteArrayList<>();
        Thread a = waiter(slots, "a", order, new AtomicBoolean());
        awaitWaiting(a);
        Thread b = waiter(slots, "b", order, new AtomicBoolean());
        awaitWaiting(b);

        slots.limit(3); // the first slot is still held: two more may run

        a.join(10_000);
        b.join(10_000);
        assertEquals(2, order.size());
        assertTrue(order.containsAll(List.of("a", "b")));
    }

    @Test
    public void aCancelledWaiterLeavesTheLineWithoutTakingASlot() throws Exception {
        RunSlots slots = new RunSlots(1);
        assertTrue(slots.acquire(() -> false));
        List<String> order = new CopyOnWriteArrayList<>();
        AtomicBoolean stopped = new AtomicBoolean();
        Thread a = waiter(slots, "a", order, stopped);
        awaitWaiting(a);
        Thread b = waiter(slots, "b", order, new AtomicBoolean());
        awaitWaiting(b);

        stopped.set(true);
        slots.wake();
        a.join(10_000);
        assertFalse(a.isAlive());
        slots.release();
        b.join(10_000);

        assertEquals("a gave up its turn; b ran when the slot freed", List.of("b"), order);
    }
}
