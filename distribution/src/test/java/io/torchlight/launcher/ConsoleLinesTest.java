package io.torchlight.launcher;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.Test;

public class ConsoleLinesTest {

    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private final ConsoleLines console = new ConsoleLines();
    private final PrintStream out = console.stream(terminal, StandardCharsets.UTF_8);

    private void fromAnotherThread(Runnable write) throws InterruptedException {
        Thread t = new Thread(write);
        t.start();
        t.join();
    }

    private String shown() {
        return terminal.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void aRunsOutputNeverStartsOnThePromptLine() throws InterruptedException {
        out.print("g! ");
        fromAnotherThread(() -> out.println("  | Name   | Type   | Params"));

        assertEquals("g! \n  | Name   | Type   | Params\n", shown());
    }

    @Test
    public void aLineAfterAnInPlaceProgressBarStartsOnItsOwnLine() throws InterruptedException {
        fromAnotherThread(() -> {
            out.print("\rEpoch 0: 1/10");
            out.print("\rEpoch 0: 2/10\u001b[K");
        });
        out.println("run 2 queued: fit boring (tl:status 2)");

        assertEquals("\rEpoch 0: 1/10\rEpoch 0: 2/10\u001b[K\nrun 2 queued: fit boring (tl:status 2)\n", shown());
    }

    @Test
    public void aProgressBarNeverRedrawsOverThePrompt() throws InterruptedException {
        out.print("g! ");
        fromAnotherThread(() -> out.print("\rEpoch 0: 1/10"));

        assertEquals("g! \n\rEpoch 0: 1/10", shown());
    }

    @Test
    public void oneThreadsOutputFlowsOnAsWritten() {
        out.print("abc");
        out.print("def");
        out.println();
        out.print("\rx");
        out.print("\ry");

        assertEquals("abcdef\n\rx\ry", shown());
    }
}
